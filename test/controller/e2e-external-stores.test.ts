// SecretStore / ClusterSecretStore status through the real cloak-controller against the test API
// server and the Vault test server: Ready=False InvalidProviderConfig naming the reason, Ready=True
// Valid with capabilities once fixed, dependents retried at once (well under their backoff),
// periodic re-validation that writes nothing, fake and kubernetes stores, and no SecretStore of
// another namespace. ClusterSecretStores: e2e-cluster-stores.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startVaultServer } from '../support/vault/index.js';
import { kubectl } from '../support/deploy/kubectl.js';
import type { Json, KubeClient } from '../../controller/kube/index.js';
import { ensureNamespace, getOrUndefined, secretPath, startCluster, startController, waitFor } from '../support/controller/harness.js';

const ESO = '/apis/external-secrets.io/v1';
const esPath = (ns: string, name = '') => `${ESO}/namespaces/${ns}/externalsecrets${name ? `/${name}` : ''}`;
const ssPath = (ns: string, name = '') => `${ESO}/namespaces/${ns}/secretstores${name ? `/${name}` : ''}`;
const cssPath = (name = '') => `${ESO}/clustersecretstores${name ? `/${name}` : ''}`;

interface Cond { type: string; status: string; reason: string; message: string; lastTransitionTime: string }
interface Obj { metadata: { resourceVersion: string; uid: string }; status?: { conditions?: Cond[]; capabilities?: string } }
const ready = (o: Json | undefined) => (o as Obj | undefined)?.status?.conditions?.find((c) => c.type === 'Ready');
const decoded = (s: Json | undefined) => Object.fromEntries(Object.entries((s?.data ?? {}) as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));

async function waitReady(c: KubeClient, path: string, want: (r: Cond) => boolean, what: string, logs: string[], ms = 30_000): Promise<Cond> {
  return waitFor(what, async () => { const r = ready(await getOrUndefined(c, path)); return r && want(r) ? r : undefined; }, ms, logs);
}

function es(ns: string, name: string, store: { name: string; kind: string }, key: string, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name, namespace: ns },
    spec: { refreshInterval: '1h', secretStoreRef: store, target: { name }, data: [{ secretKey: 'value', remoteRef: { key } }], ...extra },
  };
}

async function events(c: KubeClient, ns: string, name: string): Promise<Array<{ reason: string; type: string; message: string }>> {
  const list = await c.request<{ items: Array<{ reason: string; type: string; message: string; involvedObject: { name: string; kind: string } }> }>('GET', `/api/v1/namespaces/${ns}/events`);
  return list.items.filter((e) => e.involvedObject.name === name && /SecretStore$/.test(e.involvedObject.kind));
}

const metric = async (url: string) => (await fetch(`${url}/metrics`)).text();

