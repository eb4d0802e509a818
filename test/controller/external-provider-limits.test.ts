// The per-store provider limit and provider metrics on the real engine and fake provider: a token
// bucket spaces calls to one store (other stores are not held up), every call that reaches a store is
// counted by store and op, and reads served by the shared read cache count as coalesced.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memorySources, resolveExternalSecret } from '../../src/external/index.js';
import type { ExternalSecretObject, SecretStoreObject } from '../../src/manifests/external-types.js';
import { ClientCache } from '../../src/providers/shared/client-cache.js';
import { StoreLimiter } from '../../src/providers/shared/rate-limit.js';
import { ReadCache } from '../../src/providers/shared/read-cache.js';
import { providerObservers } from '../../controller/external/provider-metrics.js';
import { createControllerMetrics } from '../../controller/metrics/index.js';

const KEYS = Array.from({ length: 6 }, (_, i) => `/k${i}`);
const store = (name: string): SecretStoreObject => ({
  apiVersion: 'external-secrets.io/v1', kind: 'SecretStore', metadata: { name, namespace: 'n', resourceVersion: '1' },
  spec: { provider: { fake: { data: KEYS.map((key) => ({ key, value: `v${key}` })) } } },
});
const es = (name: string, storeName: string): ExternalSecretObject => ({
  apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name, namespace: 'n', uid: name },
  spec: { secretStoreRef: { name: storeName, kind: 'SecretStore' }, data: KEYS.map((key, i) => ({ secretKey: `s${i}`, remoteRef: { key } })) },
});

test('a token bucket per store spaces provider calls; calls and coalesced reads are counted', async () => {
  const metrics = createControllerMetrics('test');
  const reads = new ReadCache();
  const clients = new ClientCache();
  const observers = providerObservers(reads, metrics);
  const limiter = new StoreLimiter({ concurrency: 8, ratePerSecond: 10, burst: 1 });
  const sources = memorySources({ stores: [store('slow'), store('other')], objects: [], defaultNamespace: 'n' });
  const ctx = { sources, clients, reads, readMaxAgeMs: 3_600_000, limiter, onProviderCall: observers.onProviderCall };
  try {
    const t0 = performance.now();
    const [a] = await Promise.all([resolveExternalSecret(es('a', 'slow'), ctx), resolveExternalSecret(es('b', 'other'), ctx)]);
    const elapsed = performance.now() - t0;
    observers.afterResolve();
    assert.equal(Buffer.from(a.data.s5!).toString(), 'v/k5');
    // 6 calls, burst 1, 10/s: the last one waits for 5 refills (500 ms), per store, both stores in parallel.
    assert.ok(elapsed >= 450, `calls to one store are spaced by the bucket (${elapsed.toFixed(0)} ms)`);
    assert.ok(elapsed < 5_000, 'stores are limited independently');
    assert.equal(metrics.providerRequests.get({ store: 'SecretStore/n/slow', op: 'get' }), KEYS.length);
    assert.equal(metrics.providerRequests.get({ store: 'SecretStore/n/other', op: 'get' }), KEYS.length);

    // Same keys again within the refresh window: the shared cache answers, nothing reaches the store.
    const t1 = performance.now();
    await Promise.all([resolveExternalSecret(es('c', 'slow'), ctx), resolveExternalSecret(es('d', 'slow'), ctx)]);
    observers.afterResolve();
    assert.ok(performance.now() - t1 < 400, 'cached reads are not rate limited');
    assert.equal(metrics.providerRequests.get({ store: 'SecretStore/n/slow', op: 'get' }), KEYS.length, 'no new provider calls');
    assert.equal(metrics.readsCoalesced.get(), 2 * KEYS.length, 'each saved read is counted once');
    assert.ok(!metrics.registry.render().includes('v/k'), 'no values in metrics');
  } finally {
    await clients.close();
  }
});
