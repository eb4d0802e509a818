import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Informer } from '../../controller/runtime/index.js';
import { indexInformer } from '../../controller/runtime/informer-index.js';
import { silentLogger } from '../../controller/log.js';
import { FakeCollection } from '../support/controller/fake-kube.js';

async function until(what: string, f: () => boolean): Promise<void> {
  for (let i = 0; i < 2000; i++) { if (f()) return; await new Promise((r) => setTimeout(r, 2)); }
  throw new Error(`never: ${what}`);
}

const targetOf = (o: { spec?: { target?: string } }) => (o.spec?.target ? [o.spec.target] : []);
const names = (xs: readonly { metadata?: unknown }[]) => xs.map((o) => (o.metadata as { name: string }).name).sort();

test('the index follows adds, updates that change the value, deletes, and a relist after missed deletes', async () => {
  const fake = new FakeCollection();
  fake.put('a', { spec: { target: 'x' } });
  fake.put('b', { spec: { target: 'x' } });
  fake.put('c', {});
  const inf = new Informer({ name: 't', client: fake, path: '/x', log: silentLogger, backoffBaseMs: 2, backoffMaxMs: 10 });
  const byTarget = indexInformer(inf, (o) => targetOf(o as never));
  inf.start();
  await inf.synced;
  assert.deepEqual(names(byTarget('x')), ['a', 'b']);
  assert.deepEqual(byTarget('y'), []);

  await until('watching', () => fake.openWatches === 1);
  fake.put('b', { spec: { target: 'y' } }); // moved to another value
  fake.put('c', { spec: { target: 'x' } }); // gained one
  await until('b moved', () => names(byTarget('y')).join() === 'b');
  await until('c added', () => names(byTarget('x')).join() === 'a,c');

  fake.remove('a');
  await until('a gone', () => names(byTarget('x')).join() === 'c');

  // deleted while the watch was down: the relist removes it from the index too
  fake.remove('c', true);
  inf.relist();
  await until('c gone after relist', () => byTarget('x').length === 0);
  assert.deepEqual(names(byTarget('y')), ['b']);
  // what the index returns is the informer's current object
  assert.equal(byTarget('y')[0], inf.get('ns', 'b'));
  await inf.stop();
});
