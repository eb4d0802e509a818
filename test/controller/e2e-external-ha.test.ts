// Leader failover for the external half: two cloak-controller processes elect one leader; only it
// reconciles ExternalSecrets. The leader is SIGKILLed in the middle of applying a change to 30
// ExternalSecrets; the other takes over within 15 s, every ExternalSecret becomes Ready with the new
// value, and no Secret is written twice for the same change (the API server's request recorder counts
// every Secret write the controllers made).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Json } from '../../controller/kube/index.js';
import { syncedResourceVersion } from '../../controller/external/meta-hash.js';
import { ESO, esPath, forceSync, readyOf, storePath, textOf, type EsObject, type SecretJson } from '../support/controller/external-harness.js';
import { ensureNamespace, getOrUndefined, secretPath, startCluster, startController, waitFor, type ControllerProc } from '../support/controller/harness.js';

const HA = ['--leader-elect=true', '--leader-election-lease-duration=4s', '--leader-election-renew-deadline=3s', '--leader-election-retry-period=500ms', '--concurrent=2'];
const NS = 'es-ha';
const N = 30;
const names = Array.from({ length: N }, (_, i) => `app-${i}`);
const storeData = (v: string) => ({ fake: { data: names.map((n) => ({ key: `/${n}`, value: `${n}-${v}` })) } });

async function isLeader(metricsUrl: string): Promise<boolean> {
  try { return /^cloak_leader 1$/m.test(await (await fetch(`${metricsUrl}/metrics`)).text()); } catch { return false; }
}

test('kill the leader mid-sync: the other takes over within 15 s, all Ready, no Secret written twice per change', async () => {
  const cluster = await startCluster();
  const c = cluster.client;
  const hooks = cluster.server.hooks;
  await waitFor('external-secrets.io/v1 served', async () => (await getOrUndefined(c, ESO)) !== undefined);
  const [a, b] = await Promise.all([startController(cluster, HA), startController(cluster, HA)]);
  const secretWrites = (since: number) => {
    const counts = new Map<string, number>();
    for (const r of hooks.requests.slice(since)) {
      const m = new RegExp(`^/api/v1/namespaces/${NS}/secrets(?:/([^/]+))?$`).exec(r.path);
      if (!m || !['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) || (r.status ?? 0) >= 300) continue;
      if (!r.headers['user-agent']?.startsWith('cloak-controller')) continue;
      const name = m[1] ?? (JSON.parse(r.body) as { metadata?: { name?: string } }).metadata?.name ?? '?';
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    return counts;
  };
  const allSynced = (v: string, ctl: ControllerProc, timeoutMs: number) => waitFor(`all ${N} ExternalSecrets Ready with ${v}`, async () => {
    const list = await c.request<{ items: EsObject[] }>('GET', `${ESO}/namespaces/${NS}/externalsecrets`);
    const ready = list.items.filter((es) => readyOf(es)?.status === 'True' && current(es));
    if (ready.length !== N) return undefined;
    const secrets = await c.request<{ items: SecretJson[] }>('GET', secretPath(NS));
    const right = secrets.items.filter((s) => textOf(s).v === `${s.metadata.name}-${v}`);
    return right.length === N ? true : undefined;
  }, timeoutMs, ctl.logs);
  try {
    await ensureNamespace(c, NS);
    await c.request('POST', storePath(NS), { body: { apiVersion: 'external-secrets.io/v1', kind: 'SecretStore', metadata: { name: 'fake', namespace: NS }, spec: { provider: storeData('v1') } } });
    const firstMark = hooks.requests.length;
    for (const n of names) {
      await c.request('POST', esPath(NS), { body: {
        apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: n, namespace: NS },
        spec: { refreshInterval: '1h', secretStoreRef: { name: 'fake', kind: 'SecretStore' }, data: [{ secretKey: 'v', remoteRef: { key: `/${n}` } }] },
      } });
    }
    const leader = await waitFor('a leader', async () => ((await isLeader(a.metrics)) ? a : (await isLeader(b.metrics)) ? b : undefined), 30_000);
    const follower = leader === a ? b : a;
    await allSynced('v1', leader, 30_000);
    for (const [name, count] of secretWrites(firstMark)) assert.equal(count, 1, `Secret ${name} written ${count} times on first sync`);
    assert.equal(secretWrites(firstMark).size, N);
    assert.doesNotMatch(await (await fetch(`${follower.metrics}/metrics`)).text(), /^externalsecret_sync_calls_total\{/m, 'the follower does not reconcile');

    // The change: new values in the store, and a forced sync of every ExternalSecret. Secret writes are
    // slowed so the leader is killed with part of the work done and part still to do.
    hooks.inject({ method: 'PUT', path: `/api/v1/namespaces/${NS}/secrets`, delayMs: 250, count: 10_000 });
    const mark = hooks.requests.length;
    const store = await c.request<Json>('GET', storePath(NS, 'fake'));
    await c.request('PUT', storePath(NS, 'fake'), { body: { ...store, spec: { provider: storeData('v2') } } });
    await Promise.all(names.map((n) => forceSync(c, NS, n)));
    await waitFor('the leader is mid-way', async () => {
      const done = (await c.request<{ items: SecretJson[] }>('GET', secretPath(NS))).items.filter((s) => textOf(s).v?.endsWith('-v2')).length;
      return done >= 3 && done < N ? true : undefined;
    }, 30_000, leader.logs);
    leader.proc.kill('SIGKILL');
    await leader.exited;
    const killedAt = Date.now();
    hooks.clearInjections();
    const updatedBefore = (await c.request<{ items: SecretJson[] }>('GET', secretPath(NS))).items.filter((s) => textOf(s).v?.endsWith('-v2')).length;
    assert.ok(updatedBefore < N, 'the leader was killed before it finished');

    await waitFor('the follower leads', () => isLeader(follower.metrics), 15_000, follower.logs);
    const tookOver = Date.now() - killedAt;
    assert.ok(tookOver < 15_000, `took over after ${tookOver} ms`);
    await allSynced('v2', follower, 30_000);

    const writes = secretWrites(mark);
    for (const [name, count] of writes) assert.equal(count, 1, `Secret ${name} written ${count} times for one change`);
    assert.equal(writes.size, N, 'every Secret got the change exactly once');
    // A graceful hand-over to a fresh replica: its first pass over 30 synced ExternalSecrets writes no Secret.
    const c2 = await startController(cluster, HA);
    try {
      const settled = hooks.requests.length;
      assert.equal(await follower.stop('SIGTERM'), 0);
      await waitFor('the fresh replica leads', () => isLeader(c2.metrics), 15_000, c2.logs);
      await waitFor('its first pass covered every ExternalSecret', async () => {
        const text = await (await fetch(`${c2.metrics}/metrics`)).text();
        return names.every((n) => text.includes(`externalsecret_sync_calls_total{name="${n}",namespace="${NS}"}`)) ? true : undefined;
      }, 15_000, c2.logs);
      assert.equal(secretWrites(settled).size, 0, 'nothing changed: no Secret write');
      await allSynced('v2', c2, 5_000);
    } finally {
      await c2.stop();
    }
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    await cluster.close();
  }
});

/** Synced for the current generation, labels and annotations (ESO's syncedResourceVersion). */
function current(es: EsObject): boolean {
  return es.status?.syncedResourceVersion === syncedResourceVersion(es.metadata as Parameters<typeof syncedResourceVersion>[0]);
}
