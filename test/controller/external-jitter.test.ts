// Refresh jitter: within ±10 %, deterministic per ExternalSecret and refresh cycle, spread across a
// herd; "is a refresh due" and the requeue delay agree; a forced sync (metadata change) is never delayed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ExternalSecretObject } from '../../src/manifests/external-types.js';
import { heldFetchedAt, intervalFromFetchMs, JITTER, jitterFraction, jitteredIntervalMs, readMaxAgeMs, requeueAfterMs, resolveEnded, shouldRefresh, syncedResourceVersion, syncHeld } from '../../controller/external/index.js';
import { ReadCache } from '../../src/providers/shared/read-cache.js';

const HOUR = 3_600_000;

test('jitterFraction: within ±10 %, the same for the same uid and cycle, spread over many uids', () => {
  const t = Date.parse('2026-01-01T12:00:00Z');
  const fs = Array.from({ length: 10_000 }, (_, i) => jitterFraction(`uid-${i}`, t));
  assert.ok(fs.every((f) => f >= -JITTER && f <= JITTER), 'bounded');
  assert.equal(jitterFraction('uid-7', t), fs[7], 'deterministic');
  assert.notEqual(jitterFraction('uid-7', t + 1000), fs[7], 'a new cycle draws again');
  const mean = fs.reduce((a, b) => a + b, 0) / fs.length;
  assert.ok(Math.abs(mean) < 0.005, `mean ${mean} near 0`);
  // Spread: 10 buckets over [-10 %, +10 %], each holds 7-13 % of the herd.
  const buckets = new Array<number>(10).fill(0);
  for (const f of fs) buckets[Math.min(9, Math.floor((f + JITTER) / (2 * JITTER) * 10))]!++;
  for (const b of buckets) assert.ok(b > 700 && b < 1300, `bucket ${b} of ${buckets.join(',')}`);
  assert.equal(jitteredIntervalMs(0, 'u', t), 0, 'interval 0 stays 0');
  const j = jitteredIntervalMs(HOUR, 'u', t);
  assert.ok(j >= HOUR * 0.9 && j <= HOUR * 1.1);
});

function es(uid: string, refreshTime: number, meta: Record<string, unknown> = {}, spec: Partial<ExternalSecretObject['spec']> = {}): ExternalSecretObject {
  const base = { name: 'x', namespace: 'n', generation: 1, uid };
  return {
    apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { ...base, ...meta }, spec: { refreshInterval: '1h', ...spec },
    status: { refreshTime: new Date(refreshTime).toISOString().replace(/\.\d{3}Z$/, 'Z'), syncedResourceVersion: syncedResourceVersion(base) },
  };
}

test('shouldRefresh and requeueAfterMs agree on the jittered due time; a forced sync is not delayed', () => {
  const synced = Date.parse('2026-01-01T12:00:00Z');
  for (let i = 0; i < 200; i++) {
    const e = es(`uid-${i}`, synced);
    const wait = requeueAfterMs(e, synced, synced)!;
    assert.ok(wait >= HOUR * 0.9 && wait <= HOUR * 1.1, `requeue ${wait}`);
    assert.equal(shouldRefresh(e, synced + wait - 1), false, 'not due 1 ms before the requeue');
    assert.equal(shouldRefresh(e, synced + wait), true, 'due when the requeue fires');
    // Right after a sync, any metadata change (force-sync annotation) is due at once.
    assert.equal(shouldRefresh(es(`uid-${i}`, synced, { annotations: { 'force-sync': '1' } }), synced + 1), true);
  }
  const waits = new Set(Array.from({ length: 50 }, (_, i) => requeueAfterMs(es(`uid-${i}`, synced), synced, synced)));
  assert.ok(waits.size > 40, 'a herd synced together requeues at different times');
  assert.equal(requeueAfterMs(es('u', synced, {}, { refreshPolicy: 'OnChange' }), synced, synced), undefined, 'OnChange has no periodic requeue');
});

