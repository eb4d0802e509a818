// One level-triggered ClusterExternalSecret pass (ESO clusterexternalsecret_controller.go reconcile):
// resolve the target namespaces; delete our children that are no longer wanted (namespace stopped
// matching, or spec.externalSecretName changed); create or update the child in each target namespace,
// refusing one that exists without being ours; then write status. No finalizers anywhere: children go
// with the CES through their ownerReferences. A pass with nothing to do writes nothing.
import { parseDuration } from '../../config/duration.js';
import type { Json, KubeClient } from '../../kube/index.js';
import { isAlreadyExists, isConflict, isNotFound } from '../../kube/index.js';
import type { Logger } from '../../log.js';
import { errorText } from '../../log.js';
import type { HandlerResult } from '../../runtime/index.js';
import { childName, fingerprint, isOwnedBy, newChild, updatedChild } from './child.js';
import { isTerminating, targetNamespaces } from './select.js';
import type { CesMetrics } from './metrics.js';
import { nextCesStatus, REASON_ALREADY_EXISTS, REASON_NOT_WATCHED, writeCesStatus, type CesOutcome } from './status.js';
import type { ClusterExternalSecretObject, NamespaceObject } from './types.js';

/**
 * ESO's default when spec.refreshTime is unset: the reconciler's RequeueInterval (time.Hour in
 * cmd/controller/root.go; the CRD has no schema default). Namespace and child watches drive every
 * change here; the timer is only a safety net.
 */
export const DEFAULT_CES_REFRESH = '1h';

export interface CesReconcileContext {
  client: KubeClient;
  getCes(name: string): ClusterExternalSecretObject | undefined;
  namespaces(): NamespaceObject[];
  /** Namespaces this controller may write to (undefined: all). */
  inScope(namespace: string): boolean;
  getChild(namespace: string, name: string): Readonly<Json> | undefined;
  /** Every ExternalSecret controlled by the ClusterExternalSecret `cesName`. */
  childrenOf(cesName: string): Readonly<Json>[];
  childWritten(namespace: string, name: string, before: Readonly<Json> | undefined, after: Readonly<Json> | undefined, sent?: string): void;
  /**
   * Fingerprint of the body we last sent for this child, if neither its spec (generation) nor our metadata changed since
   * that write. Guards against a write loop when the API server (defaulting, a mutating webhook) stores something else
   * than we sent; status writes by the ExternalSecret controller do not lift it.
   */
  lastSent(namespace: string, name: string, current: Readonly<Json>): string | undefined;
  statusWritten(before: ClusterExternalSecretObject, after: ClusterExternalSecretObject): void;
  metrics?: CesMetrics;
  now?(): number;
  log: Logger;
}

export class CesConflictError extends Error {}

const esUrl = (ns: string, name = '') => `/apis/external-secrets.io/v1/namespaces/${ns}/externalsecrets${name ? `/${name}` : ''}`;
const metaOf = (o: Readonly<Json>) => o.metadata as { name: string; namespace: string };

/** spec.refreshTime in ms (0: never re-evaluate on a timer); an unparseable value falls back to the default. */
export function cesRefreshMs(ces: ClusterExternalSecretObject, log?: Logger): number {
  const text = ces.spec.refreshTime ?? DEFAULT_CES_REFRESH;
  const ms = parseDuration(String(text));
  if (ms !== undefined) return ms;
  log?.warn(`spec.refreshTime is not a duration; using ${DEFAULT_CES_REFRESH}`, { clusterExternalSecret: ces.metadata.name, refreshTime: String(text) });
  return parseDuration(DEFAULT_CES_REFRESH)!;
}

