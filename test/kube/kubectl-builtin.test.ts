// Conformance of the test API server as kubectl 1.32 drives it, for built-in kinds: what kubectl prints
// and what the server stored.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kubectl, eventually, startKubeApiServer } from '../support/kube/index.js';
import type { KubeTestServer } from '../support/kube/index.js';

let server: KubeTestServer;
let k: Kubectl;
const file = (name: string, text: string): string => { const p = join(k.dir, name); writeFileSync(p, text); return p; };
const b64 = (s: string): string => Buffer.from(s).toString('base64');

before(async () => {
  server = await startKubeApiServer();
  k = new Kubectl();
  server.writeKubeconfig(k.kubeconfig);
});
after(async () => { await server.close(); k.dispose(); });

const secretYaml = (pw: string, extra = ''): string => `apiVersion: v1
kind: Secret
metadata:
  name: s1
  labels: {app: x}${extra}
stringData:
  password: ${pw}
`;

describe('kubectl create -f / get', () => {
  test('create prints created, folds stringData into data, and a second create is AlreadyExists', async () => {
    const f = file('secret.yaml', secretYaml('hunter2'));
    const r = await k.run(['create', '-f', f]);
    assert.equal(r.stdout, 'secret/s1 created\n');
    assert.equal(r.code, 0, r.stderr);
    const s = server.stored({ resource: 'secrets', namespace: 'default', name: 's1' })!;
    assert.deepEqual(s['data'], { password: b64('hunter2') });
    assert.equal(s['stringData'], undefined);
    assert.equal(s['type'], 'Opaque');
    assert.equal(s.metadata.managedFields?.[0]?.manager, 'kubectl-create');
    const again = await k.run(['create', '-f', f]);
    assert.equal(again.code, 1);
    assert.equal(again.stderr, `Error from server (AlreadyExists): error when creating "${f}": secrets "s1" already exists\n`);
    const create = server.hooks.requests.find((q) => q.method === 'POST' && q.path === '/api/v1/namespaces/default/secrets');
    assert.equal(create?.query['fieldValidation'], 'Strict', 'kubectl saw the OpenAPI fieldValidation parameter');
  });

  test('get -o yaml and -o json show the stored object; get lists it', async () => {
    const y = await k.run(['get', 'secret', 's1', '-o', 'yaml']);
    assert.match(y.stdout, /^apiVersion: v1\ndata:\n {2}password: aHVudGVyMg==\nkind: Secret\nmetadata:\n/);
    assert.match(y.stdout, /resourceVersion: "\d+"/);
    const j = JSON.parse((await k.run(['get', 'secret', 's1', '-o', 'json'])).stdout) as { metadata: { uid: string; resourceVersion: string } };
    const s = server.stored({ resource: 'secrets', namespace: 'default', name: 's1' })!;
    assert.equal(j.metadata.uid, s.metadata.uid);
    assert.equal(j.metadata.resourceVersion, s.metadata.resourceVersion);
    const list = await k.run(['get', 'secrets', '-l', 'app=x', '-o', 'name']);
    assert.equal(list.stdout, 'secret/s1\n');
    const none = await k.run(['get', 'secrets', '-l', 'app=nope']);
    assert.equal(none.stderr, 'No resources found in default namespace.\n');
    const missing = await k.run(['get', 'secret', 'nope']);
    assert.equal(missing.stderr, 'Error from server (NotFound): secrets "nope" not found\n');
  });

  test('create -f with an unknown field fails strict validation; --validate=false drops it', async () => {
    const f = file('bad.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c1}\ndata: {a: b}\nbogus: 1\n');
    const r = await k.run(['create', '-f', f]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "bogus"/);
    const ok = await k.run(['create', '--validate=false', '-f', f]);
    assert.equal(ok.stdout, 'configmap/c1 created\n');
    assert.equal(server.stored({ resource: 'configmaps', name: 'c1' })!['bogus'], undefined);
  });
});

