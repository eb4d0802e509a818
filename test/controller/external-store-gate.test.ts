// The store gates in front of an ExternalSecret sync, as ESO decides them: which stores belong to
// this controller's --controller-class (an empty spec.controller is everyone's), which ExternalSecrets
// are skipped for naming another controller's store, and the flood gate (Ready=True required; a store
// not validated yet is not ready; ClusterSecretStore conditions are reported before readiness).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memorySources, resolveStore } from '../../src/external/index.js';
import type { ExternalSecretObject, SecretStoreObject, StoreKind } from '../../src/manifests/external-types.js';
import { assertStoreUsable, gatedSources, shouldProcessStore, unmanagedStore } from '../../controller/external/store-gate.js';
import { loadConfig } from '../../controller/config/index.js';

type StoreOpts = { kind?: StoreKind; name?: string; namespace?: string; controller?: string; ready?: string; reason?: string; message?: string; conditions?: unknown[] };
const store = (o: StoreOpts = {}): SecretStoreObject => ({
  apiVersion: 'external-secrets.io/v1', kind: o.kind ?? 'SecretStore',
  metadata: { name: o.name ?? 's', ...(o.kind === 'ClusterSecretStore' ? {} : { namespace: o.namespace ?? 'ns' }) },
  spec: {
    provider: { fake: { data: [] } },
    ...(o.controller !== undefined ? { controller: o.controller } : {}),
    ...(o.conditions ? { conditions: o.conditions } : {}),
  } as SecretStoreObject['spec'],
  ...(o.ready ? { status: { conditions: [{ type: 'Ready', status: o.ready, ...(o.reason ? { reason: o.reason } : {}), ...(o.message ? { message: o.message } : {}) }] } } : {}),
});

const es = (spec: Record<string, unknown>): ExternalSecretObject => ({
  apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'app', namespace: 'ns' }, spec,
} as unknown as ExternalSecretObject);

test('shouldProcessStore: empty or absent spec.controller is processed by every class; a set one only by that class', () => {
  assert.equal(shouldProcessStore(store(), 'default'), true);
  assert.equal(shouldProcessStore(store({ controller: '' }), 'default'), true);
  assert.equal(shouldProcessStore(store({ controller: '' }), 'other'), true);
  assert.equal(shouldProcessStore(store({ controller: 'default' }), 'default'), true);
  assert.equal(shouldProcessStore(store({ controller: 'other' }), 'default'), false);
  assert.equal(shouldProcessStore(store({ controller: 'other' }), 'other'), true);
  assert.equal(shouldProcessStore(store({ controller: 'default' }), 'other'), false);
  assert.equal(shouldProcessStore(undefined, 'default'), true, 'no store: not a reason to skip (ESO)');
});

test('unmanagedStore: any referenced store of another class skips the ExternalSecret; missing stores and bad kinds are passed over', async () => {
  const stores = new Map<string, SecretStoreObject>([
    ['SecretStore/ns/mine', store({ name: 'mine' })],
    ['SecretStore/ns/theirs', store({ name: 'theirs', controller: 'other' })],
    ['SecretStore/other-ns/theirs2', store({ name: 'theirs2', namespace: 'other-ns', controller: 'other' })],
    ['ClusterSecretStore//shared', store({ kind: 'ClusterSecretStore', name: 'shared', controller: 'other' })],
  ]);
  const asked: string[] = [];
  const lookup = (kind: StoreKind, name: string, namespace?: string) => { asked.push(`${kind}/${namespace ?? ''}/${name}`); return stores.get(`${kind}/${namespace ?? ''}/${name}`); };
  assert.equal(await unmanagedStore(es({ secretStoreRef: { name: 'mine' } }), lookup, 'default'), undefined);
  assert.equal((await unmanagedStore(es({ secretStoreRef: { name: 'theirs' } }), lookup, 'default'))?.metadata.name, 'theirs');
  assert.equal(await unmanagedStore(es({ secretStoreRef: { name: 'theirs' } }), lookup, 'other'), undefined, 'the other controller takes it');
  // a store named only in data[].sourceRef or dataFrom[].sourceRef counts too
  assert.equal((await unmanagedStore(es({ secretStoreRef: { name: 'mine' }, data: [{ secretKey: 'a', remoteRef: { key: 'a' }, sourceRef: { storeRef: { name: 'theirs' } } }] }), lookup, 'default'))?.metadata.name, 'theirs');
  assert.equal((await unmanagedStore(es({ secretStoreRef: { name: 'mine' }, dataFrom: [{ extract: { key: 'a' }, sourceRef: { storeRef: { name: 'shared', kind: 'ClusterSecretStore' } } }] }), lookup, 'default'))?.metadata.name, 'shared');
  // a SecretStore is looked up in the ExternalSecret's namespace only
  asked.length = 0;
  assert.equal(await unmanagedStore(es({ secretStoreRef: { name: 'theirs2' } }), lookup, 'default'), undefined);
  assert.deepEqual(asked, ['SecretStore/ns/theirs2']);
  // missing store, unknown kind, a lookup that throws (cluster stores disabled): not skipped, the sync reports it
  assert.equal(await unmanagedStore(es({ secretStoreRef: { name: 'nope' } }), lookup, 'default'), undefined);
  assert.equal(await unmanagedStore(es({ secretStoreRef: { name: 'theirs', kind: 'Vault' } }), lookup, 'default'), undefined);
  assert.equal(await unmanagedStore(es({ secretStoreRef: { name: 'shared', kind: 'ClusterSecretStore' } }), () => { throw new Error('disabled'); }, 'default'), undefined);
  assert.equal(await unmanagedStore(es({ secretStoreRef: { name: 'shared', kind: 'ClusterSecretStore' } }), async () => { throw new Error('unreachable'); }, 'default'), undefined);
  // a live read (before the cache listed) works the same
  assert.equal((await unmanagedStore(es({ secretStoreRef: { name: 'theirs' } }), async (k, n, ns) => lookup(k, n, ns), 'default'))?.metadata.name, 'theirs');
});

