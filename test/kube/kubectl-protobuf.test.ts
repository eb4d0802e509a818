// The kubectl commands that send protobuf bodies (reference §B.9): `kubectl create namespace|secret|
// configmap|serviceaccount|role|rolebinding|clusterrole|clusterrolebinding` and `kubectl auth can-i`
// work as against a real API server, and what they stored is what kubectl meant.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Kubectl, startKubeApiServer } from '../support/kube/index.js';
import type { KubeTestServer } from '../support/kube/index.js';

let server: KubeTestServer;
let k: Kubectl;
const ROOT = join(import.meta.dirname, '../../..');
const b64 = (s: string): string => Buffer.from(s).toString('base64');

before(async () => {
  server = await startKubeApiServer();
  k = new Kubectl();
  server.writeKubeconfig(k.kubeconfig);
});
after(async () => { await server.close(); k.dispose(); });

async function ok(args: string[], stdout: string): Promise<void> {
  const r = await k.run(args);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, stdout);
}

test('create namespace, secrets (generic, tls, docker-registry), configmap and serviceaccount', async () => {
  await ok(['create', 'namespace', 'team'], 'namespace/team created\n');
  assert.equal(server.stored({ resource: 'namespaces', name: 'team' })?.['status']?.['phase' as never], 'Active');
  const protobufPost = server.hooks.requests.find((q) => q.method === 'POST' && q.path === '/api/v1/namespaces');
  assert.match(String(protobufPost?.headers['content-type']), /application\/vnd\.kubernetes\.protobuf/);

  await ok(['-n', 'team', 'create', 'secret', 'generic', 'db', '--from-literal=user=admin', '--from-literal=password=pa:ss=wd', '--type=example.com/db'], 'secret/db created\n');
  const db = server.stored({ resource: 'secrets', namespace: 'team', name: 'db' })!;
  assert.deepEqual(db['data'], { password: b64('pa:ss=wd'), user: b64('admin') });
  assert.equal(db['type'], 'example.com/db');

  await ok(['-n', 'team', 'create', 'secret', 'tls', 'web', `--cert=${join(ROOT, 'keys-example/tls.crt')}`, `--key=${join(ROOT, 'keys-example/tls.key')}`], 'secret/web created\n');
  const web = server.stored({ resource: 'secrets', namespace: 'team', name: 'web' })!;
  assert.equal(web['type'], 'kubernetes.io/tls');
  assert.match(Buffer.from((web['data'] as Record<string, string>)['tls.crt']!, 'base64').toString(), /BEGIN CERTIFICATE/);

  await ok(['-n', 'team', 'create', 'secret', 'docker-registry', 'pull', '--docker-server=r.example', '--docker-username=u', '--docker-password=p'], 'secret/pull created\n');
  assert.equal(server.stored({ resource: 'secrets', namespace: 'team', name: 'pull' })?.['type'], 'kubernetes.io/dockerconfigjson');

  await ok(['-n', 'team', 'create', 'configmap', 'cfg', '--from-literal=mode=fast'], 'configmap/cfg created\n');
  assert.deepEqual(server.stored({ resource: 'configmaps', namespace: 'team', name: 'cfg' })?.['data'], { mode: 'fast' });
  await ok(['-n', 'team', 'create', 'serviceaccount', 'bot'], 'serviceaccount/bot created\n');

  const dup = await k.run(['-n', 'team', 'create', 'secret', 'generic', 'db', '--from-literal=a=b']);
  assert.equal(dup.code, 1);
  assert.equal(dup.stderr, 'error: failed to create secret secrets "db" already exists\n');
});

test('create role, rolebinding, clusterrole, clusterrolebinding; auth can-i answers from them', async () => {
  await ok(['create', 'namespace', 'rbac'], 'namespace/rbac created\n');
  await ok(['-n', 'rbac', 'create', 'serviceaccount', 'bot'], 'serviceaccount/bot created\n');
  await ok(['-n', 'rbac', 'create', 'role', 'reader', '--verb=get,list', '--resource=secrets', '--resource-name=one'], 'role.rbac.authorization.k8s.io/reader created\n');
  assert.deepEqual(server.stored({ group: 'rbac.authorization.k8s.io', resource: 'roles', namespace: 'rbac', name: 'reader' })?.['rules'],
    [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['secrets'], resourceNames: ['one'] }]);
  await ok(['-n', 'rbac', 'create', 'rolebinding', 'bot-reads', '--role=reader', '--serviceaccount=rbac:bot'], 'rolebinding.rbac.authorization.k8s.io/bot-reads created\n');
  await ok(['create', 'clusterrole', 'pod-lister', '--verb=list', '--resource=pods'], 'clusterrole.rbac.authorization.k8s.io/pod-lister created\n');
  await ok(['create', 'clusterrolebinding', 'alice-lists', '--clusterrole=pod-lister', '--user=alice'], 'clusterrolebinding.rbac.authorization.k8s.io/alice-lists created\n');

  await ok(['auth', 'can-i', 'get', 'secrets/one', '-n', 'rbac', '--as=system:serviceaccount:rbac:bot'], 'yes\n');
  const no = await k.run(['auth', 'can-i', 'get', 'secrets/two', '-n', 'rbac', '--as=system:serviceaccount:rbac:bot']);
  assert.equal(no.code, 1);
  assert.equal(no.stdout, 'no\n');
  await ok(['auth', 'can-i', 'list', 'pods', '--all-namespaces', '--as=alice'], 'yes\n');
  await ok(['auth', 'can-i', 'delete', 'namespaces'], 'yes\n');
});
