// The online commands against the Kubernetes test server, reaching a contract-faithful in-process
// controller through the API server's service proxy: validate, reencrypt, keys list/rotate/retire/backup.
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import { readPrivateKeys } from '../../src/sealed/index.js';
import { keySecretManifest } from '../../src/sealed/index.js';
import type { SealedSecretObject } from '../../src/sealed/index.js';
import { startTestCluster, type TestCluster } from '../support/cli-online/cluster.js';
import { runCloak } from '../support/cloak-cli.js';
import { runCli } from '../support/cli-online/run-cli.js';
import { sealFor, yamlOf } from '../support/cli-online/seal.js';
import { startStubController, type StubController } from '../support/cli-online/stub-controller.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir('cloak-online-');
let cluster: TestCluster;
let stub: StubController;
let inCluster: SealedSecretObject[] = [];
const env = () => ({ KUBECONFIG: cluster.kubeconfig });

before(async () => {
  cluster = await startTestCluster(dir);
  stub = await startStubController({ sealedSecrets: () => inCluster });
  await cluster.addControllerService({ name: 'cloak-controller', target: stub.handler });
});
after(async () => {
  await cluster?.close();
});

test('validate: one line per SealedSecret; exit 3 naming the count when one cannot be decrypted', async () => {
  const good = sealFor(stub.newest().key.certPem, { name: 'db', namespace: 'app', data: { password: 'hunter2' } });
  const moved = { ...sealFor(stub.newest().key.certPem, { name: 'api', namespace: 'app', data: { token: 't' } }) };
  moved.metadata = { ...moved.metadata, namespace: 'elsewhere' };
  const file = join(dir, 'validate.yaml');
  writeFileSync(file, yamlOf(good, moved));

  const ok = await runCli(['validate', '-f', 'validate.yaml'], { env: env(), cwd: dir });
  assert.equal(ok.code, 3, ok.stderr);
  assert.equal(
    ok.stdout,
    'validate.yaml (document 1): SealedSecret app/db: ok\nvalidate.yaml (document 2): SealedSecret elsewhere/api: cannot be decrypted by the controller\n',
  );
  assert.match(ok.stderr, /^error: 1 of 2 SealedSecrets cannot be decrypted by controller kube-system\/cloak-controller \(.*re-seal them/m);

  writeFileSync(file, yamlOf(good));
  const all = await runCli(['validate', '-f', file], { env: env() });
  assert.equal(all.code, 0, all.stderr);
  assert.match(all.stderr, /1 SealedSecret can be decrypted by controller kube-system\/cloak-controller/);
  assert.ok(!all.stdout.includes('hunter2') && !all.stderr.includes('hunter2'));
});

test('validate reads stdin when no -f is given', async () => {
  const good = sealFor(stub.newest().key.certPem, { name: 'db', namespace: 'app', data: { password: 'x' } });
  const r = await runCli(['validate'], { env: env(), input: JSON.stringify(good) });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'stdin: SealedSecret app/db: ok\n');
});

test('reencrypt edits files in place with the newest key; a failing file is left untouched and named', async () => {
  const first = stub.newest();
  const ss = sealFor(first.key.certPem, { name: 'db', namespace: 'app', data: { password: 'hunter2', user: 'admin' } });
  const text = `# keep this comment\n${yamlOf(ss).replace('---\n', '')}---\n# and this one\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: untouched\n`;
  const good = join(dir, 'good.yaml');
  writeFileSync(good, text);
  const foreign = sealFor(first.key.certPem, { name: 'x', namespace: 'app', data: { k: 'v' } });
  foreign.metadata.name = 'renamed';
  const bad = join(dir, 'bad.yaml');
  const badText = yamlOf(foreign);
  writeFileSync(bad, badText);

  const second = await stub.addKey();
  const r = await runCli(['reencrypt', '-f', 'good.yaml', '-f', 'bad.yaml'], { env: env(), cwd: dir });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /^good\.yaml: re-encrypted 1 SealedSecret$/m);
  assert.match(r.stderr, /^error: bad\.yaml: the controller cannot decrypt SealedSecret app\/renamed/m);
  assert.match(r.stderr, /^error: 1 file could not be re-encrypted and were left unchanged/m);
  assert.equal(readFileSync(bad, 'utf8'), badText);

  const after = readFileSync(good, 'utf8');
  const parsed = parse(after.split('---\n# and this one')[0]!) as SealedSecretObject;
  assert.notEqual(parsed.spec.encryptedData.password, ss.spec.encryptedData.password);
  assert.equal(parsed.metadata.annotations?.['cloak.dev/sealing-key'], second.key.fingerprint);
  // Only the two ciphertexts and the hint changed.
  const expected = text
    .replace(ss.spec.encryptedData.password!, parsed.spec.encryptedData.password!)
    .replace(ss.spec.encryptedData.user!, parsed.spec.encryptedData.user!)
    .replace(first.key.fingerprint, second.key.fingerprint);
  assert.equal(after, expected);
  // The new copy decrypts with the newest key only: retire the old one and validate.
  const v = await runCli(['validate', '-f', good], { env: env() });
  assert.equal(v.code, 0, v.stderr);
});

