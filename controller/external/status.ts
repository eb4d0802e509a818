// The ExternalSecret status: one Ready condition with ESO's reasons and messages (ours adds the real
// error after a colon), refreshTime, syncedResourceVersion and binding. lastTransitionTime moves only
// when the status flips; the /status merge patch is sent only when something changed.
import type { ExternalSecretObject } from '../../src/manifests/external-types.js';
import type { KubeClient } from '../kube/index.js';
import { stableJson } from '../../src/external/index.js';
import { statusOf, type EsStatus } from './refresh.js';

export const Reason = {
  SecretSynced: 'SecretSynced',
  SecretSyncedError: 'SecretSyncedError',
  SecretDeleted: 'SecretDeleted',
  SecretMissing: 'SecretMissing',
} as const;

export const Message = {
  synced: 'secret synced',
  retained: 'secret retained due to DeletionPolicy=Retain',
  deleted: 'secret deleted due to DeletionPolicy=Delete',
  mergeMissing: 'secret will not be created due to CreationPolicy=Merge',
  providerError: 'could not get secret data from provider',
  updateError: 'could not update secret',
  immutable: 'could not update secret, target is immutable',
  ownership: 'failed to take ownership of target secret',
  ownedByOther: 'target is owned by another ExternalSecret',
  deleteError: 'could not delete secret',
  orphanError: 'could not delete orphaned secrets',
  orphanDeleted: 'secret deleted because it was orphaned',
} as const;

export interface ReadyOutcome {
  ready: boolean;
  reason: string;
  message: string;
  /** Set on a successful sync: refreshTime, syncedResourceVersion, binding. */
  synced?: { refreshTime: string; syncedResourceVersion: string; binding?: string };
}

export function timestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The status `es` should carry after `outcome` (fields not touched are kept). */
export function nextStatus(es: ExternalSecretObject, outcome: ReadyOutcome, now: number): EsStatus {
  const cur = statusOf(es);
  const old = cur.conditions?.find((c) => c.type === 'Ready');
  const status = outcome.ready ? 'True' : 'False';
  const condition = {
    type: 'Ready', status, reason: outcome.reason, message: outcome.message,
    lastTransitionTime: old && old.status === status && old.lastTransitionTime ? old.lastTransitionTime : timestamp(now),
  };
  const next: EsStatus = { ...cur, conditions: [condition] };
  if (outcome.synced) {
    next.refreshTime = outcome.synced.refreshTime;
    next.syncedResourceVersion = outcome.synced.syncedResourceVersion;
    if (outcome.synced.binding) next.binding = { name: outcome.synced.binding };
  }
  return next;
}

/** Writes `next` through the status subresource when it differs from the current status; the updated object if written. */
export async function writeStatus(client: KubeClient, es: ExternalSecretObject, next: EsStatus, signal?: AbortSignal): Promise<ExternalSecretObject | undefined> {
  if (stableJson(statusOf(es)) === stableJson(next)) return undefined;
  const m = es.metadata;
  return client.request<ExternalSecretObject>('PATCH', `/apis/external-secrets.io/v1/namespaces/${m.namespace}/externalsecrets/${m.name}/status`, {
    body: { status: next }, contentType: 'application/merge-patch+json', ...(signal ? { signal } : {}),
  });
}
