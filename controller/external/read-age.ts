// How old a shared read may be for one sync, and when the data a sync got falls due again. The read
// cache shares identical reads across ExternalSecrets for up to the refresh interval, but a sync must
// never get back a value its own previous sync read (a periodic refresh, jittered early or not, or a
// forced sync would then change nothing). So a sync accepts only entries fetched after this
// ExternalSecret's previous resolve ended, and no older than its refresh interval.
//
// A sync that reused a read holds data older than its own refreshTime. Scheduling its next refresh
// from refreshTime would spread the ExternalSecrets sharing one read over a whole first-sync window,
// and those refreshing more than an interval after the read would each fetch it again. So after a
// sync whose every value came through the cache, the next periodic refresh is due one (jittered)
// interval after the oldest value's fetch: every sharer of a read falls due at the same moment, the
// first refetches and the rest share that. It is never later than ESO's refreshTime + interval plus
// the usual 10 % jitter, and the data a Secret holds is never older than that either.
// All of this is kept in memory per read cache: after a restart the cache is empty too, and the
// schedule falls back to refreshTime.
import { createHash } from 'node:crypto';
import type { ExternalSecretObject } from '../../src/manifests/external-types.js';
import type { ReadCache } from '../../src/providers/shared/read-cache.js';
import { JITTER } from './jitter.js';

interface Record_ {
  uid: string | undefined;
  /** When the last resolve ended. */
  at: number;
  /** The last successful sync: the refreshTime it wrote and its oldest value's fetch time. */
  held?: { refreshTime: string; fetchedAt: number };
}
const records = new WeakMap<ReadCache, Map<string, Record_>>();

function recordsOf(reads: ReadCache): Map<string, Record_> {
  let m = records.get(reads);
  if (!m) records.set(reads, (m = new Map()));
  return m;
}

const keyOf = (es: ExternalSecretObject) => `${es.metadata.namespace}/${es.metadata.name}`;

function current(reads: ReadCache, es: ExternalSecretObject): Record_ | undefined {
  const r = recordsOf(reads).get(keyOf(es));
  return r && r.uid === es.metadata.uid ? r : undefined;
}

/** The max age (ms) for this sync's shared reads, given its refresh interval. */
export function readMaxAgeMs(reads: ReadCache, es: ExternalSecretObject, intervalMs: number, now: number): number {
  const interval = Math.max(0, intervalMs);
  const prev = current(reads, es);
  if (!prev) return interval;
  // entries must satisfy fetchedAt >= (read time) - maxAge > prev.at
  return Math.max(0, Math.min(interval, now - prev.at - 1));
}

/** Records that this ExternalSecret's resolve ended at `at` (it forgets what the last sync held). */
export function resolveEnded(reads: ReadCache, es: ExternalSecretObject, at: number): void {
  recordsOf(reads).set(keyOf(es), { uid: es.metadata.uid, at });
}

/**
 * Records a sync whose status now says `refreshTime` and whose values were all read through the
 * cache, the oldest fetched at `fetchedAt`. Call it after the status write succeeded.
 */
export function syncHeld(reads: ReadCache, es: ExternalSecretObject, refreshTime: string, fetchedAt: number): void {
  const r = current(reads, es);
  if (r) r.held = { refreshTime, fetchedAt };
}

/** When the data of this ExternalSecret's last sync was fetched, if it is the sync its status shows. */
export function heldFetchedAt(reads: ReadCache, es: ExternalSecretObject): number | undefined {
  const held = current(reads, es)?.held;
  const refreshTime = (es.status as { refreshTime?: string } | undefined)?.refreshTime;
  return held && held.refreshTime === refreshTime ? held.fetchedAt : undefined;
}

/**
 * The periodic interval counted from a fetch time: stretched by 0 to +10 %, by a fraction derived
 * from the fetch time alone, so every ExternalSecret holding that read gets the same due time and
 * reads fetched at different moments spread out. Never shorter than the interval, so data reused
 * at any age up to the interval is not due again before the sync that reused it has finished.
 */
export function intervalFromFetchMs(intervalMs: number, fetchedAt: number): number {
  const h = createHash('sha256').update(`fetch|${fetchedAt}`).digest();
  return Math.round(intervalMs * (1 + (h.readUInt32BE(0) / 0xffff_ffff) * JITTER));
}

export function forgetResolves(reads: ReadCache, namespace: string, name: string): void {
  recordsOf(reads).delete(`${namespace}/${name}`);
}
