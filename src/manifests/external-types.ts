// external-secrets.io object shapes (v1; v1beta1 has the same schema). Only the fields Cloak reads;
// everything else passes through untouched.
import type { FindRef, RemoteRef } from '../providers/types.js';

export const ESO_GROUP = 'external-secrets.io';
export const ESO_VERSIONS = ['v1', 'v1beta1'] as const;

export interface EsoMeta {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  resourceVersion?: string;
  generation?: number;
  uid?: string;
  [k: string]: unknown;
}

export type StoreKind = 'SecretStore' | 'ClusterSecretStore';

export interface StoreRef { name: string; kind?: StoreKind }

export interface SourceRef { storeRef?: StoreRef; generatorRef?: { apiVersion?: string; kind: string; name: string } }

export interface ExternalSecretData {
  secretKey: string;
  remoteRef: RemoteRef;
  sourceRef?: SourceRef;
}

export interface RewriteRegexp { source: string; target: string }
export interface RewriteTransform { template: string }
export interface Rewrite { regexp?: RewriteRegexp; transform?: RewriteTransform; merge?: Record<string, unknown> }

export interface ExternalSecretDataFrom {
  extract?: RemoteRef;
  find?: FindRef;
  rewrite?: Rewrite[];
  sourceRef?: SourceRef;
}

export interface TemplateFrom {
  configMap?: { name: string; items: Array<{ key: string; templateAs?: 'Values' | 'KeysAndValues' }> };
  secret?: { name: string; items: Array<{ key: string; templateAs?: 'Values' | 'KeysAndValues' }> };
  literal?: string;
  target?: string;
}

export interface ExternalSecretTemplate {
  type?: string;
  engineVersion?: string;
  mergePolicy?: 'Replace' | 'Merge';
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; finalizers?: string[] };
  data?: Record<string, string>;
  templateFrom?: TemplateFrom[];
}

export interface ExternalSecretTarget {
  name?: string;
  creationPolicy?: 'Owner' | 'Orphan' | 'Merge' | 'None' | 'CreateOrMerge';
  deletionPolicy?: 'Delete' | 'Merge' | 'Retain';
  immutable?: boolean;
  template?: ExternalSecretTemplate;
}

export interface ExternalSecretSpec {
  secretStoreRef?: StoreRef;
  refreshInterval?: string;
  refreshPolicy?: 'CreatedOnce' | 'Periodic' | 'OnChange';
  target?: ExternalSecretTarget;
  data?: ExternalSecretData[];
  dataFrom?: ExternalSecretDataFrom[];
}

export interface ExternalSecretObject {
  apiVersion: string;
  kind: 'ExternalSecret';
  metadata: EsoMeta;
  spec: ExternalSecretSpec;
  status?: Record<string, unknown>;
}

export interface ClusterSecretStoreCondition {
  namespaceSelector?: { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> };
  namespaces?: string[];
  namespaceRegexes?: string[];
}

export interface SecretStoreSpec {
  controller?: string;
  provider: Record<string, unknown>;
  retrySettings?: { maxRetries?: number; retryInterval?: string };
  refreshInterval?: number | string;
  conditions?: ClusterSecretStoreCondition[];
}

export interface SecretStoreObject {
  apiVersion: string;
  kind: StoreKind;
  metadata: EsoMeta;
  spec: SecretStoreSpec;
  status?: Record<string, unknown>;
}

/** A Kubernetes Secret or ConfigMap as the engine reads it (data base64 for Secrets). */
export interface KeyValueObject {
  apiVersion?: string;
  kind: 'Secret' | 'ConfigMap';
  metadata: EsoMeta;
  type?: string;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  binaryData?: Record<string, string>;
}
