// @kubernetes/client-node 2.0.1 informers against the test API server: list+watch, relist after 410,
// reconnect after the server closes the watch, label and field selectors.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CoreV1Api, KubeConfig, ListWatch, Watch, makeInformer } from '@kubernetes/client-node';
import type { V1ConfigMap } from '@kubernetes/client-node';
import { eventually, startKubeApiServer } from '../support/kube/index.js';
import type { KubeTestServer } from '../support/kube/index.js';

let server: KubeTestServer;
let kc: KubeConfig;
let core: CoreV1Api;
const NS = 'informers';
const PATH = `/api/v1/namespaces/${NS}/configmaps`;

before(async () => {
  server = await startKubeApiServer();
  kc = new KubeConfig();
  kc.loadFromString(server.kubeconfig());
  core = kc.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: NS } } });
});
after(async () => { await server.close(); });

const cm = (name: string, labels?: Record<string, string>): V1ConfigMap => ({ metadata: { name, ...(labels ? { labels } : {}) }, data: { v: '1' } });
const watches = () => server.hooks.requests.filter((r) => r.path === PATH && r.query['watch'] === 'true');
const lists = () => server.hooks.requests.filter((r) => r.path === PATH && r.query['watch'] === undefined && r.method === 'GET');

function record(inf: { on(v: 'add' | 'update' | 'delete', cb: (o: V1ConfigMap) => void): void }) {
  const events: string[] = [];
  inf.on('add', (o) => events.push(`add ${o.metadata?.name}`));
  inf.on('update', (o) => events.push(`update ${o.metadata?.name} ${o.data?.['v']}`));
  inf.on('delete', (o) => events.push(`delete ${o.metadata?.name}`));
  return events;
}

test('list+watch: add, update, delete arrive in order and the cache follows', async () => {
  await core.createNamespacedConfigMap({ namespace: NS, body: cm('pre') });
  const inf = makeInformer(kc, PATH, () => core.listNamespacedConfigMap({ namespace: NS }));
  const events = record(inf);
  await inf.start();
  await eventually(() => events.includes('add pre'), 'initial add');
  await eventually(() => watches().length === 1, 'watch open');
  await core.createNamespacedConfigMap({ namespace: NS, body: cm('live') });
  await core.patchNamespacedConfigMap({ namespace: NS, name: 'live', body: [{ op: 'replace', path: '/data/v', value: '2' }] });
  await core.deleteNamespacedConfigMap({ namespace: NS, name: 'live' });
  await eventually(() => events.includes('delete live'), 'delete event');
  assert.deepEqual(events, ['add pre', 'add live', 'update live 2', 'delete live']);
  assert.equal(inf.get('live', NS), undefined);
  assert.equal(inf.get('pre', NS)?.data?.['v'], '1');
  assert.equal(lists()[0]!.status, 200);
  assert.match(watches()[0]!.query['resourceVersion'] ?? '', /^\d+$/, 'the watch starts at the list resourceVersion');
  await inf.stop();
  await core.deleteNamespacedConfigMap({ namespace: NS, name: 'pre' });
});

test('after the server closes the watch the informer re-watches from its last resourceVersion', async () => {
  server.hooks.clearRequests();
  const inf = makeInformer(kc, PATH, () => core.listNamespacedConfigMap({ namespace: NS }));
  const events = record(inf);
  await inf.start();
  await eventually(() => watches().length === 1, 'first watch');
  await core.createNamespacedConfigMap({ namespace: NS, body: cm('a') });
  await eventually(() => events.includes('add a'), 'add a');
  const rvA = inf.get('a', NS)!.metadata!.resourceVersion!;
  server.hooks.closeWatches();
  await eventually(() => watches().length === 2, 'second watch');
  assert.equal(watches()[1]!.query['resourceVersion'], rvA);
  assert.equal(lists().length, 1, 'no relist for a normal close');
  await core.createNamespacedConfigMap({ namespace: NS, body: cm('b') });
  await eventually(() => events.includes('add b'), 'add b over the new watch');
  await inf.stop();
});

