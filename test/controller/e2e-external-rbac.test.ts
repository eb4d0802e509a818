// The external half under RBAC: the deploy/kustomize base (CRDs, ServiceAccount, the unsealer and
// external ClusterRoles, the controller-namespace Role) applied with kubectl 1.32 to the test API
// server, which enforces RBAC for ServiceAccount tokens, and the real cloak-controller running with
// the cloak-controller ServiceAccount's own token. A fake store, a Vault kubernetes-auth store (the
// controller requests a token for another ServiceAccount), a ClusterSecretStore with namespace
// conditions and a ClusterExternalSecret all sync; statuses are written, events recorded, a
// deletionPolicy=Delete Secret is cleaned up with its ExternalSecret; the controller is refused nothing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createKubeClient, loadKubeConfig, type Json, type KubeClient } from '../../controller/kube/index.js';
import { startKubeApiServer, type KubeTestServer } from '../support/kube/index.js';
import { installCloak, type Installed } from '../support/deploy/install.js';
import { startControllerProcess } from '../support/deploy/controller-process.js';
import { startVaultServer, type VaultTestServer } from '../support/vault/index.js';
import { tempDir } from '../support/temp-dir.js';
import {
  createEs, createServiceAccount, createStore, cssPath, esPath, eventsFor, getOrUndefined, readyOf, secretPath, storePath, textOf, waitFor,
  type EsObject, type SecretJson,
} from '../support/controller/external-harness.js';

const dir = tempDir('cloak-ext-rbac-');
const SA_USER = 'system:serviceaccount:kube-system:cloak-controller';
let server: KubeTestServer;
let vault: VaultTestServer;
let installed: Installed;
let c: KubeClient;

before(async () => {
  server = await startKubeApiServer();
  vault = await startVaultServer({ rootToken: 'root', kubeApi: { url: server.url, token: server.adminToken } });
  await vault.seed({
    policies: { read: 'path "secret/*" { capabilities = ["read", "list"] }' },
    kv: { 'secret/app': { password: 'vault-rbac-pw' } },
    auth: { kubernetes: { type: 'kubernetes', roles: { reader: { bound_service_account_names: ['vault-reader'], bound_service_account_namespaces: ['rb-vault'], token_policies: ['read'], token_ttl: '1h' } } } },
  });
  installed = await installCloak({ server, dir, controllerArgs: ['--key-size=2048', '--backoff-base=200ms', '--backoff-max=2s', '--concurrent=2'] });
  c = createKubeClient(loadKubeConfig(installed.adminKubeconfig), { qps: 0, burst: 1 });
  for (const [name, labels] of [['rb-app', {}], ['rb-vault', {}], ['rb-team-a', { team: 'a' }], ['rb-team-b', { team: 'b' }]] as const) {
    await c.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } } });
  }
});
after(async () => {
  await installed?.controller.stop();
  await vault?.close();
  await server?.close();
});

const logs = () => installed.controller.logs().split('\n');

function waitReady(ns: string, name: string, status: 'True' | 'False' = 'True'): Promise<EsObject> {
  return waitFor(`${ns}/${name} Ready=${status}`, async () => {
    const es = (await getOrUndefined(c, esPath(ns, name))) as EsObject | undefined;
    return readyOf(es)?.status === status ? es : undefined;
  }, 30_000, logs());
}

function waitSecret(ns: string, name: string, pred: (s: SecretJson) => boolean = () => true): Promise<SecretJson> {
  return waitFor(`Secret ${ns}/${name}`, async () => {
    const s = (await getOrUndefined(c, secretPath(ns, name))) as SecretJson | undefined;
    return s && pred(s) ? s : undefined;
  }, 30_000, logs());
}

function storeReady(path: string): Promise<Json> {
  return waitFor(`${path} Ready=True`, async () => {
    const s = await getOrUndefined(c, path);
    const conds = ((s?.status ?? {}) as { conditions?: Array<{ type: string; status: string }> }).conditions ?? [];
    return conds.some((x) => x.type === 'Ready' && x.status === 'True') ? s : undefined;
  }, 30_000, logs());
}

