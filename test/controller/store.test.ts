import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEvent, applyList, type Store } from '../../controller/runtime/index.js';

const obj = (ns: string, name: string, rv: string) => ({ metadata: { namespace: ns, name, resourceVersion: rv } });

test('relist emits deletes for vanished objects, adds for new ones and updates only for new versions', () => {
  const store: Store = new Map();
  assert.deepEqual(applyList(store, [obj('a', 'x', '1'), obj('a', 'y', '1')]).map((e) => e.type), ['add', 'add']);
  const events = applyList(store, [obj('a', 'y', '2'), obj('b', 'z', '1')]);
  assert.deepEqual(events.map((e) => `${e.type}:${(e.object.metadata as { name: string }).name}`), ['delete:x', 'update:y', 'add:z']);
  assert.equal(store.size, 2);
});

test('watch events keep the cache; same-version updates are dropped', () => {
  const store: Store = new Map();
  assert.equal(applyEvent(store, 'ADDED', obj('n', 'a', '1'))?.type, 'add');
  assert.equal(applyEvent(store, 'MODIFIED', obj('n', 'a', '1')), undefined);
  assert.equal(applyEvent(store, 'MODIFIED', obj('n', 'a', '2'))?.type, 'update');
  assert.equal(applyEvent(store, 'DELETED', obj('n', 'a', '3'))?.type, 'delete');
  assert.equal(applyEvent(store, 'DELETED', obj('n', 'a', '4')), undefined);
  assert.equal(store.size, 0);
});
