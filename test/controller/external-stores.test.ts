// Pure parts of the store reconciler: the Ready condition and its lastTransitionTime, the refresh
// interval, which ExternalSecrets depend on a store, validation outcomes (fake and referent stores,
// bad provider blocks) and that a SecretStore is only ever found in the ExternalSecret's namespace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memorySources, resolveStore } from '../../src/external/index.js';
import type { ExternalSecretObject, SecretStoreObject } from '../../src/manifests/external-types.js';
import { ClientCache } from '../../src/providers/shared/client-cache.js';
import { parseStoreKey, referencesStore, storeKey, storeRefsOf } from '../../controller/external/stores/dependents.js';
import { DEFAULT_STORE_REQUEUE_MS, storeRefreshMs } from '../../controller/external/stores/interval.js';
import { nextStoreStatus, sameStatus, storeStatusOf } from '../../controller/external/stores/status.js';
import { validateStore } from '../../controller/external/stores/validate.js';

const store = (o: Partial<SecretStoreObject> & { provider?: Record<string, unknown>; refreshInterval?: number | string } = {}): SecretStoreObject => ({
  apiVersion: 'external-secrets.io/v1', kind: o.kind ?? 'SecretStore',
  metadata: { name: 's', ...(o.kind === 'ClusterSecretStore' ? {} : { namespace: 'ns' }), ...(o.metadata ?? {}) },
  spec: { provider: o.provider ?? { fake: { data: [] } }, ...(o.refreshInterval !== undefined ? { refreshInterval: o.refreshInterval } : {}) },
  ...(o.status ? { status: o.status } : {}),
});

test('nextStoreStatus: lastTransitionTime moves only when the status flips; other conditions are kept', () => {
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  const first = nextStoreStatus(store(), { ready: false, reason: 'InvalidProviderConfig', message: 'unable to validate store: x' }, t0);
  assert.deepEqual(first, { conditions: [{ type: 'Ready', status: 'False', reason: 'InvalidProviderConfig', message: 'unable to validate store: x', lastTransitionTime: '2026-01-01T00:00:00Z' }] });
  const s1 = store({ status: { ...first, conditions: [{ type: 'Other', status: 'True' }, ...first.conditions!] } });
  const again = nextStoreStatus(s1, { ready: false, reason: 'InvalidProviderConfig', message: 'unable to validate store: y' }, t0 + 60_000);
  assert.equal(again.conditions!.find((c) => c.type === 'Ready')!.lastTransitionTime, '2026-01-01T00:00:00Z', 'same status: time kept');
  assert.ok(again.conditions!.some((c) => c.type === 'Other'));
  const flipped = nextStoreStatus(s1, { ready: true, reason: 'Valid', message: 'store validated', capabilities: 'ReadWrite' }, t0 + 120_000);
  assert.equal(flipped.conditions!.find((c) => c.type === 'Ready')!.lastTransitionTime, '2026-01-01T00:02:00Z');
  assert.equal(flipped.capabilities, 'ReadWrite');
  const steady = store({ status: flipped });
  assert.ok(sameStatus(storeStatusOf(steady), nextStoreStatus(steady, { ready: true, reason: 'Valid', message: 'store validated', capabilities: 'ReadWrite' }, t0 + 999_000)), 'a second pass changes nothing');
  // A failure keeps the capabilities written when the store last validated (ESO writes them only on success).
  assert.equal(nextStoreStatus(steady, { ready: false, reason: 'InvalidProviderConfig', message: 'm' }, t0).capabilities, 'ReadWrite');
});

test('storeRefreshMs: int seconds, numeric strings, Go durations; 0, empty or invalid use the default', () => {
  assert.equal(storeRefreshMs(store({ refreshInterval: 30 })), 30_000);
  assert.equal(storeRefreshMs(store({ refreshInterval: '45' })), 45_000);
  assert.equal(storeRefreshMs(store({ refreshInterval: '1m30s' })), 90_000);
  assert.equal(storeRefreshMs(store({ refreshInterval: 0 })), DEFAULT_STORE_REQUEUE_MS);
  assert.equal(storeRefreshMs(store({ refreshInterval: '' })), DEFAULT_STORE_REQUEUE_MS);
  assert.equal(storeRefreshMs(store({ refreshInterval: 'soon' })), DEFAULT_STORE_REQUEUE_MS);
  assert.equal(storeRefreshMs(store(), 1234), 1234);
  assert.equal(DEFAULT_STORE_REQUEUE_MS, 5 * 60_000);
});

