// One level-triggered store reconcile (ESO's secretstore reconcile): validate, set the Ready
// condition and capabilities, patch /status only when something changed (with one Event per change),
// then re-validate after the store's refresh interval. An invalid store is retried with backoff.
import type { SecretStoreObject } from '../../../src/manifests/external-types.js';
import type { EventReason, EventRecorder } from '../../events/index.js';
import type { Json, KubeClient } from '../../kube/index.js';
import type { Logger } from '../../log.js';
import type { HandlerResult } from '../../runtime/index.js';
import { shouldProcessStore } from '../store-gate.js';
import { parseStoreKey } from './dependents.js';
import { storeRefreshMs } from './interval.js';
import { nextStoreStatus, sameStatus, storeStatusOf, StoreReason, type StoreOutcome, type StoreStatus } from './status.js';

export interface StoreReconcileContext {
  client: KubeClient;
  getStore(key: string): SecretStoreObject | undefined;
  validate(store: SecretStoreObject): Promise<StoreOutcome>;
  recorder: EventRecorder;
  /** Called with every outcome (metrics). */
  observe(store: SecretStoreObject, outcome: StoreOutcome): void;
  /** Called with the object our status patch returned, so the next pass does not act on a stale cache. */
  statusWritten(key: string, before: SecretStoreObject, after: SecretStoreObject): void;
  /** `--controller-class`: stores naming another controller are skipped (ESO's ShouldProcessStore). */
  controllerClass: string;
  defaultRefreshMs: number;
  log: Logger;
  now(): number;
}

export class StoreInvalidError extends Error {}

export function storeStatusPath(store: SecretStoreObject): string {
  const m = store.metadata;
  return store.kind === 'ClusterSecretStore'
    ? `/apis/external-secrets.io/v1/clustersecretstores/${m.name}/status`
    : `/apis/external-secrets.io/v1/namespaces/${m.namespace}/secretstores/${m.name}/status`;
}

export async function reconcileStore(key: string, ctx: StoreReconcileContext, signal?: AbortSignal): Promise<HandlerResult | void> {
  const store = ctx.getStore(key);
  if (!store || store.metadata.deletionTimestamp) return;
  if (!shouldProcessStore(store, ctx.controllerClass)) {
    // ESO: another controller's store; its status is not ours to write.
    ctx.log.debug('skip store', { store: key, controller: store.spec.controller });
    return;
  }
  const id = parseStoreKey(key);
  const outcome = await ctx.validate(store);
  ctx.observe(store, outcome);
  const next = nextStoreStatus(store, outcome, ctx.now());
  if (!sameStatus(storeStatusOf(store), next)) {
    const after = await patchStatus(ctx.client, store, next, signal);
    ctx.statusWritten(key, store, after);
    const warn = !outcome.ready || outcome.reason === StoreReason.ValidationUnknown;
    await ctx.recorder.event(store as unknown as Json, warn ? 'Warning' : 'Normal', outcome.reason as EventReason, outcome.message);
    ctx.log.info('store status', { store: `${id.kind} ${id.namespace ? `${id.namespace}/` : ''}${id.name}`, ready: outcome.ready, reason: outcome.reason, message: outcome.message });
  }
  if (!outcome.ready) throw new StoreInvalidError(`${id.kind} ${id.namespace ? `${id.namespace}/` : ''}${id.name}: ${outcome.message}`);
  return { requeueAfterMs: storeRefreshMs(store, ctx.defaultRefreshMs) };
}

async function patchStatus(client: KubeClient, store: SecretStoreObject, next: StoreStatus, signal?: AbortSignal): Promise<SecretStoreObject> {
  return client.request<SecretStoreObject>('PATCH', storeStatusPath(store), {
    body: { status: next }, contentType: 'application/merge-patch+json', ...(signal ? { signal } : {}),
  });
}
