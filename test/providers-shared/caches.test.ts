// The shared read cache (staleness, coalescing, bounds), the client cache (versions, eviction
// closes) and the per-store limiter (concurrency, token bucket), with injected clocks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReadCache } from '../../src/providers/shared/read-cache.js';
import { ClientCache } from '../../src/providers/shared/client-cache.js';
import { StoreLimiter } from '../../src/providers/shared/rate-limit.js';
import type { ProviderClient } from '../../src/providers/types.js';

test('read cache: one read per window, explicit staleness, failures not cached', async () => {
  let now = 1000;
  const cache = new ReadCache({ now: () => now });
  let loads = 0;
  const load = async () => ++loads;
  assert.equal(await cache.read('k', 60_000, load), 1);
  assert.equal(await cache.read('k', 60_000, load), 1);
  now += 30_000;
  assert.equal(await cache.read('k', 60_000, load), 1);
  assert.equal(await cache.read('k', 10_000, load), 2, 'a caller accepting less staleness re-reads');
  now += 61_000;
  assert.equal(await cache.read('k', 60_000, load), 3);
  await assert.rejects(cache.read('bad', 60_000, async () => { throw new Error('boom'); }), /boom/);
  assert.equal(await cache.read('bad', 60_000, async () => 'ok'), 'ok');
  assert.deepEqual(cache.stats(), { hits: 2, misses: 5, coalesced: 0, size: 2 });
});

test('read cache: concurrent readers of one key share one load', async () => {
  const cache = new ReadCache();
  let loads = 0;
  let release!: (v: string) => void;
  const load = () => { loads++; return new Promise<string>((r) => { release = r; }); };
  const a = cache.read('k', 0, load);
  const b = cache.read('k', 0, load);
  release('v');
  assert.deepEqual(await Promise.all([a, b]), ['v', 'v']);
  assert.equal(loads, 1);
  assert.equal(cache.stats().coalesced, 1);
});

test('read cache is bounded (LRU)', async () => {
  const cache = new ReadCache({ maxEntries: 2 });
  await cache.read('a', 1e9, async () => 1);
  await cache.read('b', 1e9, async () => 2);
  await cache.read('a', 1e9, async () => 99);
  await cache.read('c', 1e9, async () => 3);
  assert.equal(cache.stats().size, 2);
  assert.equal(await cache.read('a', 1e9, async () => 100), 1, 'a was used recently and kept');
  assert.equal(await cache.read('b', 1e9, async () => 200), 200, 'b was evicted');
});

function fakeClient(closed: string[], name: string): ProviderClient {
  return {
    getSecret: async () => new Uint8Array(), getSecretMap: async () => ({}), getAllSecrets: async () => ({}),
    validate: async () => 'Ready', close: async () => { closed.push(name); },
  };
}

test('client cache: same version reuses, a new version closes the old client, eviction closes', async () => {
  const closed: string[] = [];
  const cache = new ClientCache({ maxEntries: 2 });
  let n = 0;
  const connect = () => Promise.resolve(fakeClient(closed, `c${++n}`));
  const a1 = await cache.get('ns/a', 'rv1', connect);
  assert.equal(await cache.get('ns/a', 'rv1', connect), a1);
  await cache.get('ns/a', 'rv2', connect);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(closed, ['c1']);
  await cache.get('ns/b', 'rv1', connect);
  await cache.get('ns/c', 'rv1', connect);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(closed, ['c1', 'c2']);
  await cache.close();
  assert.deepEqual(closed.sort(), ['c1', 'c2', 'c3', 'c4']);
});

test('client cache: concurrent gets share one connect; failed connects are not cached', async () => {
  const cache = new ClientCache();
  let connects = 0;
  const slow = () => { connects++; return new Promise<ProviderClient>((r) => setImmediate(() => r(fakeClient([], 'x')))); };
  await Promise.all([cache.get('k', 'v', slow), cache.get('k', 'v', slow)]);
  assert.equal(connects, 1);
  await assert.rejects(cache.get('bad', 'v', () => Promise.reject(new Error('no'))), /no/);
  await new Promise((r) => setImmediate(r));
  assert.equal(cache.stats().size, 1);
  await cache.close();
});

test('limiter: at most N calls in flight per store, others independent', async () => {
  const limiter = new StoreLimiter({ concurrency: 2 });
  let active = 0;
  let peak = 0;
  const gates: Array<() => void> = [];
  const job = () => new Promise<void>((resolve) => {
    active++; peak = Math.max(peak, active);
    gates.push(() => { active--; resolve(); });
  });
  const all = Array.from({ length: 5 }, () => limiter.run('store-a', job));
  const other = limiter.run('store-b', async () => 'free');
  assert.equal(await other, 'free');
  while (gates.length || active) {
    await new Promise((r) => setImmediate(r));
    gates.shift()?.();
  }
  await Promise.all(all);
  assert.equal(peak, 2);
});

test('limiter: token bucket spaces calls by the injected clock', async () => {
  let now = 0;
  const sleeps: number[] = [];
  const limiter = new StoreLimiter({ concurrency: 10, ratePerSecond: 2, burst: 1, now: () => now, sleep: async (ms) => { sleeps.push(ms); now += ms; } });
  for (let i = 0; i < 3; i++) await limiter.run('s', async () => undefined);
  assert.deepEqual(sleeps, [500, 500]);
});

test('client cache: an evicted client stays open until its last lease is released', async () => {
  const closed: string[] = [];
  const cache = new ClientCache();
  const lease = await cache.acquire('ns/a', 'rv1', async () => fakeClient(closed, 'old'));
  await cache.get('ns/a', 'rv2', async () => fakeClient(closed, 'new'));
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(closed, [], 'still leased by a reconcile in flight');
  lease.release();
  lease.release();
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(closed, ['old']);
  await cache.close();
  assert.deepEqual(closed, ['old', 'new']);
});
