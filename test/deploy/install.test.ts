// The kustomize base applied with kubectl 1.32 to the test API server (RBAC enforced), and the real
// cloak-controller process running with the cloak-controller ServiceAccount's token: if the manifests
// grant too little, these tests fail. The CLI reaches the controller through the service proxy as a
// plain authenticated user, granted only by the manifests' service-proxier Role.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fetchCertPem, findController, loadKubeConfig } from '../../src/kube/index.js';
import { startKubeApiServer, type KubeTestServer } from '../support/kube/index.js';
import { runCli } from '../support/cli-online/run-cli.js';
import { sealFor, yamlOf } from '../support/cli-online/seal.js';
import { installCloak, type Installed } from '../support/deploy/install.js';
import { kubectl } from '../support/deploy/kubectl.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir('cloak-install-');
const devToken = 'developer-token';
let server: KubeTestServer;
let installed: Installed;
let devKubeconfig: string;

before(async () => {
  server = await startKubeApiServer({ tokens: { [devToken]: { username: 'dev@example.com', groups: ['developers'] } } });
  installed = await installCloak({ server, dir, controllerArgs: ['--key-size=2048', '--backoff-base=200ms'] });
  devKubeconfig = join(dir, 'dev.kubeconfig');
  writeFileSync(devKubeconfig, server.kubeconfig({ token: devToken, namespace: 'app' }));
  await api('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'app' } });
});
after(async () => {
  await installed?.controller.stop();
  await server?.close();
});

async function api(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; body: Record<string, any> }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await fetch(server.url + path, {
    method,
    headers: { Authorization: `Bearer ${server.adminToken}`, 'Content-Type': contentType },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function until<T>(what: string, f: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const v = await f();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}\ncontroller log:\n${installed.controller.logs().split('\n').slice(-20).join('\n')}`);
}

async function devCert(): Promise<string> {
  const target = await loadKubeConfig({ kubeconfig: devKubeconfig, env: {}, cwd: dir });
  return fetchCertPem(await findController(target));
}

test('every manifest installs with kubectl, PodDisruptionBudget and NetworkPolicy included', () => {
  assert.match(installed.applyOutput, /customresourcedefinition.apiextensions.k8s.io\/sealedsecrets.bitnami.com created/);
  assert.match(installed.applyOutput, /deployment.apps\/cloak-controller created/);
  assert.match(installed.applyOutput, /clusterrole.rbac.authorization.k8s.io\/cloak-controller-unsealer created/);
  assert.match(installed.applyOutput, /poddisruptionbudget.policy\/cloak-controller created/);
  assert.match(installed.applyOutput, /networkpolicy.networking.k8s.io\/cloak-controller created/);
  assert.deepEqual(installed.skipped, []);
});

test('under its ServiceAccount the controller generates a key and unseals a SealedSecret applied with kubectl', async () => {
  const ss = sealFor(await devCert(), { name: 'db', namespace: 'app', data: { password: 'hunter2' } });
  const file = join(dir, 'db.yaml');
  writeFileSync(file, yamlOf(ss));
  const applied = await kubectl(['apply', '-f', file], { kubeconfig: installed.adminKubeconfig });
  assert.equal(applied.code, 0, applied.stderr);
  const secret = await until('the Secret', async () => {
    const r = await api('GET', '/api/v1/namespaces/app/secrets/db');
    return r.status === 200 ? r.body : undefined;
  });
  assert.equal(Buffer.from(secret.data.password, 'base64').toString(), 'hunter2');
  const wait = await kubectl(['wait', '--for=condition=Synced', 'sealedsecret/db', '-n', 'app', '--timeout=30s'], { kubeconfig: installed.adminKubeconfig });
  assert.equal(wait.code, 0, wait.stderr);
  assert.ok(!installed.controller.logs().includes('hunter2'));
  assert.ok(!/forbidden/i.test(installed.controller.logs()), installed.controller.logs());
});

test('a plain authenticated user can validate, list keys and re-encrypt through the proxy, but not rotate or retire keys', async () => {
  const env = { KUBECONFIG: devKubeconfig };
  const admin = { KUBECONFIG: installed.adminKubeconfig };
  const file = join(dir, 'db.yaml');
  const v = await runCli(['validate', '-f', file], { env });
  assert.equal(v.code, 0, v.stderr);
  const before = JSON.parse((await runCli(['keys', 'list', '-o', 'json'], { env })).stdout) as { keys: Array<{ fingerprint: string }> };

  const denied = await runCli(['keys', 'rotate'], { env });
  assert.equal(denied.code, 4, denied.stderr);
  assert.match(denied.stderr, /^error: key Secret kube-system\/sealed-secrets-key\S*: cannot ask for a new key: not allowed to patch secrets.*`kubectl auth can-i patch secrets -n kube-system` must say yes\)$/m);
  const unchanged = JSON.parse((await runCli(['keys', 'list', '-o', 'json'], { env })).stdout) as { keys: Array<{ fingerprint: string }> };
  assert.deepEqual(unchanged.keys.map((k) => k.fingerprint), before.keys.map((k) => k.fingerprint), 'no key was made');

  const rot = await runCli(['keys', 'rotate'], { env: admin });
  assert.equal(rot.code, 0, rot.stderr);
  const newest = /^new sealing key (\S+) \(Secret kube-system\/(\S+)\)$/m.exec(rot.stdout)!;
  assert.ok(newest, rot.stdout);
  const re = await runCli(['reencrypt', '-f', file], { env });
  assert.equal(re.code, 0, re.stderr);
  assert.match(readFileSync(file, 'utf8'), new RegExp(`cloak.dev/sealing-key: "?${newest[1]!.replace(/[+/]/g, '\\$&')}`));
  const applied = await kubectl(['apply', '-f', file], { kubeconfig: installed.adminKubeconfig });
  assert.equal(applied.code, 0, applied.stderr);

  const keys = await until('the old key to be unused', async () => {
    const r = await runCli(['keys', 'list', '-o', 'json'], { env });
    const list = (JSON.parse(r.stdout) as { keys: Array<{ fingerprint: string; newest: boolean; sealedSecrets: number }> }).keys;
    const old = list.find((k) => !k.newest);
    return old && old.sealedSecrets === 0 && list.find((k) => k.newest)?.sealedSecrets === 1 ? list : undefined;
  });
  const old = keys.find((k) => !k.newest)!;
  const newestRefused = await runCli(['keys', 'retire', newest[1]!], { env: admin });
  assert.equal(newestRefused.code, 3);
  assert.match(newestRefused.stderr, /^error: controller kube-system\/cloak-controller: cannot retire key \S+: this is the newest key/m);
  const retireDenied = await runCli(['keys', 'retire', old.fingerprint], { env });
  assert.equal(retireDenied.code, 4, retireDenied.stderr);
  assert.match(retireDenied.stderr, /cannot retire the key: not allowed to patch secrets/);
  const retire = await runCli(['keys', 'retire', old.fingerprint], { env: admin });
  assert.equal(retire.code, 0, retire.stderr);
  assert.equal(retire.stdout, `retired key ${old.fingerprint}\n`);
  const after = JSON.parse((await runCli(['keys', 'list', '-o', 'json'], { env })).stdout) as { keys: Array<{ fingerprint: string }> };
  assert.deepEqual(after.keys.map((k) => k.fingerprint), [newest[1]]);
  assert.ok(!/forbidden/i.test(installed.controller.logs()), installed.controller.logs());
});

test('the same user cannot back up the keys (no list on Secrets): one line with the RBAC fix', async () => {
  const r = await runCli(['keys', 'backup', '-o', join(dir, 'backup.yaml')], { env: { KUBECONFIG: devKubeconfig } });
  assert.equal(r.code, 4);
  assert.match(r.stderr, /^error: key Secrets in namespace kube-system: not allowed to list secrets: .*\(ask a cluster admin for RBAC: `kubectl auth can-i list secrets -n kube-system` must say yes\)$/m);
  const admin = await runCli(['keys', 'backup', '-o', join(dir, 'backup.yaml')], { env: { KUBECONFIG: installed.adminKubeconfig } });
  assert.equal(admin.code, 0, admin.stderr);
});

test('RBAC is really enforced for the controller: without `create secrets` a SealedSecret fails to sync', async () => {
  // Both ClusterRoles (the unsealer's and the external half's) grant it; take it away from both.
  const roles = ['cloak-controller-unsealer', 'cloak-controller-external'].map((n) => `/apis/rbac.authorization.k8s.io/v1/clusterroles/${n}`);
  const originals = await Promise.all(roles.map(async (path) => (await api('GET', path)).body.rules as Array<{ resources: string[]; verbs: string[] }>));
  for (const [i, path] of roles.entries()) {
    const reduced = originals[i]!.map((r) => (r.resources.includes('secrets') ? { ...r, verbs: r.verbs.filter((v) => v !== 'create') } : r));
    assert.equal((await api('PATCH', path, { rules: reduced }, 'application/merge-patch+json')).status, 200);
  }
  try {
    const ss = sealFor(await devCert(), { name: 'blocked', namespace: 'app', data: { k: 'v' } });
    assert.equal((await api('POST', '/apis/bitnami.com/v1alpha1/namespaces/app/sealedsecrets', ss)).status, 201);
    const cond = await until('Synced=False', async () => {
      const r = await api('GET', '/apis/bitnami.com/v1alpha1/namespaces/app/sealedsecrets/blocked');
      const c = (r.body.status?.conditions ?? []).find((x: { type: string }) => x.type === 'Synced');
      return c?.status === 'False' ? c : undefined;
    });
    assert.match(String(cond.message), /forbidden|not allowed|403/i);
    assert.equal((await api('GET', '/api/v1/namespaces/app/secrets/blocked')).status, 404);
  } finally {
    for (const [i, path] of roles.entries()) await api('PATCH', path, { rules: originals[i] }, 'application/merge-patch+json');
  }
});

test('RBAC is really enforced: without the proxier binding the user is refused, naming services/proxy', async () => {
  const del = await api('DELETE', '/apis/rbac.authorization.k8s.io/v1/namespaces/kube-system/rolebindings/cloak-controller-service-proxier');
  assert.equal(del.status, 200);
  const r = await runCli(['keys', 'list'], { env: { KUBECONFIG: devKubeconfig } });
  assert.equal(r.code, 4);
  assert.match(r.stderr, /^error: controller kube-system\/cloak-controller: not allowed to get services\/proxy "http:cloak-controller:http"/m);
});
