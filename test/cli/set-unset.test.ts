// `cloak set FILE KEY` and `cloak unset FILE KEY` through the real bin/cloak: one item changes, sealed
// for the scope the file already has; the other items, comments and layout stay byte for byte.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { encodeBase64, hybridDecrypt, hybridEncrypt, parsePrivateKeyPem, readCertificate } from '../../src/crypto/index.js';
import { readDocuments } from '../../src/manifests/documents.js';
import type { SealedSecretObject } from '../../src/sealed/index.js';
import { startTestCluster } from '../support/cli-online/cluster.js';
import { startStubController } from '../support/cli-online/stub-controller.js';
import { FIXTURES, runCloak } from '../support/cloak-cli.js';
import { tempDir } from '../support/temp-dir.js';

const K = join(FIXTURES, 'interop/keys');
const OLD_KEY = join(K, 'old.key.pem');
const NEW_KEY = join(K, 'new.key.pem');
const OLD_CRT = join(K, 'old.crt.pem');
const NEW_CRT = join(K, 'new.crt.pem');
const oldCert = readCertificate(readFileSync(OLD_CRT), 'old');
const newCert = readCertificate(readFileSync(NEW_CRT), 'new');
const newKey = parsePrivateKeyPem(readFileSync(NEW_KEY, 'utf8'), 'new')[0]!.privateKey;
const ct = (value: string | Buffer, label: string) => encodeBase64(hybridEncrypt(oldCert.publicKey, Buffer.from(value), Buffer.from(label)));
const dir = tempDir('cloak-set-');

const strictText = () => `# db credentials for prod
apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata:
  name: db
  namespace: prod
  annotations:
    cloak.dev/sealing-key: ${oldCert.fingerprint}   # who sealed it
spec:
  encryptedData:
    user: '${ct('admin', 'prod/db')}'
    password: ${ct('hunter2', 'prod/db')}   # rotate yearly
  template:
    metadata:
      name: db
      namespace: prod
`;

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function only(file: string): SealedSecretObject {
  return readDocuments(readFileSync(file, 'utf8'), file)[0]!.object as unknown as SealedSecretObject;
}

async function unsealed(file: string): Promise<Record<string, string>> {
  const r = await runCloak(['unseal', '--key', OLD_KEY, '--key', NEW_KEY, '-f', file, '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const data = JSON.parse(r.stdout).data as Record<string, string>;
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));
}

