// How old a shared read may be for one sync. The read cache shares identical reads across
// ExternalSecrets for up to the refresh interval, but a sync must never get back a value its own
// previous sync read (a periodic refresh, jittered early or not, or a forced sync would then change
// nothing). So a sync accepts only entries fetched after this ExternalSecret's previous resolve
// ended, and no older than its refresh interval. The ends are kept in memory per read cache: after
// a restart the cache is empty too, so nothing of ours from before can be served.
import type { ExternalSecretObject } from '../../src/manifests/external-types.js';
import type { ReadCache } from '../../src/providers/shared/read-cache.js';

interface End { uid: string | undefined; at: number }
const ends = new WeakMap<ReadCache, Map<string, End>>();

function endsOf(reads: ReadCache): Map<string, End> {
  let m = ends.get(reads);
  if (!m) ends.set(reads, (m = new Map()));
  return m;
}

const keyOf = (es: ExternalSecretObject) => `${es.metadata.namespace}/${es.metadata.name}`;

/** The max age (ms) for this sync's shared reads, given its refresh interval. */
export function readMaxAgeMs(reads: ReadCache, es: ExternalSecretObject, intervalMs: number, now: number): number {
  const interval = Math.max(0, intervalMs);
  const prev = endsOf(reads).get(keyOf(es));
  if (!prev || prev.uid !== es.metadata.uid) return interval;
  // entries must satisfy fetchedAt >= (read time) - maxAge > prev.at
  return Math.max(0, Math.min(interval, now - prev.at - 1));
}

/** Records that this ExternalSecret's resolve ended at `at`. */
export function resolveEnded(reads: ReadCache, es: ExternalSecretObject, at: number): void {
  endsOf(reads).set(keyOf(es), { uid: es.metadata.uid, at });
}

export function forgetResolves(reads: ReadCache, namespace: string, name: string): void {
  endsOf(reads).delete(`${namespace}/${name}`);
}
