// The CEL subset behind CRD x-kubernetes-validations, on the rules ESO's CRDs carry, and end to end
// through a CRD of ours that uses the same rule shapes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { evalRule } from '../support/kube/crd/cel.js';
import { client, startKubeApiServer } from '../support/kube/index.js';

const CEL_CRDS = fileURLToPath(new URL('../../../test/fixtures/crds/', import.meta.url));

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

test('an object violating a CEL rule is rejected with the rule message, as the apiserver does', async () => {
  const server = await startKubeApiServer({ crdDirs: [CEL_CRDS] });
  try {
    const api = client(server.url);
    const path = '/apis/example.cloak.dev/v1/namespaces/default/stores';
    const store = (name: string, spec: object) => ({ apiVersion: 'example.cloak.dev/v1', kind: 'Store', metadata: { name }, spec: { server: 'http://bao:8200', ...spec } });
    const both = await api('POST', path, store('bao', { auth: { tokenSecretRef: { name: 't', key: 'k' }, appRole: { path: 'approle', roleId: 'r' } } }));
    assert.equal(both.status, 422);
    assert.match(both.body.message, /^Store\.example\.cloak\.dev "bao" is invalid: spec\.auth: Invalid value: "object": exactly one of the fields in \[appRole tokenSecretRef userPass\] must be set/);
    const neither = await api('POST', path, store('v', { auth: { tokenSecretRef: { name: 't' } }, value: {} }));
    assert.equal(neither.status, 422);
    assert.match(neither.body.message, /spec\.value: Invalid value: "object": either literal or secretRef must be set/);
    const ok = await api('POST', path, store('bao', { auth: { tokenSecretRef: { name: 't', key: 'k' } }, value: { literal: 'x' } }));
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
  } finally { await server.close(); }
});
