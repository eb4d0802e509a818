// One level-triggered ExternalSecret reconcile, in ESO's order: read the ES and its target Secret;
// skip the provider when no refresh is due and the Secret is valid; otherwise fetch, build the
// desired Secret, write it per creationPolicy, then record status and events. A provider failure
// never deletes or blanks an existing Secret; a pass with nothing to do writes nothing. The cleanup
// finalizer exists only with deletionPolicy=Delete (finalizer.ts); a renamed Owner target's old
// Secret is deleted (orphans.ts); every pass updates ESO's metrics (metrics.ts). ExternalSecrets using
// another --controller-class's store are skipped, and not-ready stores are refused (store-gate.ts).
import { desiredSecret, esLabel, resolveExternalSecret, type EngineSources } from '../../src/external/index.js';
import { isCloakError } from '../../src/errors.js';
import type { ExternalSecretObject } from '../../src/manifests/external-types.js';
import type { ClientCache } from '../../src/providers/shared/client-cache.js';
import type { ReadCache } from '../../src/providers/shared/read-cache.js';
import type { StoreLimiter } from '../../src/providers/shared/rate-limit.js';
import type { StoreIdentity } from '../../src/providers/types.js';
import { EventReason, type EventRecorder } from '../events/index.js';
import type { Json, KubeClient } from '../kube/index.js';
import { isAlreadyExists, isNotFound } from '../kube/index.js';
import type { Logger } from '../log.js';
import { errorText } from '../log.js';
import type { HandlerResult } from '../runtime/index.js';
import { cleanupManagedSecret, hasFinalizer, syncFinalizer, wantsFinalizer } from './finalizer.js';
import { syncedResourceVersion } from './meta-hash.js';
import { DEFAULT_CONTROLLER_CLASS, gatedSources, unmanagedStore, type CachedStoreLookup, type StoreGateOptions } from './store-gate.js';
import { forgetExternalSecret, recordReady, type ExternalSecretMetrics } from './metrics.js';
import { createdByValue, deleteOrphans } from './orphans.js';
import { forgetResolves, heldFetchedAt, readMaxAgeMs, resolveEnded, syncHeld } from './read-age.js';
import { changedSinceSync, isSecretValid, refreshIntervalMs, refreshTimeMs, requeueAfterMs, shouldRefresh, statusOf } from './refresh.js';
import { Message, nextStatus, Reason, timestamp, writeStatus, type ReadyOutcome } from './status.js';
import { controllerOf, fieldManager, planWrite } from './write.js';

export interface ExternalReconcileContext {
  client: KubeClient;
  getExternalSecret(namespace: string, name: string): ExternalSecretObject | undefined;
  sources: EngineSources;
  clients: ClientCache;
  reads: ReadCache;
  /** --provider-timeout: bound on each provider request. */
  timeoutMs?: number;
  recorder: EventRecorder;
  /** Called with the object our status patch returned, so the next pass does not act on a stale cache. */
  statusWritten(key: string, before: ExternalSecretObject, after: ExternalSecretObject): void;
  /**
   * Whether the managed-Secret cache (label reconcile.external-secrets.io/managed) holds Secret
   * namespace/name; undefined when it cannot tell (not synced).
   */
  managedSecretCached?(namespace: string, name: string): boolean | undefined;
  /** Called with the resourceVersion of each Secret we created or updated (its watch event is ours, not drift). */
  secretWritten?(namespace: string, name: string, resourceVersion: string | undefined): void;
  log: Logger;
  now(): number;
  /** ESO's externalsecret_* metrics; absent in unit tests. */
  metrics?: ExternalSecretMetrics;
  /** Managed Secrets in `namespace` carrying created-by `value` (the informer cache), for orphan cleanup. */
  secretsCreatedBy?(namespace: string, value: string): readonly Readonly<Json>[];
  /** Per-store concurrency and rate limit on provider calls. */
  limiter?: StoreLimiter;
  /** Called for every provider call that reaches a store (after the shared read cache). */
  onProviderCall?(store: StoreIdentity, op: string): void;
  /** Called after each resolve (e.g. to count reads the shared cache saved). */
  afterResolve?(): void;
  /** --controller-class and --enable-flood-gate (store-gate.ts); absent: class "default", gate on. */
  gate?: StoreGateOptions;
  /** Stores from the informer caches, for the controller-class skip. */
  cachedStore?: CachedStoreLookup;
}

/** One line naming what failed (CloakError subjects name the ExternalSecret entry); never values. */
function describe(e: unknown): string {
  return errorText(isCloakError(e) && e.subject ? `${e.subject}: ${e.message}` : e);
}

const secretUrl = (ns: string, name = '') => `/api/v1/namespaces/${ns}/secrets${name ? `/${name}` : ''}`;

export class SyncError extends Error {}

