import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { createApiServer, type ApiHandlers } from '../../controller/http/index.js';
import { createControllerMetrics } from '../../controller/metrics/index.js';
import { silentLogger } from '../../controller/log.js';

const SS = { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name: 's', namespace: 'n' }, spec: { encryptedData: { a: 'x' } } };

async function withServer(h: Partial<ApiHandlers>, fn: (base: string, metrics: ReturnType<typeof createControllerMetrics>) => Promise<void>, rate = 100) {
  const handlers: ApiHandlers = {
    getCert: () => '-----BEGIN CERTIFICATE-----\nMII\n-----END CERTIFICATE-----\n',
    verify: async () => true,
    rotate: async (ss) => ({ ...ss, resealed: true }),
    listKeys: async () => [],
    ready: () => true,
    ...h,
  };
  const metrics = createControllerMetrics('t');
  const server = createApiServer({ handlers, metrics, log: silentLogger, rateLimit: rate, rateLimitBurst: rate > 10 ? 100 : 1, readTimeoutMs: 5000, writeTimeoutMs: 5000 });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, metrics);
  } finally {
    await new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); });
  }
}

test('healthz, readyz and cert.pem as Bitnami serves them', async () => {
  await withServer({ ready: () => false }, async (base, metrics) => {
    const h = await fetch(`${base}/healthz`);
    assert.equal(h.status, 200);
    assert.equal(await h.text(), 'ok\n');
    assert.equal((await fetch(`${base}/readyz`)).status, 503);
    const c = await fetch(`${base}/v1/cert.pem`);
    assert.equal(c.status, 200);
    assert.equal(c.headers.get('content-type'), 'application/x-pem-file');
    assert.match(await c.text(), /BEGIN CERTIFICATE/);
    assert.equal(metrics.httpRequests.get({ path: '/v1/cert.pem', code: '200', method: 'GET' }), 1);
  });
  await withServer({ getCert: () => undefined }, async (base) => {
    assert.equal((await fetch(`${base}/v1/cert.pem`)).status, 500);
  });
});

test('verify: 200 when it decrypts, 409 when not, 400 for a bad body; YAML accepted', async () => {
  await withServer({ verify: async (ss) => (ss.metadata as { name: string }).name === 's' }, async (base) => {
    assert.equal((await fetch(`${base}/v1/verify`, { method: 'POST', body: JSON.stringify(SS) })).status, 200);
    const other = { ...SS, metadata: { name: 'other', namespace: 'n' } };
    assert.equal((await fetch(`${base}/v1/verify`, { method: 'POST', body: JSON.stringify(other) })).status, 409);
    const yaml = 'apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: {name: s, namespace: n}\nspec: {encryptedData: {a: x}}\n';
    assert.equal((await fetch(`${base}/v1/verify`, { method: 'POST', body: yaml })).status, 200);
    assert.equal((await fetch(`${base}/v1/verify`, { method: 'POST', body: `${yaml}---\n${yaml}` })).status, 400);
    assert.equal((await fetch(`${base}/v1/verify`, { method: 'POST', body: '{"kind":"Secret"}' })).status, 400);
  });
});

test('rotate returns JSON with a content type, 409 when it cannot decrypt', async () => {
  await withServer({ rotate: async (ss) => ((ss.metadata as { name: string }).name === 's' ? { ...ss, ok: 1 } : undefined) }, async (base) => {
    const r = await fetch(`${base}/v1/rotate`, { method: 'POST', body: JSON.stringify(SS) });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/json');
    assert.equal(((await r.json()) as { ok: number }).ok, 1);
    const bad = await fetch(`${base}/v1/rotate`, { method: 'POST', body: JSON.stringify({ ...SS, metadata: { name: 'x' } }) });
    assert.equal(bad.status, 409);
  });
});

test('verify and rotate are rate limited per client with Retry-After', async () => {
  await withServer({}, async (base) => {
    const first = await fetch(`${base}/v1/verify`, { method: 'POST', body: JSON.stringify(SS), headers: { 'X-Forwarded-For': '10.0.0.1' } });
    assert.equal(first.status, 200);
    const second = await fetch(`${base}/v1/verify`, { method: 'POST', body: JSON.stringify(SS), headers: { 'X-Forwarded-For': '10.0.0.1' } });
    assert.equal(second.status, 429);
    assert.ok(Number(second.headers.get('retry-after')) >= 1);
    // X-Forwarded-For is client-supplied: a new value does not buy a new bucket (the peer address is the key).
    const spoofed = await fetch(`${base}/v1/verify`, { method: 'POST', body: JSON.stringify(SS), headers: { 'X-Forwarded-For': '10.0.0.2' } });
    assert.equal(spoofed.status, 429);
    assert.equal((await fetch(`${base}/v1/rotate`, { method: 'POST', body: JSON.stringify(SS), headers: { 'X-Forwarded-For': '10.0.0.1' } })).status, 200);
    assert.equal((await fetch(`${base}/v1/rotate`, { method: 'POST', body: JSON.stringify(SS), headers: { 'X-Forwarded-For': '10.0.0.1' } })).status, 429);
  }, 0.001);
});

test('/v1/keys is read-only: no way to rotate or retire keys through the service proxy', async () => {
  const key = { name: 'k', fingerprint: 'SHA256:a', created: 'c', notAfter: 'n', active: true, newest: true, sealedSecrets: 3, rotateRequest: 'r1' };
  await withServer({ listKeys: async () => [key] }, async (base) => {
    assert.deepEqual(await (await fetch(`${base}/v1/keys`)).json(), { keys: [key] });
    const post = await fetch(`${base}/v1/keys`, { method: 'POST', body: '{}' });
    assert.equal(post.status, 405);
    assert.match(await post.text(), /cloak keys rotate\|retire/);
    for (const path of ['/v1/keys/rotate', '/v1/keys/retire']) {
      assert.equal((await fetch(`${base}${path}`, { method: 'POST', body: JSON.stringify({ fingerprint: 'SHA256:a', force: true }) })).status, 404, path);
    }
  });
});