export async function reconcileClusterExternalSecret(key: string, ctx: CesReconcileContext, signal?: AbortSignal): Promise<HandlerResult | void> {
  const name = key.slice(key.indexOf('/') + 1);
  const ces = ctx.getCes(name);
  if (!ces || ces.metadata.deletionTimestamp) return;
  const now = ctx.now ?? (() => performance.now());
  const start = now();
  const refreshMs = cesRefreshMs(ces, ctx.log);
  const esName = childName(ces);
  const outcome: CesOutcome = { externalSecretName: esName, provisioned: [], failed: new Map() };
  let conflict = false;
  const finish = async (): Promise<HandlerResult | void> => {
    const after = await writeCesStatus(ctx.client, ces, nextCesStatus(ces, outcome), signal);
    if (after) ctx.statusWritten(ces, after);
    ctx.metrics?.observe(name, outcome.failed.size === 0, now() - start);
    if (conflict) throw new CesConflictError(`ClusterExternalSecret ${name}: conflict while writing an ExternalSecret; retrying`);
    return refreshMs > 0 ? { requeueAfterMs: refreshMs } : undefined;
  };

  let targets: NamespaceObject[];
  try {
    targets = targetNamespaces(ces, ctx.namespaces());
  } catch (e) {
    // ESO records the failure against the namespace "unknown". A bad selector is permanent: no hot retry
    // (ESO's backoff would only repeat it); a spec edit re-enqueues, and spec.refreshTime looks again.
    // Nothing is deleted then, so the namespaces provisioned before stay listed (ESO leaves them too).
    outcome.failed.set('unknown', errorText(e));
    outcome.provisioned = [...(ces.status?.provisionedNamespaces ?? [])];
    ctx.log.warn('cannot select namespaces', { clusterExternalSecret: name, error: errorText(e) });
    return finish();
  }
  // Selected but outside the namespaces this controller watches (--all-namespaces=false, --additional-namespaces): say so.
  for (const ns of targets) if (!ctx.inScope(ns.metadata.name)) outcome.failed.set(ns.metadata.name, REASON_NOT_WATCHED);
  targets = targets.filter((ns) => ctx.inScope(ns.metadata.name));
  const wanted = new Set(targets.map((ns) => ns.metadata.name));

  // Children no longer wanted: their namespace stopped matching (or is out of scope), or they carry an old name.
  for (const child of ctx.childrenOf(name)) {
    const m = metaOf(child);
    if (wanted.has(m.namespace) && m.name === esName) continue;
    try {
      await ctx.client.request('DELETE', esUrl(m.namespace, m.name), signal ? { signal } : {});
      ctx.log.info('ExternalSecret deleted', { clusterExternalSecret: name, externalSecret: `${m.namespace}/${m.name}` });
    } catch (e) {
      if (!isNotFound(e)) { outcome.failed.set(m.namespace, `external secret in non matching namespace could not be deleted: ${errorText(e)}`); continue; }
    }
    ctx.childWritten(m.namespace, m.name, child, undefined);
  }

  for (const ns of targets) {
    const namespace = ns.metadata.name;
    if (isTerminating(ns)) continue;
    const existing = ctx.getChild(namespace, esName);
    if (existing && !isOwnedBy(existing, name)) {
      outcome.failed.set(namespace, REASON_ALREADY_EXISTS);
      continue;
    }
    try {
      if (!existing) {
        const body = newChild(ces, namespace);
        const created = await ctx.client.request<Json>('POST', esUrl(namespace), { body, ...(signal ? { signal } : {}) });
        ctx.childWritten(namespace, esName, undefined, created, fingerprint(body));
        ctx.log.info('ExternalSecret created', { clusterExternalSecret: name, externalSecret: `${namespace}/${esName}` });
      } else {
        const body = updatedChild(ces, existing);
        if (body && ctx.lastSent(namespace, esName, existing) !== fingerprint(body)) {
          const updated = await ctx.client.request<Json>('PUT', esUrl(namespace, esName), { body, ...(signal ? { signal } : {}) });
          ctx.childWritten(namespace, esName, existing, updated, fingerprint(body));
          ctx.log.info('ExternalSecret updated', { clusterExternalSecret: name, externalSecret: `${namespace}/${esName}` });
        }
      }
    } catch (e) {
      if (signal?.aborted) throw e;
      // A stale cache (created meanwhile, or changed under us): record it and retry at once.
      if (isConflict(e) || isAlreadyExists(e)) conflict = true;
      outcome.failed.set(namespace, `could not create or update ExternalSecret: ${errorText(e)}`);
      continue;
    }
    outcome.provisioned.push(namespace);
  }
  return finish();
}