test('the real binary (bin/cloak, bundled build) re-encrypts and validates a file in place', async () => {
  const ss = sealFor(stub.newest().key.certPem, { name: 'bin', namespace: 'app', data: { k: 'v' } });
  const file = join(dir, 'bin.yaml');
  writeFileSync(file, `# comment\n${yamlOf(ss)}`);
  await stub.addKey();
  const re = await runCloak(['reencrypt', '-f', file], { env: env() });
  assert.equal(re.code, 0, re.stderr);
  const text = readFileSync(file, 'utf8');
  assert.ok(text.startsWith('# comment\n---\n'));
  assert.ok(text.includes(stub.newest().key.fingerprint));
  const v = await runCloak(['validate', '-f', file], { env: env() });
  assert.equal(v.code, 0, v.stderr);
  assert.equal(v.stdout, `${file}: SealedSecret app/bin: ok\n`);
});

test('keys list; retire is refused while needed and for the newest key, before anything is changed', async () => {
  const oldest = stub.keys[0]!;
  inCluster = [sealFor(oldest.key.certPem, { name: 'db', namespace: 'app', data: { p: 'x' } })];
  const list = await runCli(['keys', 'list'], { env: env() });
  assert.equal(list.code, 0, list.stderr);
  const lines = list.stdout.trimEnd().split('\n');
  assert.match(lines[0]!, /^FINGERPRINT\s+CREATED\s+STATUS\s+SEALEDSECRETS\s+NAME$/);
  assert.equal(lines.length, stub.keys.length + 1);
  assert.match(lines[1]!, new RegExp(`^${escape(stub.newest().key.fingerprint)}\\s+\\S+Z\\s+newest\\s+0\\s+${stub.newest().name}$`));
  assert.match(list.stdout, new RegExp(`${escape(oldest.key.fingerprint)}\\s+\\S+\\s+active\\s+1\\s+`));

  const json = await runCli(['keys', 'list', '-o', 'json'], { env: env() });
  assert.equal((JSON.parse(json.stdout) as { keys: unknown[] }).keys.length, stub.keys.length);

  const refused = await runCli(['keys', 'retire', oldest.key.fingerprint], { env: env() });
  assert.equal(refused.code, 3);
  assert.match(refused.stderr, new RegExp(`^error: controller kube-system/cloak-controller: cannot retire key ${escape(oldest.key.fingerprint)}: 1 SealedSecret\\(s\\) still unseal with this key; re-encrypt them \\(cloak reencrypt\\) or pass --force$`, 'm'));
  assert.ok(stub.keys.includes(oldest));

  const newest = await runCli(['keys', 'retire', stub.newest().key.fingerprint, '--force'], { env: env() });
  assert.equal(newest.code, 3);
  assert.match(newest.stderr, /cannot retire key \S+: this is the newest key, which seals new secrets; rotate first/);

  const unknown = await runCli(['keys', 'retire', 'SHA256:nope'], { env: env() });
  assert.equal(unknown.code, 3);
  assert.match(unknown.stderr, /no key with fingerprint SHA256:nope/);
  inCluster = [];
});

