// The ClusterExternalSecret status as ESO writes it: externalSecretName, provisionedNamespaces (sorted),
// failedNamespaces [{namespace, reason}] (sorted by namespace), and one Ready condition (type, status,
// message only): True with no message, or False with "one or more namespaces failed". Conditions of
// other types are kept. The /status merge patch is sent only when something changed.
import { stableJson } from '../../../src/external/index.js';
import type { KubeClient } from '../../kube/index.js';
import type { CesCondition, ClusterExternalSecretObject, ClusterExternalSecretStatus } from './types.js';

export const MESSAGE_NAMESPACES_FAILED = 'one or more namespaces failed';
export const REASON_ALREADY_EXISTS = 'external secret already exists in namespace';
/** Ours: the namespace is selected but this controller does not watch it. */
export const REASON_NOT_WATCHED = 'namespace is not watched by this controller (see --all-namespaces and --additional-namespaces)';

export interface CesOutcome {
  externalSecretName: string;
  provisioned: string[];
  /** namespace → one-line reason. */
  failed: Map<string, string>;
}

export function readyCondition(failed: number): CesCondition {
  return failed === 0 ? { type: 'Ready', status: 'True' } : { type: 'Ready', status: 'False', message: MESSAGE_NAMESPACES_FAILED };
}

export function nextCesStatus(ces: ClusterExternalSecretObject, o: CesOutcome): ClusterExternalSecretStatus {
  const cur = ces.status ?? {};
  const failed = [...o.failed].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([namespace, reason]) => ({ namespace, reason }));
  const provisioned = [...o.provisioned].sort();
  const next: ClusterExternalSecretStatus = { ...cur, externalSecretName: o.externalSecretName };
  if (provisioned.length) next.provisionedNamespaces = provisioned; else delete next.provisionedNamespaces;
  if (failed.length) next.failedNamespaces = failed; else delete next.failedNamespaces;
  next.conditions = [...(cur.conditions ?? []).filter((c) => c.type !== 'Ready'), readyCondition(failed.length)];
  return next;
}

/** Patches status to `next` when it differs; the updated object if written. Fields dropped from `next` are nulled. */
export async function writeCesStatus(client: KubeClient, ces: ClusterExternalSecretObject, next: ClusterExternalSecretStatus, signal?: AbortSignal): Promise<ClusterExternalSecretObject | undefined> {
  const cur = (ces.status ?? {}) as Record<string, unknown>;
  if (stableJson(cur) === stableJson(next)) return undefined;
  const patch: Record<string, unknown> = { ...next };
  for (const k of Object.keys(cur)) if (!(k in next)) patch[k] = null;
  return client.request<ClusterExternalSecretObject>('PATCH', `/apis/external-secrets.io/v1/clusterexternalsecrets/${ces.metadata.name}/status`, {
    body: { status: patch }, contentType: 'application/merge-patch+json', ...(signal ? { signal } : {}),
  });
}
