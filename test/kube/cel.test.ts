// The CEL subset behind CRD x-kubernetes-validations, on the rules ESO's CRDs carry, and end to end
// through ESO's SecretStore CRD.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { evalRule } from '../support/kube/crd/cel.js';
import { client, startKubeApiServer } from '../support/kube/index.js';

const ESO_CRDS = fileURLToPath(new URL('../../../../shared/reference/eso-crds/', import.meta.url));

test('ESO rules evaluate as the apiserver would', () => {
  const one = '[has(self.appRole),has(self.tokenSecretRef),has(self.userPass)].filter(x,x==true).size() == 1';
  assert.equal(evalRule(one, { appRole: {} }), true);
  assert.equal(evalRule(one, { appRole: {}, tokenSecretRef: {} }), false);
  assert.equal(evalRule(one, {}), false);
  assert.equal(evalRule('has(self.value) != has(self.secretRef)', { value: 'x' }), true);
  assert.equal(evalRule('has(self.value) != has(self.secretRef)', { value: 'x', secretRef: {} }), false);
  assert.equal(evalRule("!('esoNamespace' in self) && !('esoStoreName' in self)", { a: 'b' }), true);
  assert.equal(evalRule("!('esoNamespace' in self)", { esoNamespace: 'b' }), false);
  assert.equal(evalRule('!has(self.remoteKey) || !has(self.rewrite) || size(self.rewrite) == 0', { remoteKey: 'k', rewrite: [] }), true);
  assert.equal(evalRule('!has(self.remoteKey) || !has(self.rewrite) || size(self.rewrite) == 0', { remoteKey: 'k', rewrite: [1] }), false);
  assert.equal(evalRule('has(self.storeRef) && (has(self.storeRef.name) || has(self.storeRef.labelSelector))', { storeRef: { name: 'x' } }), true);
  assert.equal(evalRule('self.size > 2 && self.name.startsWith("a")', { size: 3, name: 'ab' }), true);
  assert.equal(evalRule('self.missing == 1', {}), false, 'a missing field fails the rule');
  assert.equal(evalRule('self.x == oldSelf.x', { x: 1 }), 'unsupported');
  assert.equal(evalRule('quantity(self.q) > 1', { q: '1' }), 'unsupported');
});

test('a SecretStore violating a CEL rule is rejected with the rule message', async () => {
  const server = await startKubeApiServer({ crdDirs: [ESO_CRDS] });
  try {
    const api = client(server.url);
    const store = (auth: object) => ({ apiVersion: 'external-secrets.io/v1', kind: 'SecretStore', metadata: { name: 'bao' }, spec: { provider: { openBao: { server: 'http://bao:8200', auth } } } });
    const both = await api('POST', '/apis/external-secrets.io/v1/namespaces/default/secretstores', store({ tokenSecretRef: { name: 't', key: 'k' }, appRole: { path: 'approle', roleId: 'r', secretRef: { name: 's', key: 'k' } } }));
    assert.equal(both.status, 422);
    assert.match(both.body.message, /^SecretStore\.external-secrets\.io "bao" is invalid: spec\.provider\.openBao\.auth: Invalid value: "object": exactly one of the fields in \[appRole tokenSecretRef userPass\] must be set/);
    const ok = await api('POST', '/apis/external-secrets.io/v1/namespaces/default/secretstores', store({ tokenSecretRef: { name: 't', key: 'k' } }));
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
  } finally { await server.close(); }
});
