// The external-secrets.io/v1 ClusterExternalSecret shape (ESO's clusterexternalsecret_types.go), as
// far as the controller reads it.
import type { EsoMeta, ExternalSecretSpec } from '../../../src/manifests/external-types.js';

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

export interface ClusterExternalSecretSpec {
  externalSecretSpec: ExternalSecretSpec;
  /** Name of the ExternalSecrets created (the ClusterExternalSecret's own name when unset). */
  externalSecretName?: string;
  externalSecretMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  /** Deprecated: use namespaceSelectors. */
  namespaceSelector?: LabelSelector;
  namespaceSelectors?: LabelSelector[];
  namespaces?: string[];
  /** How often namespaces are re-evaluated (a Go duration; 1h when unset, as ESO's controller defaults it). */
  refreshTime?: string;
}

export interface CesCondition { type: string; status: string; message?: string }
export interface NamespaceFailure { namespace: string; reason?: string }

export interface ClusterExternalSecretStatus {
  externalSecretName?: string;
  failedNamespaces?: NamespaceFailure[];
  provisionedNamespaces?: string[];
  conditions?: CesCondition[];
}

export interface ClusterExternalSecretObject {
  apiVersion: string;
  kind: 'ClusterExternalSecret';
  metadata: EsoMeta & { deletionTimestamp?: string };
  spec: ClusterExternalSecretSpec;
  status?: ClusterExternalSecretStatus;
}

export interface NamespaceObject {
  metadata: { name: string; labels?: Record<string, string>; deletionTimestamp?: string; resourceVersion?: string };
  status?: { phase?: string };
}

export const CES_KIND = 'ClusterExternalSecret';
export const ESO_API = 'external-secrets.io/v1';
/** ESO's AnnotationForceSync: copied from the ClusterExternalSecret to every child. */
export const ANNOTATION_FORCE_SYNC = 'external-secrets.io/force-sync';