test('fake store: Secret, status and events; deletionPolicy=Delete cleans up through the finalizer', async () => {
  await createStore(c, 'rb-app', 'fake', { fake: { data: [{ key: '/db', value: 'fake-rbac-pw' }] } });
  await createEs(c, 'rb-app', 'db', {
    refreshInterval: '1h', secretStoreRef: { name: 'fake', kind: 'SecretStore' },
    target: { deletionPolicy: 'Delete' }, data: [{ secretKey: 'pw', remoteRef: { key: '/db' } }],
  });
  const es = await waitReady('rb-app', 'db');
  assert.equal(readyOf(es)?.reason, 'SecretSynced');
  assert.ok(es.status?.refreshTime, 'status.refreshTime written');
  assert.deepEqual(textOf(await waitSecret('rb-app', 'db')), { pw: 'fake-rbac-pw' });
  await storeReady(storePath('rb-app', 'fake'));
  const events = await waitFor('a Created event', async () => ((await eventsFor(c, 'rb-app', 'db')).some((e) => e.reason === 'Created') ? true : undefined), 15_000, logs());
  assert.equal(events, true);

  await c.request('DELETE', esPath('rb-app', 'db'));
  await waitFor('Secret deleted with its ExternalSecret', async () => (await getOrUndefined(c, secretPath('rb-app', 'db'))) === undefined, 30_000, logs());
  await waitFor('ExternalSecret gone (finalizer removed)', async () => (await getOrUndefined(c, esPath('rb-app', 'db'))) === undefined, 30_000, logs());
});

test('Vault kubernetes auth: the controller requests a ServiceAccount token (TokenRequest) and logs in', async () => {
  await createServiceAccount(c, 'rb-vault', 'vault-reader');
  await createStore(c, 'rb-vault', 'vault', { vault: { server: vault.url, path: 'secret', version: 'v2', auth: { kubernetes: { mountPath: 'kubernetes', role: 'reader', serviceAccountRef: { name: 'vault-reader' } } } } });
  await createEs(c, 'rb-vault', 'app', { refreshInterval: '1h', secretStoreRef: { name: 'vault', kind: 'SecretStore' }, data: [{ secretKey: 'password', remoteRef: { key: 'app', property: 'password' } }] });
  await waitReady('rb-vault', 'app');
  assert.deepEqual(textOf(await waitSecret('rb-vault', 'app')), { password: 'vault-rbac-pw' });
  await storeReady(storePath('rb-vault', 'vault'));
  assert.ok(vault.count('POST', /^auth\/kubernetes\/login$/) >= 1, 'a kubernetes login');
  const tokenRequests = server.hooks.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/namespaces/rb-vault/serviceaccounts/vault-reader/token');
  assert.ok(tokenRequests.some((r) => r.user === SA_USER && (r.status ?? 0) < 300), 'TokenRequest made under the controller ServiceAccount');
});

