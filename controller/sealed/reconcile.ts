// Reconciles one SealedSecret (by key "namespace/name") into its Secret, following STYLE's reconciler
// shape: read the current object from the cache, compute the desired Secret (decrypting only when the
// spec changed), write only differences, write status once, emit events on transitions, classify errors.
import { isCloakError } from '../../src/errors.js';
import { buildSecret, unsealItems, type BuildOptions, type DecryptFn, type SealedSecretObject, type SecretObject } from '../../src/sealed/index.js';
import type { EventRecorder } from '../events/index.js';
import { EventReason } from '../events/index.js';
import type { Json, KubeClient } from '../kube/index.js';
import { isAlreadyExists, isConflict, isNotFound, isTransient, KubeApiError } from '../kube/index.js';
import type { KeyRegistry } from '../keys/index.js';
import type { Logger } from '../log.js';
import { errorText } from '../log.js';
import type { ControllerMetrics } from '../metrics/index.js';
import type { HandlerResult } from '../runtime/index.js';
import { ANNOTATION_UNSEALED_WITH, isControlledBy, planApply } from './apply.js';
import { unsealInputHash, type ResultCache } from './result-cache.js';
import { digested, isSecretView } from './secret-view.js';
import { nextStatus, syncedCondition } from './status.js';

export interface Unsealed { secret: SecretObject; keys: string[] }

export interface ReconcileContext {
  client: KubeClient;
  getSealedSecret(namespace: string, name: string): Readonly<Json> | undefined;
  /**
   * The Secret: its cached view from the Secret informer (metadata and value digests, see secret-view.ts),
   * or the live object from a GET when Secrets are not watched.
   */
  getSecret(namespace: string, name: string): Promise<Readonly<Json> | undefined>;
  keys: KeyRegistry;
  decrypt: DecryptFn;
  renderTemplate: BuildOptions['renderTemplate'];
  cache: ResultCache<Unsealed>;
  recorder: EventRecorder;
  metrics: ControllerMetrics;
  log: Logger;
  updateStatus: boolean;
  oldGcBehavior: boolean;
  now(): Date;
  /** Called with the outcome so failing objects can be retried when keys change. */
  onOutcome(key: string, ok: boolean): void;
  /** Status we wrote, by key, until the watch delivers it (avoids patching from a stale cache). */
  statusWritten: Map<string, { fromRv: string; object: Json }>;
  /** resourceVersion of the Secret we last wrote, by key: its watch event needs no reconcile. */
  secretWritten: Map<string, string>;
}

/** A failure retrying cannot fix; the object waits for a change (spec, Secret, keys). */
class PermanentError extends Error {
  constructor(message: string, readonly reason: 'unseal' | 'update' | 'unmanaged', readonly event: typeof EventReason.ErrUnsealFailed | typeof EventReason.ErrUpdateFailed) { super(message); }
}

export async function reconcileSealedSecret(key: string, ctx: ReconcileContext): Promise<HandlerResult | void> {
  const [namespace, name] = splitKey(key);
  ctx.metrics.unsealRequests.inc();
  const cached = ctx.getSealedSecret(namespace, name);
  const cachedRv = String((cached?.metadata as { resourceVersion?: string } | undefined)?.resourceVersion ?? '');
  const ss = freshest(key, cached, ctx);
  if (!ss) {
    ctx.metrics.conditionInfo.remove((l) => l.namespace === namespace && l.name === name);
    if (ctx.oldGcBehavior) await deleteOwnedSecret(namespace, name, ctx);
    return;
  }
  const meta = ss.metadata as { uid?: string; deletionTimestamp?: string; labels?: Record<string, string> };
  if (meta.deletionTimestamp) return;
  const uid = meta.uid ?? '';
  const started = Date.now();

  let outcome: { ok: true } | { ok: false; message: string; permanent: boolean; reason: string; event: EventReason } = { ok: true };
  let wrote: 'create' | 'update' | undefined;
  try {
    const unsealed = await desired(ss, ctx);
    wrote = await applySecret(ss, unsealed.secret, uid, ctx);
  } catch (e) {
    if (e instanceof PermanentError) outcome = { ok: false, message: e.message, permanent: true, reason: e.reason, event: e.event };
    else outcome = { ok: false, message: sanitize(e), permanent: false, reason: 'update', event: EventReason.ErrUpdateFailed };
  }

  const previous = syncedCondition(ss);
  if (!outcome.ok) {
    ctx.metrics.unsealErrors.inc({ reason: outcome.reason, namespace });
    if (!(previous?.status === 'False' && previous.message === outcome.message)) {
      await ctx.recorder.event(ss, 'Warning', outcome.event, outcome.event === EventReason.ErrUnsealFailed ? `Failed to unseal: ${outcome.message}` : outcome.message);
    }
    ctx.log.warn('SealedSecret not synced', { sealedSecret: key, error: outcome.message, permanent: outcome.permanent });
  } else if (wrote) {
    ctx.metrics.secretWrites.inc({ action: wrote });
    await ctx.recorder.event(ss, 'Normal', EventReason.Unsealed, 'SealedSecret unsealed successfully');
    ctx.log.info('Secret written', { sealedSecret: key, action: wrote });
  }
  ctx.onOutcome(key, outcome.ok);

  await writeStatus(ss, outcome, ctx, key, cachedRv);
  ctx.metrics.reconcileDuration.observe({}, (Date.now() - started) / 1000);
  if (!outcome.ok && !outcome.permanent) throw new Error(outcome.message);
}

