// A leader whose Lease renewal hangs steps down when the renew deadline passes, without waiting for the
// pending request (otherwise two replicas lead at once once the other one takes the expired Lease).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fetchCert, startCluster, startController, waitFor } from '../support/controller/harness.js';

const HA = ['--leader-elect=true', '--leader-election-lease-duration=4s', '--leader-election-renew-deadline=2s', '--leader-election-retry-period=300ms', '--kubeclient-timeout=60s'];

async function leaderGauge(metricsUrl: string): Promise<string | undefined> {
  try {
    return /^cloak_leader (\d)$/m.exec(await (await fetch(`${metricsUrl}/metrics`)).text())?.[1];
  } catch { return undefined; }
}

test('a leader whose renew PUT hangs stops leading within the renew deadline', async () => {
  const cluster = await startCluster();
  const ctl = await startController(cluster, HA);
  try {
    await waitFor('leading', async () => (await leaderGauge(ctl.metrics)) === '1', 30_000, ctl.logs);
    await waitFor('a key', () => fetchCert(ctl.api), 30_000, ctl.logs);
    // Every Lease PUT from now on is answered only after 8 s (far beyond the 2 s renew deadline).
    cluster.server.hooks.inject({ method: 'PUT', path: /\/leases\//, delayMs: 8_000, count: 1_000 });
    const t0 = Date.now();
    await waitFor('stepped down', async () => (await leaderGauge(ctl.metrics)) === '0', 6_000, ctl.logs);
    const took = Date.now() - t0;
    // The hung PUT starts at most one retry period after the injection; the deadline counts from the last renewal.
    assert.ok(took < 2_000 + 300 + 1_500, `stepped down after ${took} ms`);
    assert.ok(ctl.logs.some((l) => l.includes('lost leadership')), 'says why it stopped leading');
  } finally {
    cluster.server.hooks.clearInjections();
    await ctl.stop();
    await cluster.close();
  }
});

const KEY_SELECTOR = 'sealedsecrets.bitnami.com/sealed-secrets-key=active';

test('SIGUSR1 on a follower makes no key; on the leader it makes one', async () => {
  const cluster = await startCluster();
  const flags = ['--leader-elect=true', '--leader-election-lease-duration=4s', '--leader-election-renew-deadline=3s', '--leader-election-retry-period=300ms'];
  const [a, b] = await Promise.all([startController(cluster, flags), startController(cluster, flags)]);
  const keyCount = async () => (await cluster.client.request<{ items: unknown[] }>('GET', '/api/v1/namespaces/kube-system/secrets', { query: { labelSelector: KEY_SELECTOR } })).items.length;
  try {
    const leader = await waitFor('a leader', async () => ((await leaderGauge(a.metrics)) === '1' ? a : (await leaderGauge(b.metrics)) === '1' ? b : undefined), 30_000);
    const follower = leader === a ? b : a;
    await waitFor('a key', () => fetchCert(follower.api), 30_000, follower.logs);
    assert.equal(await keyCount(), 1);
    follower.proc.kill('SIGUSR1');
    await waitFor('the follower refuses', () => follower.logs.some((l) => l.includes('SIGUSR1 ignored')), 5_000, follower.logs);
    await new Promise((r) => setTimeout(r, 1_000));
    assert.equal(await keyCount(), 1, 'a follower generated a key');
    leader.proc.kill('SIGUSR1');
    await waitFor('the leader makes a key', async () => (await keyCount()) === 2, 10_000, leader.logs);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    await cluster.close();
  }
});
