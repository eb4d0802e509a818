// ClusterExternalSecrets with two controller replicas: only the leader reconciles them; after the
// leader is killed the other takes over, its first pass rewrites nothing that is already right (the
// children and the status keep their resourceVersions), and it then follows namespace changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Json, KubeClient } from '../../controller/kube/index.js';
import { getOrUndefined, startCluster, startController, waitFor, type ControllerProc } from '../support/controller/harness.js';

const HA = ['--leader-elect=true', '--leader-election-lease-duration=4s', '--leader-election-renew-deadline=3s', '--leader-election-retry-period=500ms'];
const ESO = '/apis/external-secrets.io/v1';
const esPath = (ns: string, name: string) => `${ESO}/namespaces/${ns}/externalsecrets/${name}`;
const cesPath = (name = '') => `${ESO}/clusterexternalsecrets${name ? `/${name}` : ''}`;
const rv = (o: Json | undefined) => (o?.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
/** Generation (spec changes) plus the metadata the CES controller owns. */
const gen = (o: Json | undefined) => {
  const m = (o?.metadata ?? {}) as { generation?: number; labels?: unknown; annotations?: unknown; ownerReferences?: unknown };
  return JSON.stringify([m.generation, m.labels, m.annotations, m.ownerReferences]);
};

async function isLeader(metricsUrl: string): Promise<boolean> {
  try { return /^cloak_leader 1$/m.test(await (await fetch(`${metricsUrl}/metrics`)).text()); } catch { return false; }
}

async function provisioned(c: KubeClient, ctl: ControllerProc, want: string[]): Promise<Json> {
  return waitFor(`provisioned ${want.join(',')}`, async () => {
    const o = await getOrUndefined(c, cesPath('fan'));
    return JSON.stringify((o?.status as { provisionedNamespaces?: string[] } | undefined)?.provisionedNamespaces ?? []) === JSON.stringify(want) ? o : undefined;
  }, 30_000, ctl.logs);
}

test('only the leader reconciles ClusterExternalSecrets; the next leader takes over without rewriting', async () => {
  const cluster = await startCluster({ garbageCollector: true });
  const c = cluster.client;
  const [a, b] = await Promise.all([startController(cluster, HA), startController(cluster, HA)]);
  try {
    for (const n of ['ha-one', 'ha-two']) await c.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: n, labels: { fan: 'in' } } } });
    await c.request('POST', cesPath(), { body: {
      apiVersion: 'external-secrets.io/v1', kind: 'ClusterExternalSecret', metadata: { name: 'fan' },
      spec: {
        namespaceSelectors: [{ matchLabels: { fan: 'in' } }],
        // No store: the children stay unsynced, which is beside the point here.
        externalSecretSpec: { secretStoreRef: { name: 'absent', kind: 'ClusterSecretStore' }, data: [{ secretKey: 'v', remoteRef: { key: 'k' } }] },
      },
    } });
    const leader = await waitFor('a leader', async () => ((await isLeader(a.metrics)) ? a : (await isLeader(b.metrics)) ? b : undefined), 30_000);
    const follower = leader === a ? b : a;
    const ces = await provisioned(c, leader, ['ha-one', 'ha-two']);
    const children = await Promise.all(['ha-one', 'ha-two'].map((ns) => c.request<Json>('GET', esPath(ns, 'fan'))));
    const followerMetrics = await (await fetch(`${follower.metrics}/metrics`)).text();
    assert.doesNotMatch(followerMetrics, /^clusterexternalsecret_reconcile_duration\{/m, 'the follower does not reconcile');
    assert.ok(!follower.logs.some((l) => l.includes('"ExternalSecret created"')), 'the follower writes no child');

    leader.proc.kill('SIGKILL');
    await leader.exited;
    await waitFor('the follower leads', () => isLeader(follower.metrics), 15_000, follower.logs);
    await waitFor('the new leader reconciled', async () => /^clusterexternalsecret_reconcile_duration\{name="fan"/m.test(await (await fetch(`${follower.metrics}/metrics`)).text()), 15_000, follower.logs);
    assert.equal(rv(await c.request<Json>('GET', cesPath('fan'))), rv(ces), 'status not rewritten');
    // The children's status is the ExternalSecret controller's to write; their spec and metadata are ours.
    for (const [i, ns] of ['ha-one', 'ha-two'].entries()) assert.equal(gen(await c.request<Json>('GET', esPath(ns, 'fan'))), gen(children[i]), `child in ${ns} not rewritten`);
    assert.ok(!follower.logs.some((l) => /"ExternalSecret (created|updated|deleted)"/.test(l)), 'the new leader writes no child');

    await c.request('PATCH', '/api/v1/namespaces/ha-two', { body: { metadata: { labels: { fan: 'out' } } }, contentType: 'application/merge-patch+json' });
    await c.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ha-three', labels: { fan: 'in' } } } });
    await provisioned(c, follower, ['ha-one', 'ha-three']);
    await waitFor('child in ha-two deleted', async () => (await getOrUndefined(c, esPath('ha-two', 'fan'))) === undefined, 15_000, follower.logs);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    await cluster.close();
  }
});