async function desired(ss: Readonly<Json>, ctx: ReconcileContext): Promise<Unsealed> {
  const uid = (ss.metadata as { uid?: string }).uid ?? '';
  const hash = unsealInputHash(ss);
  const hit = ctx.cache.get(uid, hash);
  if (hit) return hit;
  const keys = ctx.keys.all();
  if (keys.length === 0) throw new Error('no sealing keys are loaded yet');
  const object = ss as unknown as SealedSecretObject;
  let secret: SecretObject;
  let used: string[];
  try {
    const items = await unsealItems(object, keys.map((k) => ({ privateKey: k.privateKey, fingerprint: k.fingerprint })), ctx.decrypt);
    secret = buildSecret(object, items.data, { renderTemplate: ctx.renderTemplate });
    used = [...new Set(Object.values(items.keyByItem))].sort();
  } catch (e) {
    if (isCloakError(e) && (e.code === 'PoolClosed' || e.code === 'WorkerFailed')) throw e;
    throw new PermanentError(sanitize(e), 'unseal', EventReason.ErrUnsealFailed);
  }
  if (used.length > 0) secret.metadata.annotations = { ...(secret.metadata.annotations ?? {}), [ANNOTATION_UNSEALED_WITH]: used.join(',') };
  const result = { secret, keys: used };
  ctx.cache.set(uid, hash, result);
  return result;
}

