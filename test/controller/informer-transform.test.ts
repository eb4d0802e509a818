// Informer caches hold no managedFields, and a metadata-only cache holds no Secret values.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { metadataOnly, withoutManagedFields } from '../../controller/runtime/index.js';

const secret = {
  apiVersion: 'v1', kind: 'Secret',
  metadata: { name: 's', namespace: 'n', labels: { a: 'b' }, managedFields: [{ manager: 'kubectl', operation: 'Apply' }] },
  data: { password: 'aHVudGVyMg==' }, stringData: { x: 'y' }, type: 'Opaque',
};

test('withoutManagedFields drops only metadata.managedFields', () => {
  const out = withoutManagedFields(secret);
  assert.deepEqual(out.metadata, { name: 's', namespace: 'n', labels: { a: 'b' } });
  assert.deepEqual(out.data, secret.data);
  assert.ok('managedFields' in secret.metadata, 'the input is not modified');
});

test('metadataOnly keeps metadata and type, drops data, stringData and managedFields', () => {
  const out = metadataOnly(secret);
  assert.deepEqual(out, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'n', labels: { a: 'b' } }, type: 'Opaque' });
  assert.ok(!JSON.stringify(out).includes('aHVudGVyMg=='));
});
