// Reaching the controller with little RBAC, under rate limiting, and the functions the kubeseal
// command and `cloak seal`/`cert --fetch` call (fetch cert, validate text, re-encrypt text).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fetchControllerCertificate, reencryptSealedSecretsText, validateSealedSecretsText } from '../../cli/commands/keys-online/index.js';
import { readCertificate } from '../../src/crypto/index.js';
import { startTestCluster, type TestCluster } from '../support/cli-online/cluster.js';
import { runCli } from '../support/cli-online/run-cli.js';
import { sealFor, yamlOf } from '../support/cli-online/seal.js';
import { startStubController, type StubController } from '../support/cli-online/stub-controller.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir('cloak-proxy-access-');
let cluster: TestCluster;
let stub: StubController;

const token = 'proxy-only-user';

before(async () => {
  cluster = await startTestCluster(dir, { tokens: { [token]: { username: 'ci-bot' } } });
  stub = await startStubController();
  await cluster.addControllerService({ name: 'cloak-controller', target: stub.handler });
});
after(async () => {
  await cluster?.close();
});

test('with only services/proxy on the controller (no `get services`), the proxy is still used', async () => {
  const cfg = join(dir, 'bot.kubeconfig');
  writeFileSync(cfg, cluster.server.kubeconfig({ token }));

  const denied = await runCli(['keys', 'list', '--kubeconfig', cfg], { env: {} });
  assert.equal(denied.code, 4);
  assert.match(denied.stderr, /^error: controller kube-system\/cloak-controller: not allowed to get services\/proxy "http:cloak-controller:http" \(ask a cluster admin for RBAC/m);

  const rbac = 'rbac.authorization.k8s.io';
  assert.equal((await cluster.api('POST', `/apis/${rbac}/v1/namespaces/kube-system/roles`, {
    apiVersion: `${rbac}/v1`, kind: 'Role', metadata: { name: 'proxy-only', namespace: 'kube-system' },
    rules: [{ apiGroups: [''], resources: ['services/proxy'], resourceNames: ['http:cloak-controller:http'], verbs: ['get', 'create'] }],
  })).status, 201);
  assert.equal((await cluster.api('POST', `/apis/${rbac}/v1/namespaces/kube-system/rolebindings`, {
    apiVersion: `${rbac}/v1`, kind: 'RoleBinding', metadata: { name: 'proxy-only', namespace: 'kube-system' },
    roleRef: { apiGroup: rbac, kind: 'Role', name: 'proxy-only' }, subjects: [{ apiGroup: rbac, kind: 'User', name: 'ci-bot' }],
  })).status, 201);
  const ok = await runCli(['keys', 'list', '--kubeconfig', cfg], { env: {} });
  assert.equal(ok.code, 0, ok.stderr);
  assert.ok(ok.stdout.includes(stub.newest().key.fingerprint));
});

test('against Bitnami\'s controller (no /v1/keys), key commands say they need a Cloak controller', async () => {
  await cluster.addControllerService({
    name: 'sealed-secrets',
    target: (_req, res) => { res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }); res.end('404 page not found\n'); },
  });
  const r = await runCli(['keys', 'list', '--controller-name', 'sealed-secrets'], { env: { KUBECONFIG: cluster.kubeconfig } });
  assert.equal(r.code, 4);
  assert.match(r.stderr, /^error: controller kube-system\/sealed-secrets: cannot list keys: the controller answered 404 \(this needs a Cloak controller; Bitnami's sealed-secrets-controller serves only cert, verify and rotate\)$/m);
});

test('429 from the controller\'s rate limit is retried after Retry-After', async () => {
  const limited = await startStubController({ throttle: 3 });
  await cluster.addControllerService({ name: 'limited', target: limited.handler });
  const a = sealFor(limited.newest().key.certPem, { name: 'a', namespace: 'app', data: { k: 'v' } });
  const b = sealFor(limited.newest().key.certPem, { name: 'b', namespace: 'app', data: { k: 'v' } });
  const r = await runCli(['validate', '--controller-name', 'limited'], { env: { KUBECONFIG: cluster.kubeconfig }, input: yamlOf(a, b) });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(limited.requests.filter((x) => x.path === '/v1/verify').length, 5);
});

test('fetchControllerCertificate (for seal / cert --fetch) returns the newest cert and where it came from', async () => {
  const got = await fetchControllerCertificate({ env: { KUBECONFIG: cluster.kubeconfig }, cwd: dir }, {});
  assert.equal(got.source, 'controller kube-system/cloak-controller');
  assert.equal(readCertificate(got.pem, 'fetched').fingerprint, stub.newest().key.fingerprint);
  // kubeseal's env twin names the controller when no flag does.
  await assert.rejects(
    fetchControllerCertificate({ env: { KUBECONFIG: cluster.kubeconfig, SEALED_SECRETS_CONTROLLER_NAME: 'nope' }, cwd: dir }, {}),
    /no controller Service found \(tried kube-system\/nope\)/,
  );
  const flag = await fetchControllerCertificate({ env: { KUBECONFIG: cluster.kubeconfig, SEALED_SECRETS_CONTROLLER_NAME: 'nope' }, cwd: dir }, { controllerName: 'cloak-controller' });
  assert.equal(flag.source, 'controller kube-system/cloak-controller');
});

test('validate/re-encrypt text functions (for kubeseal --validate / --re-encrypt)', async () => {
  const io = { env: { KUBECONFIG: cluster.kubeconfig }, cwd: dir };
  const ss = sealFor(stub.newest().key.certPem, { name: 'db', namespace: 'app', data: { p: 'x' } });
  const ok = await validateSealedSecretsText(io, {}, JSON.stringify(ss), 'stdin');
  assert.deepEqual(ok, [{ where: 'stdin', ref: 'app/db', ok: true }]);
  const moved = { ...ss, metadata: { ...ss.metadata, name: 'other' } };
  await assert.rejects(validateSealedSecretsText(io, {}, JSON.stringify(moved), 'stdin'), /unable to decrypt sealed secret: app\/other/);
  await stub.addKey();
  const re = await reencryptSealedSecretsText(io, {}, yamlOf(ss), 'stdin');
  assert.equal(re.sealedSecrets, 1);
  assert.ok(re.text.includes(stub.newest().key.fingerprint));
  assert.ok(!re.text.includes(ss.spec.encryptedData.p!));
});