describe('kubectl apply', () => {
  test('client-side apply: configured with a strategic merge patch, then unchanged for data without stringData', async () => {
    const f = file('secret.yaml', secretYaml('hunter3'));
    const r = await k.run(['apply', '-f', f]);
    assert.equal(r.stdout, 'secret/s1 configured\n');
    assert.match(r.stderr, /missing the kubectl.kubernetes.io\/last-applied-configuration annotation/);
    const patchReq = server.hooks.requests.findLast((q) => q.method === 'PATCH' && q.path.endsWith('/secrets/s1'));
    assert.equal(patchReq?.headers['content-type'], 'application/strategic-merge-patch+json');
    const s = server.stored({ resource: 'secrets', name: 's1' })!;
    assert.deepEqual(s['data'], { password: b64('hunter3') });
    assert.match(s.metadata.annotations!['kubectl.kubernetes.io/last-applied-configuration']!, /"stringData":\{"password":"hunter3"\}/);

    const cm = file('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c2}\ndata: {a: "1", b: "2"}\n');
    assert.equal((await k.run(['apply', '-f', cm])).stdout, 'configmap/c2 created\n');
    assert.equal((await k.run(['apply', '-f', cm])).stdout, 'configmap/c2 unchanged\n');
    file('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c2}\ndata: {a: "1"}\n');
    assert.equal((await k.run(['apply', '-f', cm])).stdout, 'configmap/c2 configured\n');
    assert.deepEqual(server.stored({ resource: 'configmaps', name: 'c2' })!['data'], { a: '1' }, 'a key removed from the manifest is pruned through last-applied');
  });

  test('server-side apply: created, applied, field removal, conflict and --force-conflicts', async () => {
    const f = file('ssa.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa, labels: {team: a}}\ndata: {x: "1", z: "2"}\n');
    assert.equal((await k.run(['apply', '--server-side', '-f', f])).stdout, 'configmap/ssa serverside-applied\n');
    const req = server.hooks.requests.findLast((q) => q.method === 'PATCH' && q.path.endsWith('/configmaps/ssa'));
    assert.equal(req?.headers['content-type'], 'application/apply-patch+yaml');
    assert.equal(req?.query['fieldManager'], 'kubectl');
    let cm = server.stored({ resource: 'configmaps', name: 'ssa' })!;
    assert.deepEqual(cm.metadata.managedFields?.map((m) => [m.manager, m.operation]), [['kubectl', 'Apply']]);
    assert.deepEqual(cm.metadata.managedFields?.[0]?.fieldsV1, { 'f:data': { 'f:x': {}, 'f:z': {} }, 'f:metadata': { 'f:labels': { 'f:team': {} } } });

    file('ssa.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa, labels: {team: a}}\ndata: {x: "1"}\n');
    assert.equal((await k.run(['apply', '--server-side', '-f', f])).stdout, 'configmap/ssa serverside-applied\n');
    cm = server.stored({ resource: 'configmaps', name: 'ssa' })!;
    assert.deepEqual(cm['data'], { x: '1' }, 'a field the manager stopped applying is removed');

    const other = await k.run(['apply', '--server-side', '--field-manager=other', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa}\ndata: {x: "9"}\n' });
    assert.equal(other.code, 1);
    assert.match(other.stderr, /^error: Apply failed with 1 conflict: conflict with "kubectl": \.data\.x\n/);
    const forced = await k.run(['apply', '--server-side', '--field-manager=other', '--force-conflicts', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa}\ndata: {x: "9"}\n' });
    assert.equal(forced.stdout, 'configmap/ssa serverside-applied\n');
    cm = server.stored({ resource: 'configmaps', name: 'ssa' })!;
    assert.equal((cm['data'] as Record<string, string>)['x'], '9');
    const owners = Object.fromEntries(cm.metadata.managedFields!.map((m) => [m.manager, m.fieldsV1]));
    assert.deepEqual(owners['other'], { 'f:data': { 'f:x': {} } });
    assert.deepEqual(owners['kubectl'], { 'f:metadata': { 'f:labels': { 'f:team': {} } } });
  });
});

describe('kubectl label / annotate / patch', () => {
  test('label and annotate send merge patches with their field managers', async () => {
    assert.equal((await k.run(['label', 'secret', 's1', 'app=y', '--overwrite'])).stdout, 'secret/s1 labeled\n');
    assert.equal((await k.run(['annotate', 'secret', 's1', 'note=hi'])).stdout, 'secret/s1 annotated\n');
    const s = server.stored({ resource: 'secrets', name: 's1' })!;
    assert.equal(s.metadata.labels!['app'], 'y');
    assert.equal(s.metadata.annotations!['note'], 'hi');
    const managers = s.metadata.managedFields!.map((m) => m.manager);
    assert.ok(managers.includes('kubectl-label') && managers.includes('kubectl-annotate'), managers.join());
    const bad = await k.run(['label', 'secret', 's1', 'bad key=1']);
    assert.equal(bad.code, 1);
  });

  test('patch: strategic (default), merge and json', async () => {
    assert.equal((await k.run(['patch', 'secret', 's1', '-p', `{"data":{"k":"${b64('v')}"}}`])).stdout, 'secret/s1 patched\n');
    assert.equal((await k.run(['patch', 'secret', 's1', '--type=merge', '-p', '{"metadata":{"labels":{"m":"1"}}}'])).stdout, 'secret/s1 patched\n');
    assert.equal((await k.run(['patch', 'secret', 's1', '--type=json', '-p', '[{"op":"remove","path":"/data/k"}]'])).stdout, 'secret/s1 patched\n');
    const types = server.hooks.requests.filter((q) => q.method === 'PATCH' && q.path.endsWith('/secrets/s1')).slice(-3).map((q) => q.headers['content-type']);
    assert.deepEqual(types, ['application/strategic-merge-patch+json', 'application/merge-patch+json', 'application/json-patch+json']);
    const s = server.stored({ resource: 'secrets', name: 's1' })!;
    assert.deepEqual(Object.keys(s['data'] as object), ['password']);
    assert.equal(s.metadata.labels!['m'], '1');
    const noop = await k.run(['patch', 'secret', 's1', '--type=merge', '-p', '{"metadata":{"labels":{"m":"1"}}}']);
    assert.equal(noop.stdout, 'secret/s1 patched (no change)\n');
    const failed = await k.run(['patch', 'secret', 's1', '--type=json', '-p', '[{"op":"replace","path":"/data/absent","value":"x"}]']);
    assert.equal(failed.code, 1);
    assert.equal(failed.stderr, 'The request is invalid: replace operation does not apply: doc is missing key: /data/absent: missing value\n');
  });

  test('strategic merge on a Deployment merges containers by name', async () => {
    const d = file('deploy.yaml', `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - {name: a, image: "a:1"}
        - {name: b, image: "b:1"}
`);
    assert.equal((await k.run(['apply', '-f', d])).stdout, 'deployment.apps/web created\n');
    assert.equal((await k.run(['patch', 'deployment', 'web', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"b","image":"b:2"}]}}}}'])).stdout, 'deployment.apps/web patched\n');
    const dep = server.stored({ group: 'apps', resource: 'deployments', name: 'web' })!;
    const containers = ((dep['spec'] as { template: { spec: { containers: Array<{ name: string; image: string }> } } }).template.spec.containers);
    assert.deepEqual(containers.map((c) => `${c.name}=${c.image}`), ['a=a:1', 'b=b:2']);
    assert.equal(dep.metadata.generation, 2);
    assert.equal((dep['spec'] as { replicas: number }).replicas, 1, 'defaulted');
  });
});

