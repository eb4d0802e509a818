// The kubernetes provider's read rules over a Secret object, as a table (ESO client.go semantics).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getFromSecret, mapFromSecret } from '../../src/providers/kubernetes/read.js';
import { validateKubernetesSpec } from '../../src/providers/kubernetes/spec.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');
const secret = {
  metadata: { name: 's', labels: { dev: 'seth', cfg: '{"a":{"b":1}}' }, annotations: { note: 'x' } },
  data: { 'file.png': b64('PNG'), json: b64('{"a":{"b":"deep"},"n":[1,2]}'), user: b64('admin'), html: b64('<&>') },
};

test('getFromSecret: whole secret, exact key first, then key + gjson rest', () => {
  const table: Array<[Record<string, string>, string]> = [
    [{ key: 's' }, '{"file.png":"PNG","html":"<&>","json":"{\\"a\\":{\\"b\\":\\"deep\\"},\\"n\\":[1,2]}","user":"admin"}'],
    [{ key: 's', property: 'file.png' }, 'PNG'],
    [{ key: 's', property: 'json.a.b' }, 'deep'],
    [{ key: 's', property: 'json.n.#' }, '2'],
    [{ key: 's', property: 'user' }, 'admin'],
    [{ key: 's', metadataPolicy: 'Fetch' }, '{"annotations":{"note":"x"},"labels":{"cfg":"{\\"a\\":{\\"b\\":1}}","dev":"seth"}}'],
    [{ key: 's', metadataPolicy: 'Fetch', property: 'labels' }, '{"cfg":"{\\"a\\":{\\"b\\":1}}","dev":"seth"}'],
    [{ key: 's', metadataPolicy: 'Fetch', property: 'labels.dev' }, 'seth'],
    [{ key: 's', metadataPolicy: 'Fetch', property: 'labels.cfg.a' }, '{"b":1}'],
  ];
  for (const [ref, want] of table) assert.equal(text(getFromSecret(secret, ref as never)), want, JSON.stringify(ref));
  for (const property of ['nope', 'json.zz', '.x', 'user.']) {
    assert.throws(() => getFromSecret(secret, { key: 's', property }), /does not exist in data of secret "s"/, property);
  }
  assert.throws(() => getFromSecret(secret, { key: 's', property: 'spec', metadataPolicy: 'Fetch' }), /does not exist in metadata/);
});

test('mapFromSecret: data as is; with a property, the JSON inside that key, values re-encoded as JSON', () => {
  const all = mapFromSecret(secret, { key: 's' });
  assert.deepEqual(Object.keys(all).sort(), ['file.png', 'html', 'json', 'user']);
  const nested = mapFromSecret(secret, { key: 's', property: 'json' });
  assert.deepEqual(Object.fromEntries(Object.entries(nested).map(([k, v]) => [k, text(v)])), { a: '{"b":"deep"}', n: '[1,2]' });
  assert.throws(() => mapFromSecret(secret, { key: 's', property: 'user' }), /invalid JSON format/);
  assert.throws(() => mapFromSecret(secret, { key: 's', property: 'missing' }), /property missing does not exist in key s/);
  const meta = mapFromSecret(secret, { key: 's', metadataPolicy: 'Fetch' });
  assert.equal(text(meta.annotations!), '{"note":"x"}');
});

test('validateKubernetesSpec names the field', () => {
  assert.deepEqual(validateKubernetesSpec({ auth: { token: { bearerToken: { name: 't', key: 'k' } } } }), []);
  assert.deepEqual(validateKubernetesSpec({}), ['spec.provider.kubernetes.auth must set exactly one of cert, token or serviceAccount (or use authRef)']);
  assert.deepEqual(validateKubernetesSpec({ remoteNamespace: 'Bad_NS', auth: { serviceAccount: { name: 'sa' } } }), ['spec.provider.kubernetes.remoteNamespace must be a DNS label']);
  assert.deepEqual(validateKubernetesSpec({ authRef: { name: 'kc' } }), []);
});