test('a Vault store with a bad token is InvalidProviderConfig; fixed, it is Valid and its failing ExternalSecret syncs at once', async () => {
  const vault = await startVaultServer({ rootToken: 'root' });
  const cluster = await startCluster();
  const c = cluster.client;
  try {
    await vault.seed({ kv: { 'secret/app': { password: 'v4ult-pw' } } });
    const ns = 'team-a';
    await ensureNamespace(c, ns);
    await c.request('POST', secretPath(ns), { body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'vault-token', namespace: ns }, stringData: { token: 'not-a-valid-token' } } });
    await c.request('POST', ssPath(ns), { body: {
      apiVersion: 'external-secrets.io/v1', kind: 'SecretStore', metadata: { name: 'vault', namespace: ns },
      spec: { provider: { vault: { server: vault.url, path: 'secret', version: 'v2', auth: { tokenSecretRef: { name: 'vault-token', key: 'token' } } } } },
    } });
    await c.request('POST', esPath(ns), { body: es(ns, 'app', { name: 'vault', kind: 'SecretStore' }, 'app', { data: [{ secretKey: 'pw', remoteRef: { key: 'app', property: 'password' } }] }) });
    // A long backoff: the next retry of the store or the ExternalSecret after a failure is >= 54 s away.
    const ctl = await startController(cluster, ['--backoff-base=60s', '--backoff-max=5m']);
    try {
      const bad = await waitReady(c, ssPath(ns, 'vault'), (r) => r.status === 'False', 'store Ready=False', ctl.logs);
      assert.equal(bad.reason, 'InvalidProviderConfig');
      assert.match(bad.message, /^unable to validate store: spec\.provider\.vault\.auth\.tokenSecretRef: the Vault token is invalid, expired or revoked$/);
      assert.equal((await c.request<Obj>('GET', ssPath(ns, 'vault'))).status?.capabilities, undefined, 'no capabilities until validated (as ESO)');
      await waitReady(c, esPath(ns, 'app'), (r) => r.status === 'False', 'ES Ready=False', ctl.logs);
      await waitFor('failure metric', async () => (await metric(ctl.metrics)).includes('secretstore_status_condition{name="vault",namespace="team-a",condition="Ready",status="False"} 1'), 10_000, ctl.logs);

      // Fix the token in its Secret (the store itself is unchanged): the credential watch re-validates at once.
      const fixedAt = Date.now();
      await c.request('PATCH', secretPath(ns, 'vault-token'), { body: { stringData: { token: 'root' } }, contentType: 'application/merge-patch+json' });
      const good = await waitReady(c, ssPath(ns, 'vault'), (r) => r.status === 'True', 'store Ready=True', ctl.logs);
      assert.equal(good.reason, 'Valid');
      assert.equal(good.message, 'store validated');
      assert.notEqual(good.lastTransitionTime, undefined);
      const secret = await waitFor('dependent Secret', () => getOrUndefined(c, secretPath(ns, 'app')), 20_000, ctl.logs);
      const took = Date.now() - fixedAt;
      assert.ok(took < 15_000, `dependent synced ${took} ms after the fix (backoff is >= 54 s)`);
      assert.deepEqual(decoded(secret), { pw: 'v4ult-pw' });
      await waitReady(c, esPath(ns, 'app'), (r) => r.status === 'True', 'ES Ready=True', ctl.logs, 10_000);
      const fixed = await c.request<Obj>('GET', ssPath(ns, 'vault'));
      assert.equal(fixed.status?.capabilities, 'ReadWrite');

      const evs = await events(c, ns, 'vault');
      assert.ok(evs.some((e) => e.type === 'Warning' && e.reason === 'InvalidProviderConfig'), JSON.stringify(evs));
      assert.ok(evs.some((e) => e.type === 'Normal' && e.reason === 'Valid' && e.message === 'store validated'), JSON.stringify(evs));
      const m = await metric(ctl.metrics);
      assert.match(m, /secretstore_status_condition\{name="vault",namespace="team-a",condition="Ready",status="True"\} 1/);
      assert.match(m, /secretstore_status_condition\{name="vault",namespace="team-a",condition="Ready",status="False"\} 0/);

      // refreshInterval 1 (s): several more validations happen, none writes the store or records an event.
      await c.request('PATCH', ssPath(ns, 'vault'), { body: { spec: { refreshInterval: 1 } }, contentType: 'application/merge-patch+json' });
      const fixedRv = await waitFor('refreshInterval applied', async () => {
        const o = await c.request<Obj & { spec: { refreshInterval?: number } }>('GET', ssPath(ns, 'vault'));
        return o.spec.refreshInterval === 1 ? o.metadata.resourceVersion : undefined;
      });
      const lookups = () => vault.count('GET', /auth\/token\/lookup-self|sys\/health/);
      const before = lookups();
      cluster.server.hooks.clearRequests();
      await waitFor('periodic re-validation', () => lookups() >= before + 6, 15_000, ctl.logs);
      const writes = cluster.server.hooks.requests.filter((r) => r.method !== 'GET' && (r.path.includes('/secretstores') || r.path.includes('/events')));
      assert.deepEqual(writes.map((r) => `${r.method} ${r.path}`), [], 'a second pass writes nothing');
      assert.equal((await c.request<Obj>('GET', ssPath(ns, 'vault'))).metadata.resourceVersion, fixedRv);
      for (const line of ctl.logs) assert.doesNotMatch(line, /v4ult-pw|not-a-valid-token/);
    } finally {
      await ctl.stop();
    }
  } finally {
    await cluster.close();
    await vault.close();
  }
});