const es = (ns: string, spec: ExternalSecretObject['spec']): ExternalSecretObject => ({ apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'e', namespace: ns }, spec });

test('referencesStore: secretStoreRef and per-entry sourceRef.storeRef; a SecretStore only in its own namespace', () => {
  const top = es('a', { secretStoreRef: { name: 'vault' } });
  assert.ok(referencesStore(top, { kind: 'SecretStore', name: 'vault', namespace: 'a' }), 'kind defaults to SecretStore');
  assert.ok(!referencesStore(top, { kind: 'SecretStore', name: 'vault', namespace: 'b' }), 'another namespace');
  assert.ok(!referencesStore(top, { kind: 'ClusterSecretStore', name: 'vault' }), 'kind must match');
  const entries = es('x', {
    data: [{ secretKey: 'k', remoteRef: { key: 'k' }, sourceRef: { storeRef: { name: 'css', kind: 'ClusterSecretStore' } } }],
    dataFrom: [{ extract: { key: 'k' }, sourceRef: { storeRef: { name: 'local' } } }],
  });
  assert.deepEqual(storeRefsOf(entries).map((r) => r.name), ['css', 'local']);
  assert.ok(referencesStore(entries, { kind: 'ClusterSecretStore', name: 'css' }), 'a ClusterSecretStore serves every namespace');
  assert.ok(referencesStore(entries, { kind: 'SecretStore', name: 'local', namespace: 'x' }));
  assert.ok(!referencesStore(es('x', {}), { kind: 'ClusterSecretStore', name: 'css' }));
  for (const id of [{ kind: 'SecretStore', name: 'n', namespace: 'ns' }, { kind: 'ClusterSecretStore', name: 'n' }] as const) {
    assert.deepEqual(parseStoreKey(storeKey(id)), id);
  }
  assert.equal(storeKey({ kind: 'ClusterSecretStore', name: 'n', namespace: 'ignored' }), 'ClusterSecretStore//n');
});

const deps = () => ({ sources: memorySources({ stores: [], objects: [], defaultNamespace: 'ns' }), clients: new ClientCache() });

