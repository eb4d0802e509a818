// The @kubernetes/client-node 2.0.1 calls our controller and engine make: generic objects through
// discovery, custom resources and their status, patch strategies, Leases, Events, TokenRequest.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { ApiException, CoordinationV1Api, CoreV1Api, CustomObjectsApi, EventsV1Api, KubeConfig, KubernetesObjectApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import type { KubernetesObject } from '@kubernetes/client-node';
import { startKubeApiServer } from '../support/kube/index.js';
import type { KubeTestServer } from '../support/kube/index.js';

const CRDS = fileURLToPath(new URL('../../../crds/', import.meta.url));
let server: KubeTestServer;
let kc: KubeConfig;

before(async () => {
  server = await startKubeApiServer({ crdDirs: [CRDS] });
  kc = new KubeConfig();
  kc.loadFromString(server.kubeconfig());
});
after(async () => { await server.close(); });

async function code(p: Promise<unknown>): Promise<number> {
  try { await p; return 0; } catch (e) { if (e instanceof ApiException) return e.code; throw e; }
}

test('KubernetesObjectApi: create, read and patch a SealedSecret; strategic merge is refused like a real server', async () => {
  const objects = KubernetesObjectApi.makeApiClient(kc);
  const ss = { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name: 'ss1', namespace: 'default' }, spec: { encryptedData: { k: 'AgB' }, template: { metadata: {} } } };
  const created = await objects.create(ss as KubernetesObject);
  assert.equal(created.metadata?.generation, 1);
  const read = await objects.read({ apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name: 'ss1', namespace: 'default' } });
  assert.equal(read.metadata?.uid, created.metadata?.uid);
  assert.equal(await code(objects.patch({ ...ss, spec: { encryptedData: { j: 'x' } } } as KubernetesObject)), 415);
  const merged = await objects.patch({ ...ss, spec: { encryptedData: { j: 'x' } } } as KubernetesObject, undefined, undefined, 'cloak', undefined, PatchStrategy.MergePatch);
  assert.deepEqual((merged as unknown as { spec: { encryptedData: object } }).spec.encryptedData, { k: 'AgB', j: 'x' });
  assert.equal(merged.metadata?.generation, 2);
  const applied = await objects.patch({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'ssa', namespace: 'default' }, stringData: { a: 'b' } } as KubernetesObject, undefined, undefined, 'cloak', true, PatchStrategy.ServerSideApply);
  assert.equal(applied.metadata?.managedFields?.[0]?.manager, 'cloak');
});

test('custom object status: merge patch on /status with the current resourceVersion; replace without one is 422', async () => {
  const custom = kc.makeApiClient(CustomObjectsApi);
  const cur = await custom.getNamespacedCustomObject({ group: 'bitnami.com', version: 'v1alpha1', namespace: 'default', plural: 'sealedsecrets', name: 'ss1' }) as { metadata: { resourceVersion: string; generation: number } };
  const patched = await custom.patchNamespacedCustomObjectStatus({
    group: 'bitnami.com', version: 'v1alpha1', namespace: 'default', plural: 'sealedsecrets', name: 'ss1',
    body: { metadata: { resourceVersion: cur.metadata.resourceVersion }, status: { observedGeneration: cur.metadata.generation, conditions: [{ type: 'Synced', status: 'True' }] } },
  }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch)) as { status: { observedGeneration: number }; metadata: { generation: number } };
  assert.equal(patched.status.observedGeneration, 2);
  assert.equal(patched.metadata.generation, 2);
  const stale = custom.patchNamespacedCustomObjectStatus({
    group: 'bitnami.com', version: 'v1alpha1', namespace: 'default', plural: 'sealedsecrets', name: 'ss1',
    body: { metadata: { resourceVersion: cur.metadata.resourceVersion }, status: {} },
  }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
  assert.equal(await code(stale), 409);
  const noRv = custom.replaceNamespacedCustomObjectStatus({ group: 'bitnami.com', version: 'v1alpha1', namespace: 'default', plural: 'sealedsecrets', name: 'ss1', body: { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name: 'ss1' }, status: {} } });
  assert.equal(await code(noRv), 422);
});

test('leader election on a Lease: create races are AlreadyExists, stale updates Conflict', async () => {
  const coord = kc.makeApiClient(CoordinationV1Api);
  const body = { metadata: { name: 'cloak-controller', namespace: 'kube-system' }, spec: { holderIdentity: 'a', leaseDurationSeconds: 15, acquireTime: new Date(), renewTime: new Date(), leaseTransitions: 0 } };
  const lease = await coord.createNamespacedLease({ namespace: 'kube-system', body });
  assert.equal(await code(coord.createNamespacedLease({ namespace: 'kube-system', body })), 409);
  const renewed = await coord.replaceNamespacedLease({ namespace: 'kube-system', name: 'cloak-controller', body: { ...lease, spec: { ...lease.spec, renewTime: new Date() } } });
  assert.notEqual(renewed.metadata?.resourceVersion, lease.metadata?.resourceVersion);
  assert.match(JSON.stringify(server.stored({ group: 'coordination.k8s.io', resource: 'leases', namespace: 'kube-system', name: 'cloak-controller' })!['spec']), /"renewTime":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z"/);
  assert.equal(await code(coord.replaceNamespacedLease({ namespace: 'kube-system', name: 'cloak-controller', body: { ...lease, spec: { ...lease.spec, holderIdentity: 'b' } } })), 409);
});

test('events.k8s.io Events and a TokenRequest through the typed clients', async () => {
  const events = kc.makeApiClient(EventsV1Api);
  const ev = await events.createNamespacedEvent({ namespace: 'default', body: { metadata: { generateName: 'ss1.' }, eventTime: new Date(), reportingController: 'cloak.dev/controller', reportingInstance: 'pod-1', action: 'Unseal', reason: 'Unsealed', type: 'Normal', note: 'ok', regarding: { kind: 'SealedSecret', name: 'ss1', namespace: 'default' } } });
  assert.match(ev.metadata?.name ?? '', /^ss1\.[a-z0-9]{5}$/);
  const core = kc.makeApiClient(CoreV1Api);
  const tr = await core.createNamespacedServiceAccountToken({ namespace: 'default', name: 'default', body: { spec: { audiences: ['vault'], expirationSeconds: 600 } } });
  assert.equal(tr.status?.token?.split('.').length, 3);
  assert.ok(tr.status!.expirationTimestamp instanceof Date);
});