test('fake and kubernetes stores: Valid with capabilities, Unknown/Error results, RBAC-denied token, and no SecretStore of another namespace', async () => {
  const cluster = await startCluster();
  const c = cluster.client;
  try {
    for (const ns of ['team-b', 'other', 'remote']) await ensureNamespace(c, ns);
    // kubernetes provider: ServiceAccount tokens minted by the controller; only "reader" may get Secrets in "remote".
    for (const sa of ['reader', 'nobody']) await c.request('POST', '/api/v1/namespaces/team-b/serviceaccounts', { body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sa, namespace: 'team-b' } } });
    await c.request('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/remote/roles', { body: {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'read-secrets', namespace: 'remote' },
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }],
    } });
    await c.request('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/remote/rolebindings', { body: {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'read-secrets', namespace: 'remote' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'read-secrets' },
      subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace: 'team-b' }],
    } });
    for (const sa of ['reader', 'nobody']) {
      await c.request('POST', ssPath('team-b'), { body: {
        apiVersion: 'external-secrets.io/v1', kind: 'SecretStore', metadata: { name: `k8s-${sa}`, namespace: 'team-b' },
        spec: { provider: { kubernetes: { remoteNamespace: 'remote', server: { url: cluster.server.url }, auth: { serviceAccount: { name: sa } } } } },
      } });
    }
    const fake = (ns: string, name: string, validationResult?: number) => ({
      apiVersion: 'external-secrets.io/v1', kind: 'SecretStore', metadata: { name, namespace: ns },
      spec: { provider: { fake: { data: [{ key: '/k', value: 'fake-value' }], ...(validationResult !== undefined ? { validationResult } : {}) } } },
    });
    await c.request('POST', ssPath('team-b'), { body: fake('team-b', 'fake') });
    await c.request('POST', ssPath('team-b'), { body: fake('team-b', 'unknown', 1) });
    await c.request('POST', ssPath('team-b'), { body: fake('team-b', 'broken', 2) });
    // A SecretStore may not read credentials from another namespace.
    await c.request('POST', ssPath('team-b'), { body: {
      apiVersion: 'external-secrets.io/v1', kind: 'SecretStore', metadata: { name: 'cross', namespace: 'team-b' },
      spec: { provider: { vault: { server: 'http://127.0.0.1:1', auth: { tokenSecretRef: { name: 'tok', namespace: 'other', key: 'token' } } } } },
    } });
    const ctl = await startController(cluster, []);
    try {
      const ok = await waitReady(c, ssPath('team-b', 'fake'), () => true, 'fake store status', ctl.logs);
      assert.deepEqual([ok.status, ok.reason, ok.message], ['True', 'Valid', 'store validated']);
      assert.equal((await c.request<Obj>('GET', ssPath('team-b', 'fake'))).status?.capabilities, 'ReadWrite');
      const waited = await kubectl(['wait', '--for=condition=Ready', 'secretstore/fake', '-n', 'team-b', '--timeout=20s'], { kubeconfig: cluster.kubeconfig });
      assert.equal(waited.code, 0, waited.stderr);
      assert.match(waited.stdout, /secretstore\.external-secrets\.io\/fake condition met/);
      const table = await kubectl(['get', 'secretstore', 'fake', '-n', 'team-b'], { kubeconfig: cluster.kubeconfig });
      assert.equal(table.code, 0, table.stderr);
      assert.match(table.stdout, /^NAME\s+AGE\s+STATUS\s+CAPABILITIES\s+READY\s*\nfake\s+\S+\s+Valid\s+ReadWrite\s+True\s*$/);
      const unknown = await waitReady(c, ssPath('team-b', 'unknown'), () => true, 'unknown store status', ctl.logs);
      assert.deepEqual([unknown.status, unknown.reason, unknown.message], ['True', 'ValidationUnknown', 'could not determine validation status']);
      const broken = await waitReady(c, ssPath('team-b', 'broken'), () => true, 'broken store status', ctl.logs);
      assert.deepEqual([broken.status, broken.reason], ['False', 'InvalidProviderConfig']);
      assert.match(broken.message, /^unable to validate store: unable to validate$/);
      const cross = await waitReady(c, ssPath('team-b', 'cross'), () => true, 'cross store status', ctl.logs);
      assert.deepEqual([cross.status, cross.reason], ['False', 'InvalidProviderConfig']);
      assert.match(cross.message, /^unable to create client: spec\.provider\.vault\.auth\.tokenSecretRef points to namespace "other"/);

      const k8sOk = await waitReady(c, ssPath('team-b', 'k8s-reader'), () => true, 'kubernetes store status', ctl.logs);
      assert.deepEqual([k8sOk.status, k8sOk.reason, k8sOk.message], ['True', 'Valid', 'store validated']);
      const k8sDenied = await waitReady(c, ssPath('team-b', 'k8s-nobody'), () => true, 'denied kubernetes store status', ctl.logs);
      assert.deepEqual([k8sDenied.status, k8sDenied.reason], ['False', 'InvalidProviderConfig']);
      assert.equal(k8sDenied.message, 'unable to validate store: client is not allowed to get secrets in spec.provider.kubernetes.remoteNamespace');

      // A deleted store's gauges go away.
      assert.match(await metric(ctl.metrics), /secretstore_status_condition\{name="broken",namespace="team-b",condition="Ready",status="False"\} 1/);
      await c.request('DELETE', ssPath('team-b', 'broken'));
      await waitFor('metrics of a deleted store removed', async () => !(await metric(ctl.metrics)).includes('name="broken"'), 10_000, ctl.logs);

      // The same name in the ExternalSecret's own namespace does not exist: never the team-b store.
      await c.request('POST', esPath('other'), { body: es('other', 'steal', { name: 'fake', kind: 'SecretStore' }, '/k') });
      await c.request('POST', esPath('team-b'), { body: es('team-b', 'mine', { name: 'fake', kind: 'SecretStore' }, '/k') });
      await waitFor('own-namespace Secret', () => getOrUndefined(c, secretPath('team-b', 'mine')), 20_000, ctl.logs);
      const refused = await waitReady(c, esPath('other', 'steal'), (r) => r.status === 'False', 'cross-namespace ES refused', ctl.logs);
      assert.match(refused.message, /SecretStore other\/fake not found/);
      assert.equal(await getOrUndefined(c, secretPath('other', 'steal')), undefined);
    } finally {
      await ctl.stop();
    }
  } finally {
    await cluster.close();
  }
});
