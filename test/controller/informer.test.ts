import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Informer } from '../../controller/runtime/index.js';
import { silentLogger } from '../../controller/log.js';
import { FakeCollection } from '../support/controller/fake-kube.js';

function make(fake: FakeCollection, idleTimeoutMs = 0) {
  const events: string[] = [];
  const inf = new Informer({ name: 't', client: fake, path: '/x', log: silentLogger, backoffBaseMs: 2, backoffMaxMs: 10, idleTimeoutMs });
  inf.on({
    add: (o) => events.push(`add:${(o.metadata as { name: string }).name}`),
    update: (_p, o) => events.push(`update:${(o.metadata as { name: string }).name}`),
    delete: (o) => events.push(`delete:${(o.metadata as { name: string }).name}`),
  });
  return { inf, events };
}

async function until(what: string, f: () => boolean): Promise<void> {
  for (let i = 0; i < 2000; i++) { if (f()) return; await new Promise((r) => setTimeout(r, 2)); }
  throw new Error(`never: ${what}`);
}

test('synced resolves only after a successful list; failed lists are retried', async () => {
  const fake = new FakeCollection();
  fake.put('a');
  fake.failLists = 2;
  const { inf, events } = make(fake);
  inf.start();
  assert.equal(inf.hasSynced, false);
  await inf.synced;
  assert.equal(fake.listCalls, 3);
  assert.deepEqual(events, ['add:a']);
  await inf.stop();
});

test('a watch that fails with 500 is restarted and no event is lost', async () => {
  const fake = new FakeCollection();
  const { inf, events } = make(fake);
  inf.start();
  await inf.synced;
  await until('watching', () => fake.openWatches === 1);
  fake.put('a');
  fake.failWatchStatus = 500;
  fake.closeWatches();
  fake.put('b'); // happens while the watch is down
  await until('retrying', () => fake.watchCalls >= 3);
  fake.failWatchStatus = undefined;
  await until('b seen', () => events.includes('add:b'));
  assert.ok(inf.get('ns', 'b'));
  await inf.stop();
});

test('410 Expired relists; objects deleted meanwhile are reported as deletes', async () => {
  const fake = new FakeCollection();
  fake.put('a'); fake.put('b');
  const { inf, events } = make(fake);
  inf.start();
  await inf.synced;
  await until('watching', () => fake.openWatches === 1);
  const lists = fake.listCalls;
  fake.remove('a', true); // missed
  fake.closeWatches(410);
  await until('relisted', () => fake.listCalls > lists && events.includes('delete:a'));
  assert.equal(inf.get('ns', 'a'), undefined);
  assert.equal(inf.size, 1);
  await inf.stop();
});

test('the watchdog relists when no event arrives for the idle timeout', async () => {
  const fake = new FakeCollection();
  const { inf } = make(fake, 30);
  inf.start();
  await inf.synced;
  await until('relisted by the watchdog', () => fake.listCalls >= 3);
  await inf.stop();
});