test('keys backup writes a v1 List (mode 0600) that unseal can read, with a warning; -o is required', async () => {
  const k = stub.newest().key;
  const manifest = keySecretManifest({ generateName: 'sealed-secrets-key', namespace: 'kube-system', keyPem: k.keyPem, certPem: k.certPem });
  const created = await cluster.api('POST', '/api/v1/namespaces/kube-system/secrets', manifest);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  await cluster.api('POST', '/api/v1/namespaces/kube-system/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'unrelated', namespace: 'kube-system' }, data: { a: 'YQ==' } });

  const missing = await runCli(['keys', 'backup'], { env: env() });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /required option '-o, --output <file>' not specified/);

  const r = await runCli(['keys', 'backup', '-o', 'backup.yaml'], { env: env(), cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^warning: backup\.yaml holds 1 PRIVATE key of kube-system: whoever reads it can decrypt every SealedSecret/);
  const file = join(dir, 'backup.yaml');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  const list = parse(readFileSync(file, 'utf8')) as { kind: string; items: Array<{ metadata: Record<string, unknown> }> };
  assert.equal(list.kind, 'List');
  assert.equal(list.items.length, 1);
  assert.equal(list.items[0]!.metadata.uid, undefined);
  assert.equal(list.items[0]!.metadata.resourceVersion, undefined);
  const keys = readPrivateKeys(readFileSync(file, 'utf8'), 'backup.yaml');
  assert.deepEqual(keys.map((x) => x.fingerprint), [k.fingerprint]);
});

test('without --controller-name, Bitnami\'s Service names are tried too (unnamed port: http:NAME:)', async () => {
  const other = await startTestCluster(tempDir('cloak-online-bitnami-'));
  try {
    const bitnami = await startStubController();
    await other.addControllerService({ name: 'sealed-secrets-controller', portName: '', target: bitnami.handler });
    const ss = sealFor(bitnami.newest().key.certPem, { name: 'db', namespace: 'app', data: { p: 'x' } });
    const r = await runCli(['validate'], { env: { KUBECONFIG: other.kubeconfig }, input: JSON.stringify(ss) });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /controller kube-system\/sealed-secrets-controller/);

    const none = await runCli(['validate', '--controller-namespace', 'elsewhere'], { env: { KUBECONFIG: other.kubeconfig }, input: JSON.stringify(ss) });
    assert.equal(none.code, 4);
    assert.match(none.stderr, /^error: context "[^"]+": no controller Service found \(tried elsewhere\/cloak-controller, elsewhere\/sealed-secrets-controller, elsewhere\/sealed-secrets\) \(install the controller/m);

    // A Service whose pods are not running: the proxy cannot reach it.
    await other.addControllerService({ name: 'stopped' });
    const down = await runCli(['validate'], { env: { KUBECONFIG: other.kubeconfig, SEALED_SECRETS_CONTROLLER_NAME: 'stopped' }, input: JSON.stringify(ss) });
    assert.equal(down.code, 4);
    assert.match(down.stderr, /^error: controller kube-system\/stopped: the controller is not reachable through the API server \(503.*kubectl -n kube-system get pods,endpoints stopped/m);
  } finally {
    await other.close();
  }
});

test('over HTTPS the kubeconfig\'s certificate-authority-data is trusted; a wrong CA is a one-line TLS error', async () => {
  const tls = await startTestCluster(tempDir('cloak-online-tls-'), { https: true });
  try {
    const ctl = await startStubController();
    await tls.addControllerService({ name: 'cloak-controller', target: ctl.handler });
    const ok = await runCli(['keys', 'list'], { env: { KUBECONFIG: tls.kubeconfig } });
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, new RegExp(escape(ctl.newest().key.fingerprint)));
    const other = await startTestCluster(tempDir('cloak-online-tls2-'), { https: true });
    try {
      // The second server's CA with the first server's address.
      const wrongCa = readFileSync(other.kubeconfig, 'utf8').replace(/server: .*/, `server: ${tls.server.url}`);
      const cfg = join(dir, 'wrong-ca.yaml');
      writeFileSync(cfg, wrongCa.replace(/token: .*/, `token: ${tls.server.adminToken}`));
      const bad = await runCli(['keys', 'list', '--kubeconfig', cfg], { env: {} });
      assert.equal(bad.code, 4);
      assert.match(bad.stderr, /^error: https:\/\/127\.0\.0\.1:\d+ \(context "[^"]+"\): cannot reach the Kubernetes API server: \S+ \(check certificate-authority-data in the kubeconfig\)$/m);
    } finally {
      await other.close();
    }
  } finally {
    await tls.close();
  }
});

test('an unreachable API server is a cluster error naming the server and context', async () => {
  const cfg = join(dir, 'dead.yaml');
  writeFileSync(cfg, `apiVersion: v1
kind: Config
current-context: dead
clusters: [{name: dead, cluster: {server: "http://127.0.0.1:9", insecure-skip-tls-verify: true}}]
users: [{name: dead, user: {token: x}}]
contexts: [{name: dead, context: {cluster: dead, user: dead}}]
`);
  const r = await runCli(['keys', 'list', '--kubeconfig', cfg], { env: {} });
  assert.equal(r.code, 4);
  assert.match(r.stderr, /^error: http:\/\/127\.0\.0\.1:9 \(context "dead"\): cannot reach the Kubernetes API server: ECONNREFUSED \(check that the cluster is running/m);
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