async function applySecret(ss: Readonly<Json>, want: SecretObject, uid: string, ctx: ReconcileContext): Promise<'create' | 'update' | undefined> {
  const m = want.metadata;
  const path = `/api/v1/namespaces/${m.namespace}/secrets`;
  let existing = await ctx.getSecret(m.namespace as string, m.name as string);
  if (existing) {
    // The cache holds digests, not values: they decide 'none' and 'unmanaged'; a write plans on the live Secret.
    const quick = planApply(digested(existing), digested(want as unknown as Json) as unknown as SecretObject, uid);
    if (quick.action === 'none') return undefined;
    if (quick.action === 'update' && isSecretView(existing)) existing = await readSecret(path, m.name as string, ctx);
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    const plan = planApply(existing, want, uid);
    if (plan.action === 'none') return undefined;
    if (plan.action === 'unmanaged') {
      throw new PermanentError(`Resource "${m.name}" already exists and is not managed by SealedSecret`, 'unmanaged', EventReason.ErrUpdateFailed);
    }
    try {
      const written = plan.action === 'create'
        ? await ctx.client.request<Json>('POST', path, { body: plan.secret })
        : await ctx.client.request<Json>('PUT', `${path}/${m.name}`, { body: plan.secret });
      const rv = (written?.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
      if (rv) ctx.secretWritten.set(`${m.namespace}/${m.name}`, rv);
      return plan.action;
    } catch (e) {
      if (isAlreadyExists(e)) {
        // Our cache is behind: read the Secret and plan again.
        existing = await readSecret(path, m.name as string, ctx);
        continue;
      }
      if (e instanceof KubeApiError && e.status === 422 && (existing as { immutable?: boolean } | undefined)?.immutable === true) {
        throw new PermanentError(`Secret "${m.name}" is immutable and its data differs; delete it to let the controller recreate it`, 'update', EventReason.ErrUpdateFailed);
      }
      if (e instanceof KubeApiError && !isTransient(e)) {
        throw new PermanentError(`cannot write Secret "${m.name}": ${sanitize(e)}`, 'update', EventReason.ErrUpdateFailed);
      }
      throw e;
    }
  }
  throw new Error(`Secret "${m.name}" changed while being written; retrying`);
}

/** The live Secret, values included; undefined when it does not exist. */
async function readSecret(path: string, name: string, ctx: ReconcileContext): Promise<Json | undefined> {
  try {
    return await ctx.client.request<Json>('GET', `${path}/${name}`);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

async function writeStatus(ss: Readonly<Json>, outcome: { ok: true } | { ok: false; message: string }, ctx: ReconcileContext, key: string, cachedRv: string): Promise<void> {
  const m = ss.metadata as { namespace: string; name: string; resourceVersion?: string; generation?: number; labels?: Record<string, string> };
  if (ctx.updateStatus) {
    try {
      await patchStatus(ss, outcome, ctx, key, cachedRv);
    } catch (e) {
      if (isNotFound(e)) return;
      if (!isConflict(e)) { ctx.metrics.unsealErrors.inc({ reason: 'status', namespace: m.namespace }); throw new Error(`could not update status of SealedSecret ${key}: ${sanitize(e)}`); }
      // Our cache is behind (e.g. a watch is down). Read the object; if its spec is the one we just
      // applied, write the status against the fresh version; otherwise the newer spec is reconciled next.
      const fresh = await ctx.client.request<Json>('GET', `/apis/bitnami.com/v1alpha1/namespaces/${m.namespace}/sealedsecrets/${m.name}`);
      const fm = fresh.metadata as { generation?: number; uid?: string };
      if (fm.generation !== m.generation || fm.uid !== (ss.metadata as { uid?: string }).uid) {
        throw new Error(`SealedSecret ${key} changed while being reconciled; retrying`);
      }
      try {
        await patchStatus(fresh, outcome, ctx, key, cachedRv);
      } catch (e2) {
        ctx.metrics.unsealErrors.inc({ reason: 'status', namespace: m.namespace });
        throw new Error(`could not update status of SealedSecret ${key}: ${sanitize(e2)}`);
      }
    }
  }
  ctx.metrics.conditionInfo.set(
    { namespace: m.namespace, name: m.name, condition: 'Synced', ss_app_kubernetes_io_instance: m.labels?.['app.kubernetes.io/instance'] ?? '' },
    outcome.ok ? 1 : -1,
  );
}

/** Merge-patches /status (conditional on the object's resourceVersion) when it would change. */
async function patchStatus(ss: Readonly<Json>, outcome: { ok: true } | { ok: false; message: string }, ctx: ReconcileContext, key: string, cachedRv: string): Promise<void> {
  const status = nextStatus(ss, outcome, ctx.now());
  if (!status) return;
  const m = ss.metadata as { namespace: string; name: string; resourceVersion?: string };
  const written = await ctx.client.request<Json>('PATCH', `/apis/bitnami.com/v1alpha1/namespaces/${m.namespace}/sealedsecrets/${m.name}/status`, {
    body: { metadata: { resourceVersion: m.resourceVersion }, status },
    contentType: 'application/merge-patch+json',
  });
  if (written?.metadata) ctx.statusWritten.set(key, { fromRv: cachedRv, object: written });
}

/** The cached object, unless we wrote a newer status for exactly that version. */
function freshest(key: string, cached: Readonly<Json> | undefined, ctx: ReconcileContext): Readonly<Json> | undefined {
  const w = ctx.statusWritten.get(key);
  if (!w) return cached;
  if (cached && (cached.metadata as { resourceVersion?: string }).resourceVersion === w.fromRv) return w.object;
  ctx.statusWritten.delete(key);
  return cached;
}

async function deleteOwnedSecret(namespace: string, name: string, ctx: ReconcileContext): Promise<void> {
  const s = await ctx.getSecret(namespace, name);
  const refs = ((s?.metadata ?? {}) as { ownerReferences?: Array<{ kind?: string; name?: string; uid?: string; controller?: boolean }> }).ownerReferences ?? [];
  const owner = refs.find((r) => r.controller && r.kind === 'SealedSecret' && r.name === name);
  if (!s || !owner || !isControlledBy(s, owner.uid ?? '')) return;
  try {
    await ctx.client.request('DELETE', `/api/v1/namespaces/${namespace}/secrets/${name}`, { body: { preconditions: { uid: (s.metadata as { uid?: string }).uid } } });
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}

/** One line, bounded, our own wording: CloakErrors carry no values; API messages name objects only. */
function sanitize(e: unknown): string {
  if (isCloakError(e)) return e.hint && e.code === 'UnsealFailed' ? e.message : errorText(e);
  return errorText(e);
}

export function splitKey(key: string): [string, string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}
