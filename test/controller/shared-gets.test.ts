import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedGets } from '../../controller/external/shared-gets.js';

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => { resolve = r; });
  return { promise, resolve };
}

test('GETs of one path while one is in flight are one request; after it answered, a new GET is sent', async () => {
  const g = sharedGets();
  let calls = 0;
  const d = deferred<{ v: number }>();
  const load = () => { calls++; return d.promise; };
  const a = g.get('/x', load);
  const b = g.get('/x', load);
  d.resolve({ v: 1 });
  assert.deepEqual(await a, { v: 1 });
  assert.equal(await b, await a);
  assert.equal(calls, 1);
  assert.equal(g.joined, 1);
  await g.get('/x', async () => { calls++; return { v: 2 }; });
  assert.equal(calls, 2, 'not a cache');
});

test('a watch event starts a new epoch: later callers never join a GET that began before it', async () => {
  const g = sharedGets();
  const before = deferred<string>();
  const first = g.get('/store', () => before.promise);
  g.changed();
  const second = g.get('/store', async () => 'fixed');
  before.resolve('broken');
  assert.equal(await first, 'broken');
  assert.equal(await second, 'fixed');
});

test('shared answers are frozen, so one reconcile cannot change what another reads', async () => {
  const g = sharedGets();
  const o = await g.get('/s', async () => ({ metadata: { name: 's' }, data: { k: 'dg==' } }));
  assert.throws(() => { (o.data as Record<string, string>).k = 'x'; }, TypeError);
});

test('a failed GET is not kept: the next caller tries again', async () => {
  const g = sharedGets();
  await assert.rejects(g.get('/x', async () => { throw new Error('503'); }), /503/);
  assert.equal(await g.get('/x', async () => 'ok'), 'ok');
});
