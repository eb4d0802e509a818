import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const crd = parse(readFileSync(new URL('../../../crds/bitnami.com_sealedsecrets.yaml', import.meta.url), 'utf8')) as {
  metadata: { name: string };
  spec: { group: string; scope: string; names: Record<string, unknown>; versions: Array<{ name: string; served: boolean; storage: boolean; subresources: unknown; additionalPrinterColumns: Array<{ name: string; jsonPath: string }>; schema: { openAPIV3Schema: { required: string[]; properties: Record<string, { required?: string[]; properties?: Record<string, unknown> }> } } }> };
};

test("the SealedSecret CRD has Bitnami's identity, schema shape, status subresource and printer columns", () => {
  assert.equal(crd.metadata.name, 'sealedsecrets.bitnami.com');
  assert.equal(crd.spec.group, 'bitnami.com');
  assert.equal(crd.spec.scope, 'Namespaced');
  assert.deepEqual(crd.spec.names, { kind: 'SealedSecret', listKind: 'SealedSecretList', plural: 'sealedsecrets', singular: 'sealedsecret' });
  const [v] = crd.spec.versions;
  assert.ok(v && v.name === 'v1alpha1' && v.served && v.storage);
  assert.deepEqual(v.subresources, { status: {} });
  assert.deepEqual(v.additionalPrinterColumns.map((c) => [c.name, c.jsonPath]), [
    ['Status', '.status.conditions[0].message'], ['Synced', '.status.conditions[0].status'], ['Age', '.metadata.creationTimestamp'],
  ]);
  const root = v.schema.openAPIV3Schema;
  assert.deepEqual(root.required, ['spec']);
  assert.deepEqual(root.properties.spec?.required, ['encryptedData']);
  assert.deepEqual(Object.keys(root.properties.spec?.properties ?? {}).sort(), ['data', 'encryptedData', 'template']);
  assert.deepEqual(Object.keys(root.properties.status?.properties ?? {}).sort(), ['conditions', 'observedGeneration']);
});