describe('kubectl get -w / delete --wait', () => {
  test('get -w prints the list, then watched changes', async () => {
    const w = k.start(['get', 'configmaps', '-w', '-o', 'name']);
    await eventually(() => w.stdout().includes('configmap/c2'), 'initial list');
    await k.run(['apply', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: watched}\ndata: {a: "1"}\n' });
    await eventually(() => w.stdout().includes('configmap/watched'), 'watched ADDED');
    await w.stop();
    const watchReq = server.hooks.requests.find((q) => q.path === '/api/v1/namespaces/default/configmaps' && q.query['watch'] === 'true');
    assert.ok(watchReq?.query['resourceVersion'], 'watch starts at the list resourceVersion');
  });

  test('delete waits for finalizers to be removed', async () => {
    await k.run(['apply', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fin, finalizers: [example.com/hold]}\n' });
    const del = k.run(['delete', 'configmap', 'fin', '--timeout=60s']);
    const cm = await eventually(() => { const o = server.stored({ resource: 'configmaps', name: 'fin' }); return o?.metadata.deletionTimestamp ? o : undefined; }, 'deletionTimestamp');
    assert.equal(cm.metadata.deletionGracePeriodSeconds, 0);
    await eventually(() => server.hooks.requests.some((q) => q.path === '/api/v1/namespaces/default/configmaps' && q.query['watch'] === 'true' && q.query['fieldSelector'] === 'metadata.name=fin'), 'kubectl watching');
    const rm = await k.run(['patch', 'configmap', 'fin', '--type=json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]']);
    assert.equal(rm.stdout, 'configmap/fin patched\n');
    const r = await del;
    assert.equal(r.stdout, 'configmap "fin" deleted\n');
    assert.equal(r.code, 0);
    assert.equal(server.stored({ resource: 'configmaps', name: 'fin' }), undefined);
  });
});