export async function reconcileExternalSecret(key: string, ctx: ExternalReconcileContext, signal?: AbortSignal): Promise<HandlerResult | void> {
  const [namespace, name] = key.split('/') as [string, string];
  const started = process.hrtime.bigint();
  try {
    return await reconcileOnce(key, namespace, name, ctx, signal);
  } finally {
    // ESO records both on every Reconcile call (a deferred func); the duration is a gauge in nanoseconds.
    ctx.metrics?.duration.set({ name, namespace }, Number(process.hrtime.bigint() - started));
    ctx.metrics?.syncCalls.inc({ name, namespace });
  }
}

async function reconcileOnce(key: string, namespace: string, name: string, ctx: ExternalReconcileContext, signal?: AbortSignal): Promise<HandlerResult | void> {
  const es = ctx.getExternalSecret(namespace, name);
  if (!es) {
    forgetExternalSecret(ctx.metrics, namespace, name);
    forgetResolves(ctx.reads, namespace, name);
    return;
  }
  const target = es.spec.target?.name || name;
  if (es.metadata.deletionTimestamp) return finalize(es, target, ctx, signal);
  // The finalizer follows deletionPolicy; the patch's watch event brings the next pass.
  if (await syncFinalizer(ctx.client, es, wantsFinalizer(es), signal)) return;
  const gate = ctx.gate ?? { controllerClass: DEFAULT_CONTROLLER_CLASS, floodGate: true };
  const foreign = ctx.cachedStore && await unmanagedStore(es, ctx.cachedStore, gate.controllerClass);
  if (foreign) {
    // ESO: skipped, nothing written, no requeue; a change to the store retries it (the store watch).
    ctx.log.debug('skipping ExternalSecret, uses unmanaged SecretStore', { externalSecret: key, store: `${foreign.kind} ${foreign.metadata.name}`, controller: foreign.spec.controller });
    return;
  }
  const start = ctx.now();
  // Every Secret we create carries the managed label, so a creating policy whose target is not in
  // that cache has nothing of ours to compare: skip the GET (a first sync of n ExternalSecrets
  // saves n requests). An unmanaged Secret of that name makes the create fail with AlreadyExists,
  // and the pass runs again with the GET.
  const policy = es.spec.target?.creationPolicy ?? 'Owner';
  const skipGet = (policy === 'Owner' || policy === 'Orphan') && ctx.managedSecretCached?.(namespace, target) === false;
  const existing = skipGet ? undefined : await getSecret(ctx.client, namespace, target);

  const status = async (outcome: ReadyOutcome) => {
    const after = await writeStatus(ctx.client, es, nextStatus(es, outcome, ctx.now()), signal);
    if (after) ctx.statusWritten(key, es, after);
    recordReady(ctx.metrics, namespace, name, outcome.ready ? 'True' : 'False');
  };
  const fail = async (message: string, err?: unknown): Promise<never> => {
    const detail = err === undefined ? message : `${message}: ${describe(err)}`;
    ctx.metrics?.syncErrors.inc({ name, namespace });
    await status({ ready: false, reason: Reason.SecretSyncedError, message: detail });
    await ctx.recorder.event(es as unknown as Json, 'Warning', EventReason.UpdateFailed, err === undefined ? message : describe(err));
    throw new SyncError(`${esLabel(es)}: ${detail}`);
  };

  const held = heldFetchedAt(ctx.reads, es);
  let due: boolean;
  try {
    due = shouldRefresh(es, start, held);
  } catch (e) {
    return fail(Message.providerError, e); // an unparseable spec.refreshInterval
  }
  if (!due && isSecretValid(existing, es)) {
    const cond = statusOf(es).conditions?.find((c) => c.type === 'Ready');
    if (cond) recordReady(ctx.metrics, namespace, name, cond.status);
    const after = requeueAfterMs(es, refreshTimeMs(statusOf(es)), start, held);
    return after === undefined ? undefined : { requeueAfterMs: after };
  }

  let data;
  let oldestRead: number | undefined;
  const onRead = (at: number) => { if (oldestRead === undefined || at < oldestRead) oldestRead = at; };
  try {
    // A sync forced by a spec or metadata change (e.g. the force-sync annotation) reads everything
    // fresh: a shared read from before the user's change could mix old and new values in one Secret.
    const readMaxAge = changedSinceSync(es) ? 0 : readMaxAgeMs(ctx.reads, es, refreshIntervalMs(es), start);
    data = (await resolveExternalSecret(es, {
      sources: gatedSources(ctx.sources, namespace, gate), clients: ctx.clients, reads: ctx.reads, readMaxAgeMs: readMaxAge, onRead,
      ...(ctx.timeoutMs ? { timeoutMs: ctx.timeoutMs } : {}),
      ...(ctx.limiter ? { limiter: ctx.limiter } : {}), ...(ctx.onProviderCall ? { onProviderCall: ctx.onProviderCall } : {}),
    })).data;
  } catch (e) {
    return fail(Message.providerError, e);
  } finally {
    resolveEnded(ctx.reads, es, ctx.now());
    ctx.afterResolve?.();
  }
  const synced = { refreshTime: timestamp(start), syncedResourceVersion: syncedResourceVersion(es.metadata) };
  const deletionPolicy = es.spec.target?.deletionPolicy ?? 'Retain';
  let outcome: ReadyOutcome | undefined;

  if (Object.keys(data).length === 0 && deletionPolicy !== 'Merge') {
    if (deletionPolicy === 'Delete') {
      const owned = existing !== undefined && controllerOf(existing)?.uid === es.metadata.uid;
      if (policy === 'Owner' && owned) {
        try {
          await ctx.client.request('DELETE', secretUrl(namespace, target));
        } catch (e) {
          if (!isNotFound(e)) return fail(Message.deleteError, e);
        }
        await ctx.recorder.event(es as unknown as Json, 'Normal', EventReason.Deleted, Message.deleted);
      }
      outcome = { ready: true, reason: Reason.SecretDeleted, message: Message.deleted, synced };
    } else {
      outcome = { ready: true, reason: Reason.SecretSynced, message: Message.retained, synced };
    }
  } else {
    let desired;
    try {
      desired = await desiredSecret(es, data, { reader: ctx.sources });
      desired.metadata.name = target;
    } catch (e) {
      return fail(Message.updateError, e);
    }
    const plan = planWrite(es, desired, existing);
    if (plan.kind === 'refused') return fail(plan.message);
    if (policy === 'Owner' && specChanged(es)) {
      // ESO's deleteOrphanedSecrets, before the write; only needed after a spec change (a new target.name).
      try {
        const gone = await deleteOrphans(ctx.client, es, target, ctx.secretsCreatedBy?.(namespace, createdByValue(es)) ?? []);
        for (const s of gone) {
          await ctx.recorder.event(es as unknown as Json, 'Normal', EventReason.Deleted, Message.orphanDeleted);
          ctx.log.info('orphaned secret deleted', { externalSecret: key, secret: `${namespace}/${s}` });
        }
      } catch (e) {
        return fail(Message.orphanError, e);
      }
    }
    if (plan.kind === 'missing') {
      outcome = { ready: true, reason: Reason.SecretMissing, message: Message.mergeMissing, synced };
    } else {
      if (plan.kind === 'create' || plan.kind === 'update') {
        try {
          const query = { fieldManager: fieldManager(es) };
          const written = plan.kind === 'create'
            ? await ctx.client.request<Json>('POST', secretUrl(namespace), { body: plan.body, query })
            : await ctx.client.request<Json>('PUT', secretUrl(namespace, target), { body: plan.body, query });
          ctx.secretWritten?.(namespace, target, (written?.metadata as { resourceVersion?: string } | undefined)?.resourceVersion);
        } catch (e) {
          if (skipGet && isAlreadyExists(e)) return reconcileExternalSecret(key, { ...ctx, managedSecretCached: undefined }, signal);
          return fail(Message.updateError, e);
        }
        await ctx.recorder.event(es as unknown as Json, 'Normal', plan.kind === 'create' ? EventReason.Created : EventReason.Updated,
          plan.kind === 'create' ? 'secret created' : 'secret updated');
        ctx.log.info(plan.kind === 'create' ? 'secret created' : 'secret updated', { externalSecret: key, secret: `${namespace}/${target}` });
      }
      outcome = { ready: true, reason: Reason.SecretSynced, message: Message.synced, synced: { ...synced, binding: target } };
    }
  }
  await status(outcome);
  if (oldestRead !== undefined) syncHeld(ctx.reads, es, synced.refreshTime, oldestRead);
  // From the refreshTime the next pass reads back (second precision), so requeue and "due" agree.
  const after = requeueAfterMs(es, Date.parse(synced.refreshTime), ctx.now(), oldestRead);
  return after === undefined ? undefined : { requeueAfterMs: after };
}

