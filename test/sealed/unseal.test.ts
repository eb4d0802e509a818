// Library-level unseal semantics (Bitnami's sealedsecret_test.go cases) and our key hint.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateSealingKey, hybridDecrypt, readCertificate, type SealingKey } from '../../src/crypto/index.js';
import { readDocuments } from '../../src/manifests/documents.js';
import {
  buildSecret, encryptionLabel, sealSecret, scopeFromAnnotations, unsealItems, validateSecret,
  type DecryptKey, type SealedSecretObject,
} from '../../src/sealed/index.js';

const keys: SealingKey[] = await Promise.all([0, 1, 2].map(() => generateSealingKey({ bits: 2048 })));
const asDecryptKey = (k: SealingKey): DecryptKey => ({ privateKey: k.privateKey, fingerprint: k.fingerprint });

function sealWith(key: SealingKey, yaml: string, scope?: 'strict' | 'namespace-wide' | 'cluster-wide'): SealedSecretObject {
  const [doc] = readDocuments(yaml, 'test');
  return sealSecret(validateSecret(doc!), readCertificate(key.certPem, 'cert'), scope ? { scope } : {});
}
const basic = 'apiVersion: v1\nkind: Secret\nmetadata: {name: mysecret, namespace: myns}\nstringData: {foo: bar, baz: qux}\n';

describe('scope and label (Bitnami EncryptionLabel / SecretScope)', () => {
  it('maps scopes to labels', () => {
    assert.equal(encryptionLabel('myns', 'myname', 'strict').toString(), 'myns/myname');
    assert.equal(encryptionLabel('myns', 'myname', 'namespace-wide').toString(), 'myns');
    assert.equal(encryptionLabel('myns', 'myname', 'cluster-wide').length, 0);
  });
  it('reads annotations, cluster-wide winning, only the exact string "true" counting', () => {
    assert.equal(scopeFromAnnotations({ 'sealedsecrets.bitnami.com/cluster-wide': 'true', 'sealedsecrets.bitnami.com/namespace-wide': 'true' }), 'cluster-wide');
    assert.equal(scopeFromAnnotations({ 'sealedsecrets.bitnami.com/namespace-wide': 'true' }), 'namespace-wide');
    assert.equal(scopeFromAnnotations({ 'sealedsecrets.bitnami.com/cluster-wide': 'yes' }), 'strict');
    assert.equal(scopeFromAnnotations(undefined), 'strict');
  });
});

describe('unseal', () => {
  it('tries the hinted key first and no other when it works', async () => {
    const ss = sealWith(keys[2]!, basic);
    const tried: string[] = [];
    const decrypt = (k: DecryptKey, blob: Buffer, label: Buffer) => { tried.push(k.fingerprint); return hybridDecrypt(k.privateKey, blob, label); };
    const { data, keyByItem } = await unsealItems(ss, keys.map(asDecryptKey), decrypt);
    assert.equal(data['foo']?.toString(), 'bar');
    assert.deepEqual(tried, [keys[2]!.fingerprint, keys[2]!.fingerprint]);
    assert.deepEqual(keyByItem, { baz: keys[2]!.fingerprint, foo: keys[2]!.fingerprint });
  });

  it('falls back to every key when the hint is missing or wrong (Bitnami-sealed objects)', async () => {
    const ss = sealWith(keys[1]!, basic);
    ss.metadata.annotations = { 'cloak.dev/sealing-key': keys[0]!.fingerprint };
    const { data } = await unsealItems(ss, keys.map(asDecryptKey));
    assert.equal(data['baz']?.toString(), 'qux');
  });

  it('reports every failing item once, naming keys but no values', async () => {
    const ss = sealWith(keys[0]!, basic);
    ss.spec.encryptedData['broken'] = 'not base64!';
    await assert.rejects(unsealItems(ss, [asDecryptKey(keys[1]!)]), (e: Error & { line: string }) => {
      assert.equal(e.message, 'illegal base64 data (broken); no key could decrypt secret (baz, foo)');
      assert.match(e.line, /^SealedSecret myns\/mysecret: /);
      assert.ok(!e.line.includes('bar') && !e.line.includes('qux'));
      return true;
    });
  });

  it('binds the label to the top-level metadata: renaming a strict SealedSecret breaks it, flipping the scope annotation too', async () => {
    const strict = sealWith(keys[0]!, basic);
    strict.metadata.name = 'other';
    await assert.rejects(unsealItems(strict, [asDecryptKey(keys[0]!)]), /no key could decrypt secret/);
    const wide = sealWith(keys[0]!, basic, 'cluster-wide');
    wide.metadata.annotations = { 'sealedsecrets.bitnami.com/cluster-wide': 'false' };
    await assert.rejects(unsealItems(wide, [asDecryptKey(keys[0]!)]), /no key could decrypt secret/);
  });

  it('refuses encryptedData together with the deprecated spec.data', async () => {
    const ss = sealWith(keys[0]!, basic);
    ss.spec.data = 'AAAA';
    await assert.rejects(unsealItems(ss, [asDecryptKey(keys[0]!)]), /cannot use the field 'encryptedData' and the deprecated field 'data' at the same time/);
  });

  it('builds the Secret: template metadata, forced name/namespace, ownerReference unless skipped', async () => {
    const ss = sealWith(keys[0]!, 'apiVersion: v1\nkind: Secret\ntype: kubernetes.io/basic-auth\nmetadata:\n  name: s\n  namespace: "n"\n  labels: {a: b}\nstringData: {username: u, password: p}\n');
    ss.metadata.uid = 'uid-1';
    ss.spec.template!.metadata!.namespace = 'ignored';
    const { data } = await unsealItems(ss, [asDecryptKey(keys[0]!)]);
    const secret = buildSecret(ss, data);
    assert.equal(secret.metadata.namespace, 'n');
    assert.throws(() => sealWith(keys[0]!, 'apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: n}\nstringData: {a: b}\n'),
      /metadata\.namespace must be a string, found a boolean \(quote it\)/, 'YAML 1.1 reads n as false, as kubectl does');
    assert.deepEqual(secret.metadata.labels, { a: 'b' });
    assert.equal(secret.type, 'kubernetes.io/basic-auth');
    assert.deepEqual(secret.metadata.ownerReferences, [{ apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', name: 's', uid: 'uid-1', controller: true }]);
    ss.spec.template!.metadata!.annotations = { 'sealedsecrets.bitnami.com/skip-set-owner-references': 'true' };
    assert.equal(buildSecret(ss, data).metadata.ownerReferences, undefined);
  });
});
