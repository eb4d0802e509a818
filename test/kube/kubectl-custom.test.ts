// Conformance for custom resources as kubectl 1.32 drives them: CRD install, structural schema
// (validation, pruning, defaults), status subresource, generation, patch types, wait, SSA on list maps.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { Kubectl, eventually, startKubeApiServer } from '../support/kube/index.js';
import type { KubeTestServer } from '../support/kube/index.js';

const FIXTURES = fileURLToPath(new URL('../../../test/kube/fixtures/', import.meta.url));
const CRDS = fileURLToPath(new URL('../../../crds/', import.meta.url));
let server: KubeTestServer;
let k: Kubectl;
const widget = (name: string, spec: string): string => `apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: ${name}}\nspec: ${spec}\n`;
const stored = (name: string) => server.stored({ group: 'example.com', resource: 'widgets', name });

before(async () => {
  server = await startKubeApiServer({ crdDirs: [CRDS] });
  k = new Kubectl();
  server.writeKubeconfig(k.kubeconfig);
});
after(async () => { await server.close(); k.dispose(); });

test('a CRD applied with kubectl becomes Established and serves its kind', async () => {
  const r = await k.run(['apply', '-f', `${FIXTURES}widgets-crd.yaml`]);
  assert.equal(r.stdout, 'customresourcedefinition.apiextensions.k8s.io/widgets.example.com created\n', r.stderr);
  const w = await k.run(['wait', '--for=condition=Established', 'crd/widgets.example.com', '--timeout=30s']);
  assert.equal(w.stdout, 'customresourcedefinition.apiextensions.k8s.io/widgets.example.com condition met\n');
  const res = await k.run(['api-resources', '--api-group=example.com', '-o', 'name']);
  assert.equal(res.stdout, 'widgets.example.com\n');
  const ss = await k.run(['get', 'sealedsecrets']);
  assert.equal(ss.stderr, 'No resources found in default namespace.\n', 'CRDs from crdDirs are served');
});

test('create applies schema defaults, drops status, starts at generation 1; invalid objects get 422', async () => {
  const ok = await k.run(['create', '-f', '-'], { input: widget('w1', '{size: 3, extra: {anything: [1, 2]}}') + 'status: {observedGeneration: 9}\n' });
  assert.equal(ok.stdout, 'widget.example.com/w1 created\n', ok.stderr);
  const w = stored('w1')!;
  assert.deepEqual(w['spec'], { size: 3, extra: { anything: [1, 2] }, color: 'green' });
  assert.equal(w['status'], undefined);
  assert.equal(w.metadata.generation, 1);

  const bad = await k.run(['create', '-f', '-'], { input: widget('bad', '{size: 20, color: pink, code: abc, ports: [{port: 1}]}') });
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr, 'The Widget "bad" is invalid: \n'
    + '* spec.code: Invalid value: "abc": spec.code in body should match \'^[A-Z]{3}$\'\n'
    + '* spec.color: Unsupported value: "pink": supported values: "red", "green", "blue"\n'
    + '* spec.ports[0].name: Required value\n'
    + '* spec.size: Invalid value: 20: spec.size in body should be less than or equal to 10\n');
  const missing = await k.run(['create', '-f', '-'], { input: widget('bad', '{color: red}') });
  assert.equal(missing.stderr, 'The Widget "bad" is invalid: spec.size: Required value\n');
  const wrongType = await k.run(['create', '-f', '-'], { input: widget('bad', '{size: "3"}') });
  assert.equal(wrongType.stderr, 'The Widget "bad" is invalid: spec.size: Invalid value: "string": spec.size in body must be of type integer: "string"\n');
  assert.equal(stored('bad'), undefined);
});

test('unknown fields: rejected under strict validation, pruned with --validate=false', async () => {
  const strict = await k.run(['apply', '-f', '-'], { input: widget('w2', '{size: 2, shape: round}') });
  assert.equal(strict.code, 1);
  assert.match(strict.stderr, /Widget in version "v1" cannot be handled as a Widget: strict decoding error: unknown field "spec.shape"/);
  const loose = await k.run(['apply', '--validate=false', '-f', '-'], { input: widget('w2', '{size: 2, shape: round}') });
  assert.equal(loose.stdout, 'widget.example.com/w2 created\n');
  assert.deepEqual(stored('w2')!['spec'], { size: 2, color: 'green' });
});