test('assertStoreUsable: only Ready=True passes; the message is ESO\'s plus the store\'s own reason', () => {
  assert.doesNotThrow(() => assertStoreUsable(store({ ready: 'True', reason: 'Valid' })));
  assert.throws(() => assertStoreUsable(store({ name: 'vault' })), (e: Error) => e.message === 'SecretStore "vault" is not ready (it has not been validated yet)');
  assert.throws(() => assertStoreUsable(store({ name: 'vault', ready: 'False', reason: 'InvalidProviderConfig', message: 'unable to validate store: the Vault token is invalid' })),
    (e: Error) => e.message === 'SecretStore "vault" is not ready (InvalidProviderConfig: unable to validate store: the Vault token is invalid)');
  assert.throws(() => assertStoreUsable(store({ name: 'x', ready: 'Unknown' })), (e: Error) => e.message === 'SecretStore "x" is not ready');
  assert.throws(() => assertStoreUsable(store({ kind: 'ClusterSecretStore', name: 'shared', ready: 'False' })), /ClusterSecretStore "shared" is not ready$/);
});

test('gatedSources: the flood gate and the class check apply where the store is used; --enable-flood-gate=false lets a not-ready store through', async () => {
  const base = memorySources({ stores: [store({ name: 'ok', ready: 'True' }), store({ name: 'new' }), store({ name: 'bad', ready: 'False', reason: 'ValidationFailed' }), store({ name: 'theirs', ready: 'True', controller: 'other' })], objects: [], defaultNamespace: 'ns' });
  const on = gatedSources(base, 'ns', { controllerClass: 'default', floodGate: true });
  assert.equal((await resolveStore({ name: 'ok' }, 'ns', on)).metadata.name, 'ok');
  await assert.rejects(resolveStore({ name: 'new' }, 'ns', on), /SecretStore "new" is not ready \(it has not been validated yet\)/);
  await assert.rejects(resolveStore({ name: 'bad' }, 'ns', on), /SecretStore "bad" is not ready \(ValidationFailed\)/);
  await assert.rejects(resolveStore({ name: 'theirs' }, 'ns', on), /: can not reference unmanaged store: SecretStore "theirs" has spec.controller "other"/);
  await assert.rejects(resolveStore({ name: 'missing' }, 'ns', on), /not found/, 'a missing store is still reported as missing');
  const off = gatedSources(base, 'ns', { controllerClass: 'default', floodGate: false });
  assert.equal((await resolveStore({ name: 'bad' }, 'ns', off)).metadata.name, 'bad');
  assert.equal((await resolveStore({ name: 'new' }, 'ns', off)).metadata.name, 'new');
  const other = gatedSources(base, 'ns', { controllerClass: 'other', floodGate: true });
  assert.equal((await resolveStore({ name: 'theirs' }, 'ns', other)).metadata.name, 'theirs');
});

test('gatedSources: a ClusterSecretStore that refuses the namespace is reported by its conditions first, as ESO orders them', async () => {
  const css = store({ kind: 'ClusterSecretStore', name: 'shared', ready: 'False', conditions: [{ namespaces: ['prod'] }] });
  const gated = gatedSources(memorySources({ stores: [css], objects: [], defaultNamespace: 'ns' }), 'dev', { controllerClass: 'default', floodGate: true });
  await assert.rejects(resolveStore({ name: 'shared', kind: 'ClusterSecretStore' }, 'dev', gated), /not allowed from namespace "dev": denied by spec.condition/);
  const inProd = gatedSources(memorySources({ stores: [css], objects: [], defaultNamespace: 'ns' }), 'prod', { controllerClass: 'default', floodGate: true });
  await assert.rejects(resolveStore({ name: 'shared', kind: 'ClusterSecretStore' }, 'prod', inProd), /ClusterSecretStore "shared" is not ready/);
});

test('flags: --controller-class defaults to "default" and --enable-flood-gate to true, as ESO; env twins work', () => {
  const base = { argv: ['--kubeconfig=/dev/null'], env: {}, readServiceAccountNamespace: () => undefined };
  const d = loadConfig(base);
  assert.equal(d.controllerClass, 'default');
  assert.equal(d.enableFloodGate, true);
  const set = loadConfig({ ...base, argv: ['--controller-class=other', '--enable-flood-gate=false'] });
  assert.equal(set.controllerClass, 'other');
  assert.equal(set.enableFloodGate, false);
  const env = loadConfig({ ...base, argv: ['--no-enable-flood-gate'], env: { CLOAK_CONTROLLER_CLASS: 'team-b' } });
  assert.equal(env.controllerClass, 'team-b');
  assert.equal(env.enableFloodGate, false);
});