test('a compacted history answers ERROR 410 and the informer relists', async () => {
  server.hooks.clearRequests();
  const inf = makeInformer(kc, PATH, () => core.listNamespacedConfigMap({ namespace: NS }));
  const events = record(inf);
  await inf.start();
  await eventually(() => watches().length === 1, 'first watch');
  server.hooks.pauseWatches();
  await core.createNamespacedConfigMap({ namespace: NS, body: cm('missed') });
  server.hooks.compact();
  server.hooks.resumeWatches();
  await eventually(() => events.includes('add missed'), 'object recovered by the relist');
  assert.equal(lists().length, 2, 'listed again after 410');
  const rewatch = watches()[1]!;
  assert.equal(rewatch.status, 200);
  await eventually(() => watches().length >= 3, 'watch after relist');
  await core.createNamespacedConfigMap({ namespace: NS, body: cm('later') });
  await eventually(() => events.includes('add later'), 'add later');
  await inf.stop();

  // The wire format of the 410, as client-go and client-node expect it.
  const res = await fetch(`${server.url}${PATH}?watch=true&resourceVersion=1`);
  assert.equal(res.status, 200);
  const line = JSON.parse((await res.text()).trim()) as { type: string; object: { code: number; reason: string; message: string } };
  assert.equal(line.type, 'ERROR');
  assert.equal(line.object.code, 410);
  assert.equal(line.object.reason, 'Expired');
  assert.match(line.object.message, /^too old resource version: 1 \(\d+\)$/);
});

test('label selector: objects that start or stop matching are added and deleted', async () => {
  server.hooks.clearRequests();
  const sel = 'team=blue';
  const inf = makeInformer(kc, PATH, () => core.listNamespacedConfigMap({ namespace: NS, labelSelector: sel }), sel);
  const events = record(inf);
  await inf.start();
  await eventually(() => watches().length === 1, 'watch');
  assert.equal(watches()[0]!.query['labelSelector'], sel);
  await core.createNamespacedConfigMap({ namespace: NS, body: cm('red', { team: 'red' }) });
  await core.createNamespacedConfigMap({ namespace: NS, body: cm('blue', { team: 'blue' }) });
  await eventually(() => events.includes('add blue'), 'blue added');
  await core.patchNamespacedConfigMap({ namespace: NS, name: 'red', body: [{ op: 'replace', path: '/metadata/labels/team', value: 'blue' }] });
  await eventually(() => events.includes('add red'), 'red starts matching');
  await core.patchNamespacedConfigMap({ namespace: NS, name: 'blue', body: [{ op: 'replace', path: '/metadata/labels/team', value: 'green' }] });
  await eventually(() => events.includes('delete blue'), 'blue stops matching');
  assert.deepEqual(events, ['add blue', 'add red', 'delete blue']);
  assert.deepEqual(inf.list(NS).map((o) => o.metadata?.name), ['red']);
  await inf.stop();
});

test('field selector on the watch (ListWatch) sees only the named object', async () => {
  const fs = 'metadata.name=solo';
  const lw = new ListWatch<V1ConfigMap>(PATH, new Watch(kc), () => core.listNamespacedConfigMap({ namespace: NS, fieldSelector: fs }), false, undefined, fs);
  const events = record(lw);
  await lw.start();
  await core.createNamespacedConfigMap({ namespace: NS, body: cm('other') });
  await core.createNamespacedConfigMap({ namespace: NS, body: cm('solo') });
  await eventually(() => events.includes('add solo'), 'solo');
  assert.deepEqual(events, ['add solo']);
  const bad = await fetch(`${server.url}${PATH}?fieldSelector=spec.nope%3Dx`);
  assert.equal(bad.status, 400);
  assert.deepEqual(await bad.json(), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'field label not supported: spec.nope', reason: 'BadRequest', code: 400 });
  await lw.stop();
});