test('ClusterSecretStore conditions (namespaces read) and a ClusterExternalSecret fan-out', async () => {
  await c.request('POST', cssPath(), { body: {
    apiVersion: 'external-secrets.io/v1', kind: 'ClusterSecretStore', metadata: { name: 'shared' },
    spec: { conditions: [{ namespaceSelector: { matchLabels: { team: 'a' } } }], provider: { fake: { data: [{ key: '/shared', value: 'shared-value' }] } } },
  } });
  await storeReady(cssPath('shared'));
  const spec = { refreshInterval: '1h', secretStoreRef: { name: 'shared', kind: 'ClusterSecretStore' }, data: [{ secretKey: 'v', remoteRef: { key: '/shared' } }] };
  await createEs(c, 'rb-team-a', 'allowed', spec);
  await createEs(c, 'rb-team-b', 'refused', spec);
  await waitReady('rb-team-a', 'allowed');
  assert.deepEqual(textOf(await waitSecret('rb-team-a', 'allowed')), { v: 'shared-value' });
  const refused = await waitReady('rb-team-b', 'refused', 'False');
  assert.match(readyOf(refused)?.message ?? '', /namespace|condition/i);
  assert.equal(await getOrUndefined(c, secretPath('rb-team-b', 'refused')), undefined);

  await c.request('POST', '/apis/external-secrets.io/v1/clusterexternalsecrets', { body: {
    apiVersion: 'external-secrets.io/v1', kind: 'ClusterExternalSecret', metadata: { name: 'fan' },
    spec: { namespaceSelectors: [{ matchLabels: { team: 'a' } }], externalSecretSpec: spec },
  } });
  await waitReady('rb-team-a', 'fan');
  assert.deepEqual(textOf(await waitSecret('rb-team-a', 'fan')), { v: 'shared-value' });
  await waitFor('ClusterExternalSecret status', async () => {
    const ces = await getOrUndefined(c, '/apis/external-secrets.io/v1/clusterexternalsecrets/fan');
    const st = (ces?.status ?? {}) as { provisionedNamespaces?: string[] };
    return JSON.stringify(st.provisionedNamespaces ?? []) === '["rb-team-a"]' ? true : undefined;
  }, 30_000, logs());
});

test('the controller ServiceAccount was refused nothing (and RBAC is enforced for its token)', async () => {
  const seen = server.hooks.requests.length;
  const asController = createKubeClient(loadKubeConfig(installed.controllerKubeconfig), { qps: 0, burst: 1 });
  await assert.rejects(asController.request('DELETE', storePath('rb-app', 'fake')), (e: { status?: number }) => e.status === 403, 'stores are read-only to the controller');
  await assert.rejects(asController.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'not-allowed' } } }), (e: { status?: number }) => e.status === 403);
  const mine = server.hooks.requests.slice(0, seen).filter((r) => r.user === SA_USER);
  assert.ok(mine.length > 0, 'requests were made under the ServiceAccount token');
  const refused = mine.filter((r) => r.status === 403).map((r) => `${r.method} ${r.path}`);
  assert.deepEqual([...new Set(refused)], []);
});

test('the external half alone (--enable-sealed-secrets=false) needs no SealedSecret permissions', async () => {
  await installed.controller.stop();
  // Only cloak-controller-external and the leader-election Role remain bound.
  await c.request('DELETE', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/cloak-controller-unsealer');
  const seen = server.hooks.requests.length;
  const alone = await startControllerProcess({ kubeconfig: installed.controllerKubeconfig, args: ['--enable-sealed-secrets=false', '--backoff-base=200ms', '--backoff-max=2s'] });
  try {
    await waitFor('/readyz 200', async () => ((await fetch(`${alone.apiUrl}/readyz`)).status === 200 ? true : undefined), 30_000, alone.logs().split('\n'));
    await createEs(c, 'rb-app', 'alone', { refreshInterval: '1h', secretStoreRef: { name: 'fake', kind: 'SecretStore' }, data: [{ secretKey: 'pw', remoteRef: { key: '/db' } }] });
    await waitFor('rb-app/alone synced', async () => {
      const s = (await getOrUndefined(c, secretPath('rb-app', 'alone'))) as SecretJson | undefined;
      const es = (await getOrUndefined(c, esPath('rb-app', 'alone'))) as EsObject | undefined;
      return s && textOf(s).pw === 'fake-rbac-pw' && readyOf(es)?.status === 'True' ? true : undefined;
    }, 30_000, alone.logs().split('\n'));
    const refused = server.hooks.requests.slice(seen).filter((r) => r.user === SA_USER && r.status === 403).map((r) => `${r.method} ${r.path}`);
    assert.deepEqual([...new Set(refused)], []);
  } finally {
    await alone.stop();
  }
});
