// The online commands through the real bin/cloak against the real cloak-controller process, reached
// through the test API server's service proxy exactly as in a cluster: cert --fetch, validate,
// keys rotate/list/retire/backup and online reencrypt. (commands.test.ts covers the CLI's edge cases
// against an in-process contract stub; this file proves the stub and the controller agree.)
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import type { Json } from '../../controller/kube/index.js';
import { readPrivateKeys } from '../../src/sealed/index.js';
import { ensureNamespace, fetchCert, ssPath, startCluster, startController, waitFor, type Cluster, type ControllerProc } from '../support/controller/harness.js';
import { runCloak } from '../support/cloak-cli.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir('cloak-real-ctl-');
let cluster: Cluster;
let ctl: ControllerProc;
const env = () => ({ KUBECONFIG: cluster.kubeconfig });
const secretYaml = (name: string, value: string) =>
  `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n  namespace: app\nstringData:\n  password: ${value}\n`;

before(async () => {
  cluster = await startCluster();
  await ensureNamespace(cluster.client, 'app');
  ctl = await startController(cluster, ['--key-renew-period=0']);
  await waitFor('the first key', () => fetchCert(ctl.api), 60_000, ctl.logs);
  await cluster.client.request('POST', '/api/v1/namespaces/kube-system/services', {
    body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'cloak-controller', namespace: 'kube-system' }, spec: { ports: [{ name: 'http', port: 8080 }], selector: { name: 'cloak-controller' } } },
  });
  await cluster.server.registerServiceProxy('kube-system', 'cloak-controller', ctl.api);
});
after(async () => {
  await ctl?.stop();
  await cluster?.close();
});

async function keysList(): Promise<Array<{ fingerprint: string; newest: boolean; sealedSecrets: number }>> {
  const r = await runCloak(['keys', 'list', '-o', 'json'], { env: env() });
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { keys: Array<{ fingerprint: string; newest: boolean; sealedSecrets: number }> }).keys;
}

test('seal with the fetched cert, validate, rotate, reencrypt, retire and backup against the real controller', async () => {
  const fetched = await runCloak(['cert', '--fetch'], { env: env() });
  assert.equal(fetched.code, 0, fetched.stderr);
  assert.equal(fetched.stdout.trim(), (await (await fetch(`${ctl.api}/v1/cert.pem`)).text()).trim());
  const certFile = join(dir, 'cert.pem');
  writeFileSync(certFile, fetched.stdout);

  // One SealedSecret in Git and the same object applied to the cluster.
  const sealed = await runCloak(['seal', '--cert', certFile], { input: secretYaml('db', 'hunter2') });
  assert.equal(sealed.code, 0, sealed.stderr);
  const file = join(dir, 'db.yaml');
  writeFileSync(file, `# in Git\n${sealed.stdout}`);
  const object = parse(sealed.stdout) as Json;
  await cluster.client.request('POST', ssPath('app'), { body: object });

  const v = await runCloak(['validate', '-f', file], { env: env() });
  assert.equal(v.code, 0, v.stderr);
  assert.equal(v.stdout, `${file}: SealedSecret app/db: ok\n`);
  assert.ok(!v.stdout.includes('hunter2') && !v.stderr.includes('hunter2'));

  const [first] = await keysList();
  assert.ok(first);
  await waitFor('the applied SealedSecret counted against the first key', async () => (await keysList())[0]?.sealedSecrets === 1, 30_000, ctl.logs);

  const rot = await runCloak(['keys', 'rotate'], { env: env() });
  assert.equal(rot.code, 0, rot.stderr);
  const keys = await waitFor('two keys', async () => { const k = await keysList(); return k.length === 2 ? k : undefined; }, 30_000, ctl.logs);
  const newest = keys.find((k) => k.newest)!;
  assert.notEqual(newest.fingerprint, first.fingerprint);
  assert.equal(keys.find((k) => k.fingerprint === first.fingerprint)?.sealedSecrets, 1);

  const refused = await runCloak(['keys', 'retire', first.fingerprint], { env: env() });
  assert.equal(refused.code, 3);
  assert.match(refused.stderr, /cannot retire key \S+: 1 SealedSecret\(s\) still unseal with this key; re-encrypt them \(cloak reencrypt\) or pass --force/);

  const re = await runCloak(['reencrypt', '-f', file], { env: env() });
  assert.equal(re.code, 0, re.stderr);
  const text = readFileSync(file, 'utf8');
  assert.ok(text.startsWith('# in Git\n'), 'the comment is kept');
  const doc = parseAllDocuments(text)[0]!.toJS() as { metadata: { annotations?: Record<string, string> }; spec: { encryptedData: Record<string, string> } };
  assert.equal(doc.metadata.annotations?.['cloak.dev/sealing-key'], newest.fingerprint);
  assert.notEqual(doc.spec.encryptedData.password, (object.spec as { encryptedData: Record<string, string> }).encryptedData.password);
  const v2 = await runCloak(['validate', '-f', file], { env: env() });
  assert.equal(v2.code, 0, v2.stderr);

  const backup = join(dir, 'backup.yaml');
  const b = await runCloak(['keys', 'backup', '-o', backup], { env: env() });
  assert.equal(b.code, 0, b.stderr);
  assert.equal(statSync(backup).mode & 0o777, 0o600);
  const backedUp = readPrivateKeys(readFileSync(backup, 'utf8'), 'backup.yaml').map((k) => k.fingerprint).sort();
  assert.deepEqual(backedUp, [first.fingerprint, newest.fingerprint].sort());
  // The re-encrypted file opens with the newest key alone (offline, from the backup).
  const u = await runCloak(['unseal', '--key', backup, '-f', file, '-o', 'json']);
  assert.equal(u.code, 0, u.stderr);
  assert.equal(Buffer.from((JSON.parse(u.stdout) as { data: Record<string, string> }).data.password!, 'base64').toString(), 'hunter2');
});