test('validateStore: fake Ready/Unknown/Error, bad provider blocks, referent ClusterSecretStores', async () => {
  const d = deps();
  try {
    assert.deepEqual(await validateStore(store(), d), { ready: true, reason: 'Valid', message: 'store validated', capabilities: 'ReadWrite' });
    assert.deepEqual(await validateStore(store({ provider: { fake: { validationResult: 1 } } }), d), { ready: true, reason: 'ValidationUnknown', message: 'could not determine validation status' });
    assert.deepEqual(await validateStore(store({ provider: { fake: { validationResult: 2 } } }), d),
      { ready: false, reason: 'InvalidProviderConfig', message: 'unable to validate store: unable to validate' });
    assert.deepEqual(await validateStore(store({ provider: {} }), d), { ready: false, reason: 'InvalidProviderConfig', message: 'unable to create client: spec.provider is empty' });
    const unknown = await validateStore(store({ provider: { gcpsm: {} } }), d);
    assert.equal(unknown.reason, 'InvalidProviderConfig');
    assert.match(unknown.message, /^unable to create client: provider "gcpsm" is not supported/);
    const missing = await validateStore(store({ provider: { vault: { server: 'http://127.0.0.1:1', auth: { tokenSecretRef: { name: 'tok', key: 'token' } } } } }), d);
    assert.deepEqual([missing.ready, missing.reason], [false, 'InvalidProviderConfig']);
    assert.match(missing.message, /^unable to create client: Secret ns\/tok \(from spec\.provider\.vault\.auth\.tokenSecretRef\) not found$/);
    const referent = await validateStore(store({ kind: 'ClusterSecretStore', provider: { vault: { server: 'http://127.0.0.1:1', auth: { tokenSecretRef: { name: 'tok', key: 'token' } } } } }), d);
    assert.deepEqual([referent.ready, referent.reason], [true, 'ValidationUnknown']);
    assert.match(referent.message, /^could not determine validation status: credentials are read from each ExternalSecret's namespace \(referent auth\)/);
  } finally {
    await d.clients.close();
  }
});

test('resolveStore: a SecretStore is looked up only in the ExternalSecret\'s namespace', async () => {
  const other = { ...store({ metadata: { name: 'vault', namespace: 'team-a' } }) };
  const sources = memorySources({ stores: [other], objects: [], defaultNamespace: 'default' });
  assert.equal((await resolveStore({ name: 'vault' }, 'team-a', sources)).metadata.namespace, 'team-a');
  await assert.rejects(resolveStore({ name: 'vault', kind: 'SecretStore' }, 'team-b', sources), /SecretStore team-b\/vault not found/);
});

test('credentialObjects: the Secrets/ConfigMaps a store validates with; referent and ServiceAccount refs are not watched', async () => {
  const { credentialObjects } = await import('../../controller/external/stores/credential-watch.js');
  const vault = { server: 'https://v', caProvider: { type: 'ConfigMap', name: 'ca', key: 'ca.crt' }, auth: { appRole: { roleId: 'r', secretRef: { name: 'approle', key: 'id' } }, kubernetes: { role: 'x', serviceAccountRef: { name: 'sa' } } } };
  assert.deepEqual(credentialObjects(store({ provider: { vault } })), [
    { type: 'ConfigMap', namespace: 'ns', name: 'ca' }, { type: 'Secret', namespace: 'ns', name: 'approle' },
  ]);
  const css = store({ kind: 'ClusterSecretStore', provider: { vault: { server: 'https://v', auth: { tokenSecretRef: { name: 'tok', key: 't', namespace: 'vault-system' }, appRole: { roleId: 'r', secretRef: { name: 'referent', key: 'id' } } } } } });
  assert.deepEqual(credentialObjects(css), [{ type: 'Secret', namespace: 'vault-system', name: 'tok' }]);
  assert.deepEqual(credentialObjects(store({ provider: {} })), []);
});

test('CredentialWatch: a change to a watched credential re-validates its store; released watches stop', async () => {
  const { FakeCollection } = await import('../support/controller/fake-kube.js');
  const { CredentialWatch } = await import('../../controller/external/stores/credential-watch.js');
  const { createLogger } = await import('../../controller/log.js');
  const kube = new FakeCollection();
  kube.put('tok', { data: {} });
  const changed: string[] = [];
  const log = createLogger({ level: 'error', format: 'json', infoToStdout: true });
  const w = new CredentialWatch({ client: kube, watchIdleTimeoutMs: 60_000, log, onChange: (k) => changed.push(k) });
  const until = async (n: number) => { for (let i = 0; i < 200 && changed.length < n; i++) await new Promise((r) => setTimeout(r, 10)); };
  try {
    w.set('SecretStore/ns/a', [{ type: 'Secret', namespace: 'ns', name: 'tok' }]);
    w.set('SecretStore/ns/b', [{ type: 'Secret', namespace: 'ns', name: 'tok' }]);
    assert.equal(w.size, 1, 'one watch per object, shared by stores');
    await until(2);
    assert.deepEqual(changed.sort(), ['SecretStore/ns/a', 'SecretStore/ns/b'], 'checked once after the first list');
    changed.length = 0;
    kube.put('tok', { data: { token: 'eA==' } });
    await until(2);
    assert.deepEqual(changed.sort(), ['SecretStore/ns/a', 'SecretStore/ns/b']);
    w.set('SecretStore/ns/a', []);
    assert.equal(w.size, 1, 'b still watches');
    w.set('SecretStore/ns/b', []);
    assert.equal(w.size, 0);
    changed.length = 0;
    kube.put('tok', { data: { token: 'eQ==' } });
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(changed, [], 'released: no more re-validations');
  } finally {
    await w.stop();
  }
});