describe('cloak set', () => {
  it('adds an item for the file\'s strict scope; the other items and comments stay byte for byte', async () => {
    const before = strictText();
    const file = write('add.yaml', before);
    const r = await runCloak(['set', file, 'api-token', '--from-literal', 's3cr3t-token', '--cert', NEW_CRT]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, `${file}: added item "api-token" of SealedSecret prod/db (scope strict) for key ${newCert.fingerprint}\n`);
    const after = readFileSync(file, 'utf8');
    const ss = only(file);
    const added = ss.spec.encryptedData['api-token']!;
    assert.equal(hybridDecrypt(newKey, Buffer.from(added, 'base64'), Buffer.from('prod/db')).toString(), 's3cr3t-token');
    // Take the new line out and the hint back: the original file.
    const restored = after.replace(`    api-token: ${added}\n`, '')
      .replace(/cloak\.dev\/sealing-keys: .*?(\s+# who sealed it)/, `cloak.dev/sealing-key: ${oldCert.fingerprint}$1`);
    assert.equal(restored, before);
    assert.deepEqual(JSON.parse(ss.metadata.annotations!['cloak.dev/sealing-keys']!), { 'api-token': newCert.fingerprint, password: oldCert.fingerprint, user: oldCert.fingerprint });
    assert.deepEqual(await unsealed(file), { 'api-token': 's3cr3t-token', password: 'hunter2', user: 'admin' });
    assert.doesNotMatch(r.stderr + r.stdout, /s3cr3t/);
  });

  it('replaces an item of a namespace-wide CRLF file from --from-file, keeping CRLF and the other item', async () => {
    const other = ct('keep', 'team-a');
    const before = `apiVersion: bitnami.com/v1alpha1\r\nkind: SealedSecret\r\nmetadata:\r\n  name: shared\r\n  namespace: team-a\r\n  annotations:\r\n    sealedsecrets.bitnami.com/namespace-wide: "true"\r\nspec:\r\n  encryptedData:\r\n    cfg: ${ct('old', 'team-a')}\r\n    other: ${other}\r\n`;
    const file = write('crlf.yaml', before);
    const value = Buffer.from([0, 1, 2, 255, 10, 13]);
    writeFileSync(join(dir, 'value.bin'), value);
    const r = await runCloak(['set', file, 'cfg', '--from-file', join(dir, 'value.bin'), '--cert', OLD_CRT]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /updated item "cfg" of SealedSecret team-a\/shared \(scope namespace-wide\)/);
    const after = readFileSync(file, 'utf8');
    const ss = only(file);
    assert.equal(after, before.replace(/cfg: \S+/, `cfg: ${ss.spec.encryptedData['cfg']}`));
    assert.equal(ss.spec.encryptedData['other'], other);
    const key = parsePrivateKeyPem(readFileSync(OLD_KEY, 'utf8'), 'old')[0]!.privateKey;
    assert.deepEqual(hybridDecrypt(key, Buffer.from(ss.spec.encryptedData['cfg']!, 'base64'), Buffer.from('team-a')), value);
    const add = await runCloak(['set', file, 'extra', '--from-literal', 'x', '--cert', OLD_CRT]);
    assert.equal(add.code, 0, add.stderr);
    const added = readFileSync(file, 'utf8');
    assert.equal(added, `${after}    extra: ${only(file).spec.encryptedData['extra']}\r\n`, 'appended with CRLF');
  });

  it('seals a cluster-wide item with the empty label, and edits a kubeseal JSON file', async () => {
    const file = write('cw.json', `${JSON.stringify({
      kind: 'SealedSecret', apiVersion: 'bitnami.com/v1alpha1',
      metadata: { name: 'cw', annotations: { 'sealedsecrets.bitnami.com/cluster-wide': 'true' } },
      spec: { encryptedData: { a: ct('ay', '') } },
    }, null, 2)}\n`);
    const r = await runCloak(['set', file, 'b', '--from-literal', 'bee', '--cert', NEW_CRT]);
    assert.equal(r.code, 0, r.stderr);
    const ss = only(file);
    assert.equal(hybridDecrypt(newKey, Buffer.from(ss.spec.encryptedData['b']!, 'base64'), Buffer.alloc(0)).toString(), 'bee');
    assert.deepEqual(await unsealed(file), { a: 'ay', b: 'bee' });
  });

  it('without --cert, fetches the certificate from the controller, as seal does', async () => {
    const cluster = await startTestCluster(dir);
    after(() => cluster.close());
    const stub = await startStubController();
    await cluster.addControllerService({ name: 'cloak-controller', target: stub.handler });
    const file = write('online.yaml', strictText());
    const r = await runCloak(['set', file, 'fetched', '--from-literal', 'from-the-cluster'], { env: { KUBECONFIG: cluster.kubeconfig } });
    assert.equal(r.code, 0, r.stderr);
    const ss = only(file);
    const k = stub.newest().key;
    assert.match(r.stderr, new RegExp(`for key ${k.fingerprint.replace(/[+/]/g, '\\$&')}$`, 'm'));
    assert.equal(hybridDecrypt(k.privateKey, Buffer.from(ss.spec.encryptedData['fetched']!, 'base64'), Buffer.from('prod/db')).toString(), 'from-the-cluster');
  });

  it('refuses without a value, with two values, a bad key, several SealedSecrets or no namespace, leaving the file alone', async () => {
    const text = strictText();
    const file = write('refuse.yaml', text);
    const none = await runCloak(['set', file, 'k', '--cert', NEW_CRT]);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /^error: give the value with exactly one of --from-literal VALUE or --from-file FILE/m);
    const both = await runCloak(['set', file, 'k', '--from-literal', 'v', '--from-file', file, '--cert', NEW_CRT]);
    assert.equal(both.code, 1);
    const bad = await runCloak(['set', file, 'no/slash', '--from-literal', 'v', '--cert', NEW_CRT]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /invalid item name "no\/slash"/);
    const two = write('two.yaml', `${text}---\n${text}`);
    const many = await runCloak(['set', two, 'k', '--from-literal', 'v', '--cert', NEW_CRT]);
    assert.equal(many.code, 2);
    assert.match(many.stderr, /2 SealedSecret documents in this file; set and unset edit a file with exactly one/);
    const nons = write('nons.yaml', text.replace('  namespace: prod\n', ''));
    const nsr = await runCloak(['set', nons, 'k', '--from-literal', 'v', '--cert', NEW_CRT]);
    assert.equal(nsr.code, 2);
    assert.match(nsr.stderr, /metadata\.namespace is missing, and the strict scope binds items to it \(set metadata\.namespace/);
    const nocert = await runCloak(['set', file, 'k', '--from-literal', 'v']);
    assert.notEqual(nocert.code, 0);
    assert.match(nocert.stderr, /--cert FILE\|URL/);
    assert.equal(readFileSync(file, 'utf8'), text);
    assert.equal(readFileSync(two, 'utf8'), `${text}---\n${text}`);
  });
});

describe('cloak unset', () => {
  it('removes one item; everything else stays byte for byte, per-item hints drop the item', async () => {
    const before = strictText().replace(`cloak.dev/sealing-key: ${oldCert.fingerprint}`, `cloak.dev/sealing-keys: '{"password":"${oldCert.fingerprint}","user":"${oldCert.fingerprint}"}'`);
    const file = write('unset.yaml', before);
    const r = await runCloak(['unset', file, 'user']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, `${file}: removed item "user" of SealedSecret prod/db\n`);
    const after = readFileSync(file, 'utf8');
    const ss = only(file);
    assert.deepEqual(Object.keys(ss.spec.encryptedData), ['password']);
    const expected = before.replace(/ {4}user: '[^']+'\n/, '').replace(/cloak\.dev\/sealing-keys: '[^']+'/, `cloak.dev/sealing-keys: '{"password":"${oldCert.fingerprint}"}'`);
    assert.equal(after, expected);
    assert.deepEqual(await unsealed(file), { password: 'hunter2' });
  });

  it('refuses the last item and unknown items, leaving the file alone', async () => {
    const text = strictText();
    const file = write('unset-refuse.yaml', text);
    const unknown = await runCloak(['unset', file, 'nope']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no item "nope" in spec\.encryptedData \(items: password, user\)/);
    assert.equal((await runCloak(['unset', file, 'user'])).code, 0);
    const last = await runCloak(['unset', file, 'password']);
    assert.equal(last.code, 2);
    assert.match(last.stderr, /"password" is the only item/);
    assert.deepEqual(Object.keys(only(file).spec.encryptedData), ['password']);
  });
});
