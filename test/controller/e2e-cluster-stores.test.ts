// ClusterSecretStores through the real cloak-controller against the test API server:
// spec.conditions (namespaces, namespaceSelector) refusing one namespace with ESO's message plus the
// fix and allowing others, the clustersecretstore_status_condition gauge, events in "default", and
// --enable-cluster-stores=false (not validated, an ExternalSecret naming one says why).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Json, KubeClient } from '../../controller/kube/index.js';
import { ensureNamespace, getOrUndefined, secretPath, startCluster, startController, waitFor } from '../support/controller/harness.js';

const ESO = '/apis/external-secrets.io/v1';
const esPath = (ns: string, name = '') => `${ESO}/namespaces/${ns}/externalsecrets${name ? `/${name}` : ''}`;
const cssPath = (name = '') => `${ESO}/clustersecretstores${name ? `/${name}` : ''}`;

interface Cond { type: string; status: string; reason: string; message: string; lastTransitionTime: string }
interface Obj { status?: { conditions?: Cond[] } }
const ready = (o: Json | undefined) => (o as Obj | undefined)?.status?.conditions?.find((c) => c.type === 'Ready');
const decoded = (s: Json | undefined) => Object.fromEntries(Object.entries((s?.data ?? {}) as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));

async function waitReady(c: KubeClient, path: string, want: (r: Cond) => boolean, what: string, logs: string[], ms = 30_000): Promise<Cond> {
  return waitFor(what, async () => { const r = ready(await getOrUndefined(c, path)); return r && want(r) ? r : undefined; }, ms, logs);
}

function es(ns: string, name: string, store: { name: string; kind: string }, key: string) {
  return {
    apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name, namespace: ns },
    spec: { refreshInterval: '1h', secretStoreRef: store, target: { name }, data: [{ secretKey: 'value', remoteRef: { key } }] },
  };
}

async function events(c: KubeClient, ns: string, name: string): Promise<Array<{ reason: string; type: string; message: string }>> {
  const list = await c.request<{ items: Array<{ reason: string; type: string; message: string; involvedObject: { name: string; kind: string } }> }>('GET', `/api/v1/namespaces/${ns}/events`);
  return list.items.filter((e) => e.involvedObject.name === name && /SecretStore$/.test(e.involvedObject.kind));
}

const metric = async (url: string) => (await fetch(`${url}/metrics`)).text();

test('ClusterSecretStore conditions refuse one namespace and allow others; --enable-cluster-stores=false refuses all', async () => {
  const cluster = await startCluster();
  const c = cluster.client;
  try {
    for (const ns of ['allowed', 'denied']) await ensureNamespace(c, ns);
    await ensureNamespace(c, 'labelled');
    await c.request('PATCH', '/api/v1/namespaces/labelled', { body: { metadata: { labels: { team: 'blue' } } }, contentType: 'application/merge-patch+json' });
    await c.request('POST', cssPath(), { body: {
      apiVersion: 'external-secrets.io/v1', kind: 'ClusterSecretStore', metadata: { name: 'shared' },
      spec: {
        conditions: [{ namespaces: ['allowed'] }, { namespaceSelector: { matchLabels: { team: 'blue' } } }],
        provider: { fake: { data: [{ key: '/shared', value: 'shared-value' }] } },
      },
    } });
    for (const ns of ['allowed', 'denied', 'labelled']) {
      await c.request('POST', esPath(ns), { body: es(ns, 'from-css', { name: 'shared', kind: 'ClusterSecretStore' }, '/shared') });
    }

    // Cluster stores disabled: not validated, and an ExternalSecret naming one says why.
    const off = await startController(cluster, ['--enable-cluster-stores=false']);
    try {
      const r = await waitReady(c, esPath('allowed', 'from-css'), (x) => x.status === 'False', 'ES refused (cluster stores off)', off.logs);
      assert.match(r.message, /ClusterSecretStore "shared" cannot be used: this controller runs with --enable-cluster-stores=false/);
      assert.equal((await c.request<Obj>('GET', cssPath('shared'))).status, undefined, 'a disabled ClusterSecretStore is not validated');
      assert.ok(!off.logs.some((l) => l.includes('clustersecretstores') && /error|fail/i.test(l)), 'no watch on clustersecretstores');
    } finally {
      await off.stop();
    }

    const ctl = await startController(cluster, []);
    try {
      const cond = await waitReady(c, cssPath('shared'), () => true, 'CSS status', ctl.logs);
      assert.deepEqual([cond.status, cond.reason, cond.message], ['True', 'Valid', 'store validated']);
      for (const ns of ['allowed', 'labelled']) {
        const s = await waitFor(`Secret in ${ns}`, () => getOrUndefined(c, secretPath(ns, 'from-css')), 20_000, ctl.logs);
        assert.deepEqual(decoded(s), { value: 'shared-value' });
      }
      const denied = await waitReady(c, esPath('denied', 'from-css'), (x) => x.status === 'False' && x.message.includes('not allowed'), 'ES refused in denied', ctl.logs);
      assert.match(denied.message, /using cluster store "shared" is not allowed from namespace "denied": denied by spec\.condition; to allow it, add "denied" to spec\.conditions\[\]\.namespaces/);
      assert.equal(await getOrUndefined(c, secretPath('denied', 'from-css')), undefined);
      const m = await metric(ctl.metrics);
      assert.match(m, /clustersecretstore_status_condition\{name="shared",namespace="",condition="Ready",status="True"\} 1/);
      const evs = await events(c, 'default', 'shared');
      assert.ok(evs.some((e) => e.reason === 'Valid'), 'ClusterSecretStore events are recorded in default');
    } finally {
      await ctl.stop();
    }
  } finally {
    await cluster.close();
  }
});