test('patch: strategic merge is refused (415), merge patch bumps generation only for spec changes', async () => {
  const smp = await k.run(['patch', 'widget', 'w1', '-p', '{"spec":{"size":4}}']);
  assert.equal(smp.code, 1);
  assert.equal(smp.stderr, 'error: application/strategic-merge-patch+json is not supported by example.com/v1, Kind=Widget: the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/apply-patch+cbor\n');
  assert.equal((await k.run(['patch', 'widget', 'w1', '--type=merge', '-p', '{"spec":{"size":4}}'])).stdout, 'widget.example.com/w1 patched\n');
  assert.equal(stored('w1')!.metadata.generation, 2);
  await k.run(['label', 'widget', 'w1', 'tier=gold']);
  assert.equal(stored('w1')!.metadata.generation, 2, 'metadata changes do not bump generation');
  await k.run(['patch', 'widget', 'w1', '--type=merge', '-p', '{"status":{"observedGeneration":7}}']);
  assert.equal(stored('w1')!['status'], undefined, 'status is ignored on the main resource');
});

test('status subresource: patch --subresource=status, wait --for=condition, other fields ignored', async () => {
  const waiting = k.run(['wait', '--for=condition=Ready', 'widget/w1', '--timeout=60s']);
  await eventually(() => server.hooks.requests.some((q) => q.path === '/apis/example.com/v1/namespaces/default/widgets' && q.query['watch'] === 'true'), 'kubectl wait watching');
  const before = stored('w1')!;
  const p = await k.run(['patch', 'widget', 'w1', '--subresource=status', '--type=merge', '-p', '{"spec":{"size":9},"status":{"observedGeneration":2,"conditions":[{"type":"Ready","status":"True","reason":"Done"}]}}']);
  assert.equal(p.stdout, 'widget.example.com/w1 patched\n', p.stderr);
  const r = await waiting;
  assert.equal(r.stdout, 'widget.example.com/w1 condition met\n');
  const after = stored('w1')!;
  assert.equal((after['spec'] as { size: number }).size, 4, 'spec sent to /status is ignored');
  assert.equal(after.metadata.generation, before.metadata.generation);
  assert.notEqual(after.metadata.resourceVersion, before.metadata.resourceVersion);
  assert.deepEqual(after['status'], { observedGeneration: 2, conditions: [{ type: 'Ready', status: 'True', reason: 'Done' }] });
  assert.ok(server.hooks.requests.some((q) => q.method === 'GET' && q.path.endsWith('/widgets/w1/status')), 'kubectl read /status first');
});

test('every served version is readable; server-side apply merges list-map items per manager', async () => {
  const beta = await k.run(['get', 'widgets.v1beta1.example.com', 'w1', '-o', 'jsonpath={.apiVersion} {.spec.size}']);
  assert.equal(beta.stdout, 'example.com/v1beta1 4');
  const a = await k.run(['apply', '--server-side', '--field-manager=a', '-f', '-'], { input: widget('w3', '{size: 1, ports: [{name: http, port: 80}]}') });
  assert.equal(a.stdout, 'widget.example.com/w3 serverside-applied\n', a.stderr);
  await k.run(['apply', '--server-side', '--field-manager=b', '-f', '-'], { input: widget('w3', '{ports: [{name: metrics, port: 9090}]}') });
  assert.deepEqual((stored('w3')!['spec'] as { ports: unknown[] }).ports, [{ name: 'http', port: 80 }, { name: 'metrics', port: 9090 }]);
  await k.run(['apply', '--server-side', '--field-manager=a', '-f', '-'], { input: widget('w3', '{size: 1}') });
  assert.deepEqual((stored('w3')!['spec'] as { ports: unknown[] }).ports, [{ name: 'metrics', port: 9090 }], "a's item is removed, b's stays");
});

test('deleting the CRD removes its custom resources and the API', async () => {
  const r = await k.run(['delete', '-f', `${FIXTURES}widgets-crd.yaml`]);
  assert.equal(r.stdout, 'customresourcedefinition.apiextensions.k8s.io "widgets.example.com" deleted\n', r.stderr);
  assert.equal(stored('w1'), undefined);
  const gone = await k.run(['get', 'widgets.example.com']);
  assert.equal(gone.code, 1);
});
