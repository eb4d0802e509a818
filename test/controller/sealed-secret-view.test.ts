// The SealedSecret controller's Secret cache holds no values: views keep metadata and value digests
// of Secrets a SealedSecret may write and only a name for the rest. Reconciling from views: a settled
// pass reads and writes nothing, a drifted Secret is re-read live before the write, an unmanaged one
// is refused without a read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reconcileSealedSecret, ResultCache, type ReconcileContext, type Unsealed } from '../../controller/sealed/index.js';
import { digested, isSecretView, secretView } from '../../controller/sealed/secret-view.js';
import { KubeApiError, type Json, type KubeClient } from '../../controller/kube/index.js';
import { createControllerMetrics } from '../../controller/metrics/index.js';
import { silentLogger } from '../../controller/log.js';
import { interopCases, interopKeyRegistry } from '../support/controller/interop.js';

const VALUE = 'c2VjcmV0LXZhbHVlLTEyMzQ1'; // base64 of a value that must never be cached

test('an unrelated Secret keeps only its name and version; an owned one keeps metadata and digests, never values', () => {
  const foreign = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'a', namespace: 'n', resourceVersion: '7', labels: { x: 'y' }, managedFields: [{}] }, data: { k: VALUE } };
  assert.deepEqual(secretView(foreign), { metadata: { name: 'a', namespace: 'n', resourceVersion: '7' }, cloakDataDigests: {} });
  const owned = {
    apiVersion: 'v1', kind: 'Secret', type: 'Opaque', immutable: false,
    metadata: { name: 'b', namespace: 'n', uid: 'u', resourceVersion: '8', labels: { x: 'y' }, managedFields: [{}], ownerReferences: [{ apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', name: 'b', uid: 'ss', controller: true }] },
    data: { k: VALUE },
  };
  const v = secretView(owned);
  assert.ok(isSecretView(v) && !isSecretView(owned));
  assert.ok(!JSON.stringify(v).includes(VALUE), 'no value in the view');
  assert.equal('managedFields' in (v.metadata as object), false);
  assert.deepEqual({ ...(v.metadata as object) }, { name: 'b', namespace: 'n', uid: 'u', resourceVersion: '8', labels: { x: 'y' }, ownerReferences: owned.metadata.ownerReferences });
  assert.equal(v.type, 'Opaque');
  assert.deepEqual(digested(v).data, digested(owned).data, 'the view and the live object digest alike');
  assert.notDeepEqual(digested(v).data, digested({ ...owned, data: { k: 'b3RoZXI=' } }).data);
  for (const a of ['sealedsecrets.bitnami.com/managed', 'sealedsecrets.bitnami.com/patch', 'cloak.dev/unsealed-with']) {
    const s = { ...foreign, metadata: { ...foreign.metadata, annotations: { [a]: 'true' } } };
    assert.deepEqual((secretView(s).metadata as { annotations?: unknown }).annotations, { [a]: 'true' }, a);
  }
});

/** A SealedSecret reconciled against an in-memory API; getSecret answers from views, as the informer does. */
function setup(ss: Json) {
  const stored = new Map<string, Json>();
  const calls: string[] = [];
  let current = structuredClone(ss);
  let rv = 100;
  const client: KubeClient = {
    async request<T>(method: string, path: string, ro: { body?: unknown } = {}): Promise<T> {
      calls.push(`${method} ${path.replace(/^.*\/(secrets|sealedsecrets)/, '$1')}`);
      if (path.endsWith('/status')) {
        current = { ...current, status: (ro.body as { status: unknown }).status, metadata: { ...(current.metadata as object), resourceVersion: String(++rv) } };
        return current as T;
      }
      const name = path.split('/secrets/')[1];
      if (method === 'GET') {
        const s = stored.get(name!);
        if (!s) throw new KubeApiError({ status: 404, reason: 'NotFound', message: 'not found', subject: path });
        return structuredClone(s) as T;
      }
      const body = structuredClone(ro.body) as Json & { metadata: Record<string, unknown> };
      body.metadata.resourceVersion = String(++rv);
      stored.set(body.metadata.name as string, body);
      return body as T;
    },
    async watch() { throw new Error('no watch'); },
  };
  const registry = interopKeyRegistry();
  const ctx: ReconcileContext = {
    client,
    getSealedSecret: () => current,
    getSecret: async (_ns, name) => { const s = stored.get(name); return s && secretView(structuredClone(s)); },
    keys: registry,
    decrypt: async (k, b, l) => (await import('../../src/crypto/index.js')).hybridDecrypt(k.privateKey, b, l),
    renderTemplate: undefined,
    cache: new ResultCache<Unsealed>(),
    recorder: { event: async () => {} },
    metrics: createControllerMetrics('t'),
    log: silentLogger,
    updateStatus: true,
    oldGcBehavior: false,
    now: () => new Date('2026-01-01T00:00:00Z'),
    onOutcome: () => {},
    statusWritten: new Map(),
    secretWritten: new Map(),
  };
  return { ctx, stored, calls, get ss() { return current; } };
}

const case01 = () => {
  const c = interopCases().find((x) => x.name.startsWith('01-'))!;
  return { c, ss: { ...c.sealed, metadata: { ...(c.sealed.metadata as object), uid: 'u1', generation: 1, resourceVersion: '5' } } as Json };
};

test('from views: create, then a pass that reads and writes nothing; a hand edit is re-read live and restored', async () => {
  const { c, ss } = case01();
  const t = setup(ss);
  const key = 'shop/db-credentials';
  await reconcileSealedSecret(key, t.ctx);
  assert.deepEqual(t.calls, ['POST secrets', 'PATCH sealedsecrets/db-credentials/status']);
  t.calls.length = 0;
  await reconcileSealedSecret(key, t.ctx);
  assert.deepEqual(t.calls, [], 'settled: no GET, no write');

  const s = t.stored.get('db-credentials')! as Json & { data: Record<string, string> };
  s.data = { ...s.data, extra: 'aGFuZC1lZGl0' };
  await reconcileSealedSecret(key, t.ctx);
  assert.deepEqual(t.calls, ['GET secrets/db-credentials', 'PUT secrets/db-credentials']);
  assert.deepEqual(t.stored.get('db-credentials')!.data, c.expect.secret!.data);
  t.calls.length = 0;
  await reconcileSealedSecret(key, t.ctx);
  assert.deepEqual(t.calls, []);
});

test('from views: an unmanaged Secret is refused without reading it; a patch-annotated one is merged from the live values', async () => {
  const { c, ss } = case01();
  const t = setup(ss);
  t.stored.set('db-credentials', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db-credentials', namespace: 'shop', resourceVersion: '1' }, data: { keep: 'a2VlcA==' } });
  await reconcileSealedSecret('shop/db-credentials', t.ctx);
  assert.deepEqual(t.calls, ['PATCH sealedsecrets/db-credentials/status']);
  assert.match((t.ss.status as { conditions: Array<{ message: string }> }).conditions[0]!.message, /already exists and is not managed by SealedSecret/);

  t.calls.length = 0;
  const s = t.stored.get('db-credentials')!;
  (s.metadata as Record<string, unknown>).annotations = { 'sealedsecrets.bitnami.com/patch': 'true' };
  await reconcileSealedSecret('shop/db-credentials', t.ctx);
  assert.deepEqual(t.calls.slice(0, 2), ['GET secrets/db-credentials', 'PUT secrets/db-credentials']);
  assert.deepEqual(t.stored.get('db-credentials')!.data, { keep: 'a2VlcA==', ...c.expect.secret!.data });
  t.calls.length = 0;
  await reconcileSealedSecret('shop/db-credentials', t.ctx);
  assert.deepEqual(t.calls, [], 'merged: nothing more to read or write');
});
