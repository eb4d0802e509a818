// In-place re-encryption edits only the ciphertexts and cloak.dev/ hints; every other byte stays.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reencryptText, type Rotate } from '../../cli/commands/reencrypt/reencrypt-text.js';
import type { SealedSecretJson } from '../../src/kube/index.js';

const file = `# Sealed for prod. Do not edit by hand.
apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata:
  name: db   # the database
  namespace: prod
  annotations:
    cloak.dev/sealing-key: "SHA256:old"
    argocd.argoproj.io/sync-wave: '1'
spec:
  encryptedData:
    password: AgOLDpassword==   # rotate me
    user: 'AgOLDuser=='
  template:
    metadata: {name: db, namespace: prod}
    type: Opaque
---
# an unrelated object, untouched
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data:
  yes: on
---
apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata:
  name: api
  namespace: prod
spec:
  encryptedData:
    token: "AgOLDtoken=="
`;

/** Rotates by rewriting OLD to NEW in every value, sets the hint like Cloak's controller does. */
const fakeRotate: Rotate = async (ss) => {
  const spec = ss.spec as { encryptedData: Record<string, string> };
  const enc = Object.fromEntries(Object.entries(spec.encryptedData).map(([k, v]) => [k, v.replace('OLD', 'NEW')]));
  const meta = ss.metadata as { annotations?: Record<string, string> };
  return { ...ss, metadata: { ...meta, annotations: { ...(meta.annotations ?? {}), 'cloak.dev/sealing-key': 'SHA256:new' } }, spec: { ...spec, encryptedData: enc } } as SealedSecretJson;
};

test('YAML: only ciphertexts and the hint change, comments/quoting/other documents stay byte for byte', async () => {
  const r = await reencryptText(file, 'prod.yaml', fakeRotate);
  assert.equal(r.sealedSecrets, 2);
  const expected = file
    .replace('AgOLDpassword==', 'AgNEWpassword==')
    .replace("'AgOLDuser=='", "'AgNEWuser=='")
    .replace('"AgOLDtoken=="', '"AgNEWtoken=="')
    .replace('"SHA256:old"', '"SHA256:new"');
  assert.equal(r.text, expected);
});

test('YAML: a hint the controller drops is removed, other annotations stay', async () => {
  const rotate: Rotate = async (ss, where) => {
    const out = await fakeRotate(ss, where);
    const meta = out.metadata as { annotations: Record<string, string> };
    delete meta.annotations['cloak.dev/sealing-key'];
    return out;
  };
  const r = await reencryptText(file, 'prod.yaml', rotate);
  assert.ok(!r.text.includes('cloak.dev/sealing-key'));
  assert.ok(r.text.includes("    argocd.argoproj.io/sync-wave: '1'\n"));
});

test('JSON (kubeseal default output): values replaced in place', async () => {
  const json = JSON.stringify({ kind: 'SealedSecret', apiVersion: 'bitnami.com/v1alpha1', metadata: { name: 'a', namespace: 'n', annotations: { 'cloak.dev/sealing-key': 'SHA256:old' } }, spec: { template: { metadata: { name: 'a' } }, encryptedData: { k: 'AgOLDk==' } } }, null, 2) + '\n';
  const r = await reencryptText(json, 'a.json', fakeRotate);
  assert.equal(r.text, json.replace('AgOLDk==', 'AgNEWk==').replace('"SHA256:old"', '"SHA256:new"'));
});

test('a file without SealedSecrets is returned unchanged with a count of 0', async () => {
  const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n';
  const r = await reencryptText(text, 'cm.yaml', fakeRotate);
  assert.deepEqual(r, { text, sealedSecrets: 0, items: 0, skipped: 1 });
});

test('a changed item list is refused, naming the document and the items', async () => {
  const rotate: Rotate = async (ss, where) => {
    const out = await fakeRotate(ss, where);
    (out.spec as { encryptedData: Record<string, string> }).encryptedData.extra = 'AgX';
    return out;
  };
  await assert.rejects(reencryptText(file, 'prod.yaml', rotate), (e: Error & { line?: string }) => {
    assert.match(String(e.line), /^prod\.yaml \(document 1\): .*\+extra/);
    return true;
  });
});

test('malformed YAML is an input error with the line', async () => {
  await assert.rejects(reencryptText('a: [\n', 'bad.yaml', fakeRotate), (e: Error & { code?: string; line?: string }) => {
    assert.equal(e.code, 'MalformedYAML');
    assert.match(String(e.line), /^bad\.yaml: malformed YAML/);
    return true;
  });
});
