// HA: two controller processes elect one leader through a Lease; only it generates keys and reconciles.
// Killing it hands over to the other within the lease duration. Periodic renewal makes one key per period.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  certNotBefore, decoded, ensureNamespace, fetchCert, getOrUndefined, seal, secretPath, ssPath, startCluster, startController, waitFor,
} from '../support/controller/harness.js';
import type { Json } from '../../controller/kube/index.js';

const HA = ['--leader-elect=true', '--leader-election-lease-duration=4s', '--leader-election-renew-deadline=3s', '--leader-election-retry-period=500ms'];
const KEY_SELECTOR = 'sealedsecrets.bitnami.com/sealed-secrets-key=active';

async function isLeader(metricsUrl: string): Promise<boolean> {
  try {
    const text = await (await fetch(`${metricsUrl}/metrics`)).text();
    return /^cloak_leader 1$/m.test(text);
  } catch { return false; }
}

test('two replicas: one leader, one key; kill the leader and the other takes over within 15 s', async () => {
  const cluster = await startCluster();
  const [a, b] = await Promise.all([startController(cluster, HA), startController(cluster, HA)]);
  try {
    await ensureNamespace(cluster.client, 'ha');
    const leader = await waitFor('a leader', async () => ((await isLeader(a.metrics)) ? a : (await isLeader(b.metrics)) ? b : undefined), 30_000);
    const follower = leader === a ? b : a;
    const cert = await waitFor('a key', () => fetchCert(follower.api), 30_000, follower.logs);
    assert.equal(await isLeader(follower.metrics), false);
    await cluster.client.request('POST', ssPath('ha'), { body: seal(cert, { name: 'one', namespace: 'ha', data: { v: '1' } }) });
    await waitFor('Secret one', async () => decoded(await getOrUndefined(cluster.client, secretPath('ha', 'one'))).v === '1', 30_000, leader.logs);
    const followerMetrics = await (await fetch(`${follower.metrics}/metrics`)).text();
    assert.match(followerMetrics, /^sealed_secrets_controller_unseal_requests_total 0$/m, 'the follower does not reconcile');

    leader.proc.kill('SIGKILL');
    await leader.exited;
    const killedAt = Date.now();
    await cluster.client.request('POST', ssPath('ha'), { body: seal(cert, { name: 'two', namespace: 'ha', data: { v: '2' } }) });
    await waitFor('the follower leads', () => isLeader(follower.metrics), 15_000, follower.logs);
    await waitFor('Secret two', async () => decoded(await getOrUndefined(cluster.client, secretPath('ha', 'two'))).v === '2', 15_000, follower.logs);
    assert.ok(Date.now() - killedAt < 15_000);
    const keys = await cluster.client.request<{ items: Json[] }>('GET', secretPath('kube-system'), { query: { labelSelector: KEY_SELECTOR } });
    assert.equal(keys.items.length, 1, 'only one key for the first start, despite two replicas');

    // A graceful stop releases the lease: a new replica takes over without waiting for expiry.
    const c = await startController(cluster, HA);
    try {
      assert.equal(await follower.stop('SIGTERM'), 0);
      await waitFor('the new replica leads', () => isLeader(c.metrics), 15_000, c.logs);
    } finally {
      await c.stop();
    }
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    await cluster.close();
  }
});

test('renewal period: one new key per period even with two replicas', async () => {
  const cluster = await startCluster();
  const flags = [...HA, '--key-renew-period=4s'];
  const [a, b] = await Promise.all([startController(cluster, flags), startController(cluster, flags)]);
  try {
    const count = async () => (await cluster.client.request<{ items: Json[] }>('GET', secretPath('kube-system'), { query: { labelSelector: KEY_SELECTOR } })).items.length;
    await waitFor('first key', async () => (await count()) >= 1, 30_000, a.logs);
    const first = await waitFor('cert', () => fetchCert(a.api));
    await waitFor('renewed key', async () => (await count()) >= 2, 30_000, a.logs);
    const names = (await cluster.client.request<{ items: Array<{ metadata: { name: string } }> }>('GET', secretPath('kube-system'), { query: { labelSelector: KEY_SELECTOR } })).items.map((s) => s.metadata.name);
    assert.equal(new Set(names).size, names.length);
    await waitFor('cert.pem moves to the new key', async () => (await fetchCert(b.api)).fingerprint !== first.fingerprint, 15_000);
    // Keys are a period apart: never two for one renewal.
    const items = (await cluster.client.request<{ items: Array<{ data: Record<string, string> }> }>('GET', secretPath('kube-system'), { query: { labelSelector: KEY_SELECTOR } })).items;
    const starts = items.map((s) => certNotBefore(Buffer.from(s.data['tls.crt'] as string, 'base64').toString())).map((d) => d.getTime()).sort((x, y) => x - y);
    for (let i = 1; i < starts.length; i++) assert.ok((starts[i] as number) - (starts[i - 1] as number) >= 3000, `keys ${i - 1} and ${i} are ${(starts[i] as number) - (starts[i - 1] as number)} ms apart`);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    await cluster.close();
  }
});