test('readMaxAgeMs: a sync never gets back its own previous read; other ExternalSecrets share it', async () => {
  let clock = Date.parse('2026-01-01T12:00:00Z');
  const reads = new ReadCache({ now: () => clock });
  let loads = 0;
  const read = (maxAge: number) => reads.read('store|get|/k', maxAge, async () => ++loads);
  const a = es('uid-a', clock);
  const b = es('uid-b', clock);
  assert.equal(readMaxAgeMs(reads, a, HOUR, clock), HOUR, 'first sync in this process: reads within the interval are shared');
  await read(readMaxAgeMs(reads, a, HOUR, clock));
  clock += 50;
  resolveEnded(reads, a, clock);
  assert.equal(loads, 1);

  // A's periodic refresh, jittered early to 0.9 h: its own read must not come back.
  clock += HOUR * 0.9;
  assert.equal(await read(readMaxAgeMs(reads, a, HOUR, clock)), 2, 'fresh read on refresh');
  resolveEnded(reads, a, clock + 20);
  // B reads the same key a moment later: served by A's fresh read.
  clock += 100;
  assert.equal(await read(readMaxAgeMs(reads, b, HOUR, clock)), 2, 'shared across ExternalSecrets');
  // A forced sync of A right after its refresh: fresh again.
  clock += 100;
  assert.equal(await read(readMaxAgeMs(reads, a, HOUR, clock)), 3, 'a forced sync reads fresh');
  // A recreated ExternalSecret (new uid) starts over; interval 0 never shares.
  assert.equal(readMaxAgeMs(reads, { ...a, metadata: { ...a.metadata, uid: 'uid-a2' } }, HOUR, clock), HOUR);
  assert.equal(readMaxAgeMs(reads, b, 0, clock), 0);
});

test('sharers of one read fall due together, so a refresh window reads each key once', async () => {
  // 10 ExternalSecrets share one key; their first syncs are spread over 27 s of a 30 s interval
  // (a 10k first sync), which under a refreshTime schedule plus jitter made several of them refetch.
  const INTERVAL = 30_000;
  const t0 = Date.parse('2026-01-01T12:00:00.250Z');
  let clock = t0;
  const reads = new ReadCache({ now: () => clock });
  let loads = 0;
  const sync = async (e: ExternalSecretObject) => {
    let oldest: number | undefined;
    await reads.read('store|get|/k', readMaxAgeMs(reads, e, INTERVAL, clock), async () => ++loads, (at) => { oldest = Math.min(oldest ?? at, at); });
    resolveEnded(reads, e, clock + 5);
    const refreshTime = new Date(clock).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const synced = { ...e, status: { ...e.status, refreshTime } } as ExternalSecretObject;
    syncHeld(reads, synced, refreshTime, oldest!);
    return synced;
  };
  let herd: ExternalSecretObject[] = [];
  for (let i = 0; i < 10; i++) {
    clock = t0 + i * 3_000;
    herd.push(await sync(es(`uid-${i}`, clock, { name: `x${i}` }, { refreshInterval: '30s' })));
  }
  assert.equal(loads, 1, 'first sync: one read');
  const fetched = heldFetchedAt(reads, herd[9]!);
  assert.equal(fetched, t0, 'the last one holds the first read');
  assert.equal(heldFetchedAt(reads, { ...herd[9]!, status: { ...herd[9]!.status, refreshTime: '2020-01-01T00:00:00Z' } }), undefined, 'only for the sync its status shows');
  const due = t0 + intervalFromFetchMs(INTERVAL, t0);
  assert.ok(due - t0 >= INTERVAL && due - t0 <= INTERVAL * (1 + JITTER), `due ${due - t0} ms after the fetch`);
  for (const e of herd) {
    const held = heldFetchedAt(reads, e);
    assert.equal(requeueAfterMs(e, Date.parse(e.status!.refreshTime as string), e === herd[0] ? t0 : clock, held), due - (e === herd[0] ? t0 : clock), 'requeue lands at the shared due time');
    assert.equal(shouldRefresh(e, due - 1, held), false);
    assert.equal(shouldRefresh(e, due, held), true);
  }
  // Without the held read (e.g. after a restart) the schedule is ESO's refreshTime + jittered interval.
  assert.equal(shouldRefresh(herd[9]!, due, undefined), false, 'refreshTime schedule: the last one is not due yet');

  // Two more windows: every sharer refreshes at the shared due time; one read per window.
  for (let w = 0; w < 2; w++) {
    const at = heldFetchedAt(reads, herd[0]!)!;
    clock = at + intervalFromFetchMs(INTERVAL, at);
    const next: ExternalSecretObject[] = [];
    for (const e of herd) {
      assert.equal(shouldRefresh(e, clock, heldFetchedAt(reads, e)), true);
      next.push(await sync(e));
      clock += 10;
    }
    herd = next;
    assert.equal(loads, 2 + w, `window ${w + 1}: one more read`);
  }
});
