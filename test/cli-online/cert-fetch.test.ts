// The certificate comes from the controller when none is given (`cloak seal`, `cloak cert --fetch`,
// `cloak kubeseal --fetch-cert`), and kubeseal's --validate / --re-encrypt reach it through the
// API server's service proxy: all through the real binary.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import { unsealItems, type SealedSecretObject } from '../../src/sealed/index.js';
import { startTestCluster, type TestCluster } from '../support/cli-online/cluster.js';
import { runCloak } from '../support/cloak-cli.js';
import { sealFor, yamlOf } from '../support/cli-online/seal.js';
import { startStubController, type StubController } from '../support/cli-online/stub-controller.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir('cloak-cert-fetch-');
let cluster: TestCluster;
let stub: StubController;
const env = () => ({ KUBECONFIG: cluster.kubeconfig });
const secret = (name: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n  namespace: app\nstringData:\n  password: not-for-logs-42\n`;
const keysOf = () => stub.keys.map((k) => ({ privateKey: k.key.privateKey, fingerprint: k.key.fingerprint }));

before(async () => {
  cluster = await startTestCluster(dir);
  stub = await startStubController();
  // Bitnami's Service name: found without --controller-name, as kubeseal users expect.
  await cluster.addControllerService({ name: 'sealed-secrets-controller', target: stub.handler });
});
after(async () => {
  await cluster?.close();
});

test('cloak seal without --cert seals with the controller\'s certificate; it decrypts with the controller\'s key', async () => {
  const r = await runCloak(['seal'], { env: env(), input: secret('db') });
  assert.equal(r.code, 0, r.stderr);
  const ss = parse(r.stdout) as SealedSecretObject;
  assert.equal(ss.kind, 'SealedSecret');
  const { data } = await unsealItems(ss, keysOf());
  assert.equal(Buffer.from(data.password!).toString('utf8'), 'not-for-logs-42');
  assert.ok(stub.requests.some((q) => q.method === 'GET' && q.path === '/v1/cert.pem'));
  assert.ok(!r.stderr.includes('not-for-logs-42'));
});

test('cloak cert --fetch and cloak kubeseal --fetch-cert print the controller\'s PEM', async () => {
  const a = await runCloak(['cert', '--fetch'], { env: env() });
  assert.equal(a.code, 0, a.stderr);
  assert.equal(a.stdout.trim(), stub.newest().key.certPem.trim());
  const b = await runCloak(['kubeseal', '--fetch-cert'], { env: env() });
  assert.equal(b.code, 0, b.stderr);
  assert.equal(b.stdout.trim(), stub.newest().key.certPem.trim());
});

test('a wrong --controller-name is one cluster error naming the Service, and --cert still seals offline', async () => {
  const r = await runCloak(['seal', '--controller-name', 'nope'], { env: env(), input: secret('x') });
  assert.equal(r.code, 4, r.stderr);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /nope/);
  assert.match(r.stderr, /--cert/);
  const certFile = join(dir, 'cert.pem');
  writeFileSync(certFile, stub.newest().key.certPem);
  const offline = await runCloak(['seal', '--cert', certFile, '--controller-name', 'nope'], { env: env(), input: secret('x') });
  assert.equal(offline.code, 0, offline.stderr);
});

test('cloak kubeseal --validate: silent success, kubeseal\'s error when the controller cannot decrypt', async () => {
  const good = sealFor(stub.newest().key.certPem, { name: 'db', namespace: 'app', data: { k: 'v' } });
  const ok = await runCloak(['kubeseal', '--validate'], { env: env(), input: JSON.stringify(good) });
  assert.equal(ok.code, 0, ok.stderr);
  const moved = { ...good, metadata: { ...good.metadata, namespace: 'other' } };
  const bad = await runCloak(['kubeseal', '--validate'], { env: env(), input: JSON.stringify(moved) });
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /unable to decrypt sealed secret: other\/db/);
});

test('cloak kubeseal --re-encrypt writes stdout, or -w atomically, with the newest key', async () => {
  const ss = sealFor(stub.newest().key.certPem, { name: 'api', namespace: 'app', data: { token: 'tok-value-7' } });
  const input = join(dir, 'api.yaml');
  writeFileSync(input, yamlOf(ss));
  const newest = await stub.addKey();
  const out = await runCloak(['kubeseal', '--re-encrypt', '-f', input], { env: env() });
  assert.equal(out.code, 0, out.stderr);
  const re = JSON.parse(out.stdout) as SealedSecretObject;
  assert.ok(out.stdout.startsWith('{\n  "kind": "SealedSecret"'), 'JSON, kubeseal\'s default -o');
  assert.notEqual(re.spec.encryptedData.token, ss.spec.encryptedData.token);
  const { data } = await unsealItems(re, [{ privateKey: newest.key.privateKey, fingerprint: newest.key.fingerprint }]);
  assert.equal(Buffer.from(data.token!).toString('utf8'), 'tok-value-7');
  assert.equal(readFileSync(input, 'utf8'), yamlOf(ss), 'the input is not touched without -w');

  const target = join(dir, 'api-re.yaml');
  const w = await runCloak(['kubeseal', '--rotate', '-f', input, '-w', target], { env: env() });
  assert.equal(w.code, 0, w.stderr);
  assert.equal(w.stdout, '');
  assert.ok(existsSync(target));
  assert.ok(readFileSync(target, 'utf8').startsWith('---\napiVersion: bitnami.com/v1alpha1\nkind: SealedSecret'), 'YAML for -w *.yaml');
  assert.ok(!out.stdout.includes('tok-value-7') && !w.stderr.includes('tok-value-7'));
});
