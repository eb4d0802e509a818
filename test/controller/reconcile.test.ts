// Reconciler steps with an in-memory cache and writer: zero writes on a second pass, status and events
// only on transitions, permanent errors don't throw (no hot retry), transient ones do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reconcileSealedSecret, ResultCache, type ReconcileContext, type Unsealed } from '../../controller/sealed/index.js';
import { KubeApiError, type Json, type KubeClient } from '../../controller/kube/index.js';
import { createControllerMetrics } from '../../controller/metrics/index.js';
import { silentLogger } from '../../controller/log.js';
import { interopCases, interopKeyRegistry } from '../support/controller/interop.js';

function setup(ss: Json, o: { failSecretWrites?: number } = {}) {
  const secrets = new Map<string, Json>();
  const writes: string[] = [];
  const events: string[] = [];
  let current = structuredClone(ss);
  let rv = 100;
  let failSecretWrites = o.failSecretWrites ?? 0;
  const client: KubeClient = {
    async request<T>(method: string, path: string, ro: { body?: unknown } = {}): Promise<T> {
      writes.push(`${method} ${path.replace(/^.*\/(secrets|sealedsecrets)/, '$1')}`);
      if (path.includes('/secrets') && (method === 'POST' || method === 'PUT') && failSecretWrites > 0) {
        failSecretWrites--;
        throw new KubeApiError({ status: 503, reason: 'ServiceUnavailable', message: 'try later', subject: path });
      }
      const body = structuredClone(ro.body) as Json & { metadata: Record<string, unknown> };
      if (path.endsWith('/status')) {
        current = { ...current, status: (body as unknown as { status: unknown }).status, metadata: { ...(current.metadata as object), resourceVersion: String(++rv) } };
        return current as T;
      }
      body.metadata.resourceVersion = String(++rv);
      secrets.set(body.metadata.name as string, body);
      return body as T;
    },
    async watch() { throw new Error('no watch'); },
  };
  const registry = interopKeyRegistry();
  const ctx: ReconcileContext = {
    client,
    getSealedSecret: () => current,
    getSecret: async (_ns, name) => secrets.get(name),
    keys: registry,
    decrypt: async (k, b, l) => (await import('../../src/crypto/index.js')).hybridDecrypt(k.privateKey, b, l),
    renderTemplate: undefined,
    cache: new ResultCache<Unsealed>(),
    recorder: { event: async (_o, type, reason) => { events.push(`${type} ${reason}`); } },
    metrics: createControllerMetrics('t'),
    log: silentLogger,
    updateStatus: true,
    oldGcBehavior: false,
    now: () => new Date('2026-01-01T00:00:00Z'),
    onOutcome: () => {},
    statusWritten: new Map(),
    secretWritten: new Map(),
  };
  return { ctx, secrets, writes, events, get ss() { return current; } };
}

const withUid = (o: Record<string, unknown>) => ({ ...o, metadata: { ...(o.metadata as object), uid: 'u1', generation: 1, resourceVersion: '5' } }) as Json;

test('first pass creates the Secret, patches status and emits Unsealed; the second pass writes nothing', async () => {
  const c = interopCases().find((x) => x.name.startsWith('01-'))!;
  const t = setup(withUid(c.sealed));
  const key = `${(c.sealed.metadata as { namespace: string }).namespace}/${(c.sealed.metadata as { name: string }).name}`;
  await reconcileSealedSecret(key, t.ctx);
  assert.deepEqual(t.writes, ['POST secrets', 'PATCH sealedsecrets/db-credentials/status']);
  assert.deepEqual(t.events, ['Normal Unsealed']);
  assert.equal((t.ss.status as { observedGeneration: number }).observedGeneration, 1);
  assert.deepEqual(t.secrets.get('db-credentials')?.data, c.expect.secret!.data);
  t.writes.length = 0;
  t.events.length = 0;
  await reconcileSealedSecret(key, t.ctx);
  assert.deepEqual(t.writes, []);
  assert.deepEqual(t.events, []);
});

test('a SealedSecret no key opens: status False, one Warning event, no throw (no hot retry), no second event', async () => {
  const c = interopCases().find((x) => x.name.startsWith('11-'))!;
  const t = setup(withUid(c.sealed));
  const m = c.sealed.metadata as { namespace: string; name: string };
  await reconcileSealedSecret(`${m.namespace}/${m.name}`, t.ctx);
  assert.deepEqual(t.events, ['Warning ErrUnsealFailed']);
  const cond = (t.ss.status as { conditions: Array<{ status: string; message: string }> }).conditions[0]!;
  assert.equal(cond.status, 'False');
  assert.match(cond.message, /no key could decrypt secret/);
  assert.equal(t.secrets.size, 0);
  await reconcileSealedSecret(`${m.namespace}/${m.name}`, t.ctx);
  assert.deepEqual(t.events, ['Warning ErrUnsealFailed'], 'same failure, no new event');
});

test('an API failure is transient: it throws for the queue to back off, and the next pass succeeds without decrypting again', async () => {
  const c = interopCases().find((x) => x.name.startsWith('01-'))!;
  const t = setup(withUid(c.sealed), { failSecretWrites: 1 });
  const key = 'shop/db-credentials';
  await assert.rejects(reconcileSealedSecret(key, t.ctx), /try later/);
  assert.equal(t.ctx.cache.size, 1, 'the decrypted result is kept');
  let decrypts = 0;
  const inner = t.ctx.decrypt;
  t.ctx.decrypt = async (k, b, l) => { decrypts++; return inner(k, b, l); };
  await reconcileSealedSecret(key, t.ctx);
  assert.equal(decrypts, 0);
  assert.ok(t.secrets.has('db-credentials'));
  assert.equal((t.ss.status as { conditions: Array<{ status: string }> }).conditions[0]!.status, 'True');
});