/** The generation changed since the last successful sync (or there was none). */
function specChanged(es: ExternalSecretObject): boolean {
  return !(statusOf(es).syncedResourceVersion ?? '').startsWith(`${es.metadata.generation ?? 0}-`);
}

/** Deletion: with our finalizer, delete the Secret we control if deletionPolicy=Delete, then drop the finalizer. */
async function finalize(es: ExternalSecretObject, target: string, ctx: ExternalReconcileContext, signal?: AbortSignal): Promise<void> {
  const { namespace, name } = es.metadata as { namespace: string; name: string };
  forgetExternalSecret(ctx.metrics, namespace, name);
  if (!hasFinalizer(es)) return;
  try {
    if (await cleanupManagedSecret(ctx.client, es, await getSecret(ctx.client, namespace, target))) {
      ctx.log.info('secret deleted with its ExternalSecret (deletionPolicy=Delete)', { externalSecret: `${namespace}/${name}`, secret: `${namespace}/${target}` });
    }
  } catch (e) {
    throw new SyncError(`${esLabel(es)}: ${Message.deleteError}: ${describe(e)}`);
  }
  try {
    await syncFinalizer(ctx.client, es, false, signal);
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}

async function getSecret(client: KubeClient, namespace: string, name: string): Promise<Json | undefined> {
  try {
    return await client.request<Json>('GET', secretUrl(namespace, name));
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}
