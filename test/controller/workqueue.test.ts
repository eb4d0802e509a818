import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkQueue } from '../../controller/runtime/index.js';
import { silentLogger } from '../../controller/log.js';

const opts = { name: 't', concurrency: 2, baseDelayMs: 2, maxDelayMs: 20, maxRetries: 3, qps: 1000, burst: 1000, log: silentLogger };

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => { resolve = r; });
  return { promise, resolve };
}

test('deduplicates queued keys and never runs one key twice at once', async () => {
  const q = new WorkQueue(opts);
  q.add('a'); q.add('a'); q.add('b');
  assert.equal(q.depth, 2);
  const seen: string[] = [];
  let inA = 0;
  let maxInA = 0;
  const gate = deferred();
  const done = deferred();
  q.run(async (key) => {
    seen.push(key);
    if (key === 'a') {
      inA++; maxInA = Math.max(maxInA, inA);
      if (seen.filter((k) => k === 'a').length === 1) { q.add('a'); await gate.promise; }
      inA--;
      if (seen.filter((k) => k === 'a').length === 2) done.resolve();
    }
  });
  gate.resolve();
  await done.promise;
  await q.shutdown();
  assert.deepEqual(seen.filter((k) => k === 'a').length, 2, 'the add during processing ran once more afterwards');
  assert.equal(maxInA, 1);
});

test('bounded concurrency', async () => {
  const q = new WorkQueue({ ...opts, concurrency: 2 });
  let active = 0;
  let peak = 0;
  let count = 0;
  const all = deferred();
  q.run(async () => {
    active++; peak = Math.max(peak, active);
    await new Promise((r) => setImmediate(r));
    active--;
    if (++count === 10) all.resolve();
  });
  for (let i = 0; i < 10; i++) q.add(`k${i}`);
  await all.promise;
  await q.shutdown();
  assert.equal(peak, 2);
});

test('failures back off exponentially and give up after maxRetries', async () => {
  const q = new WorkQueue({ ...opts, random: () => 0.5 });
  let calls = 0;
  const gaveUp = deferred();
  q.run(async () => {
    calls++;
    if (calls === 4) setImmediate(() => gaveUp.resolve());
    throw new Error('boom');
  });
  q.add('x');
  await gaveUp.promise;
  await new Promise((r) => setTimeout(r, 60));
  await q.shutdown();
  assert.equal(calls, 4, 'first try plus three retries');
  assert.equal(q.retries('x'), 0, 'forgotten after giving up');
});

test('backoff delays double from the base up to the cap, with jitter within ±10%', () => {
  const q = new WorkQueue({ ...opts, baseDelayMs: 1000, maxDelayMs: 8000, random: () => 1 });
  const delays = [1, 2, 3, 4, 5].map(() => q.addRateLimited('k'));
  assert.deepEqual(delays, [1100, 2200, 4400, 8800, 8800]);
  void q.shutdown();
});

test('the global bucket limits retries', () => {
  let now = 0;
  const q = new WorkQueue({ ...opts, baseDelayMs: 1, maxDelayMs: 1, qps: 1, burst: 1, now: () => now, random: () => 0.5 });
  assert.equal(q.addRateLimited('a'), 1);
  assert.equal(q.addRateLimited('b'), 1000, 'second retry waits for a token');
  now = 5000;
  assert.equal(q.addRateLimited('c'), 1);
  void q.shutdown();
});

test('requeueAfter schedules the key again; an earlier pending delay wins', async () => {
  const q = new WorkQueue(opts);
  let runs = 0;
  const twice = deferred();
  q.run(async () => {
    runs++;
    if (runs === 2) twice.resolve();
    return runs === 1 ? { requeueAfterMs: 5 } : undefined;
  });
  q.add('r');
  await twice.promise;
  await q.shutdown();
  assert.equal(runs, 2);
});

test('pause stops taking work and resumes with run', async () => {
  const q = new WorkQueue(opts);
  const seen: string[] = [];
  const one = deferred();
  q.run(async (k) => { seen.push(k); one.resolve(); });
  await q.pause();
  q.add('later');
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(seen.length, 0);
  q.run(async (k) => { seen.push(k); one.resolve(); });
  await one.promise;
  await q.shutdown();
  assert.deepEqual(seen, ['later']);
});
