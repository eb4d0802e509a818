// Stores under the deploy/ RBAC: the kustomize base applied with kubectl 1.32, the real controller
// running with the cloak-controller ServiceAccount's token (RBAC enforced). A Vault SecretStore whose
// token Secret does not exist yet is InvalidProviderConfig; creating the Secret (seen by the
// field-selected credential watch) makes it Valid and its ExternalSecret syncs; a ClusterSecretStore
// is validated and its events land in "default". Anything forbidden shows in the controller logs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createKubeClient, loadKubeConfig, type Json } from '../../controller/kube/index.js';
import { installCloak } from '../support/deploy/install.js';
import { startKubeApiServer } from '../support/kube/index.js';
import { startVaultServer } from '../support/vault/index.js';
import { tempDir } from '../support/temp-dir.js';
import { decoded, getOrUndefined, secretPath, waitFor } from '../support/controller/harness.js';

const ESO = '/apis/external-secrets.io/v1';
type Cond = { type: string; status: string; reason: string; message: string };
const ready = (o: Json | undefined) => ((o?.status ?? {}) as { conditions?: Cond[] }).conditions?.find((c) => c.type === 'Ready');

test('under the deploy/ ClusterRole stores are validated, credential fixes are seen, and dependents sync', async () => {
  const dir = tempDir('cloak-stores-rbac-');
  const vault = await startVaultServer({ rootToken: 'root' });
  const server = await startKubeApiServer({});
  try {
    await vault.seed({ kv: { 'secret/app': { password: 'rbac-pw' } } });
    const installed = await installCloak({ server, dir, controllerArgs: ['--key-size=2048', '--backoff-base=30s', '--backoff-max=5m'] });
    const logs = () => installed.controller.logs().split('\n');
    try {
      const c = createKubeClient(loadKubeConfig(installed.adminKubeconfig), { qps: 0, burst: 1 });
      const ns = 'rbac-stores';
      await c.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } });
      await c.request('POST', `${ESO}/namespaces/${ns}/secretstores`, { body: {
        apiVersion: 'external-secrets.io/v1', kind: 'SecretStore', metadata: { name: 'vault', namespace: ns },
        spec: { provider: { vault: { server: vault.url, path: 'secret', version: 'v2', auth: { tokenSecretRef: { name: 'vault-token', key: 'token' } } } } },
      } });
      // kubernetes provider with a ServiceAccount: the controller reads the account and mints its token.
      await c.request('POST', `/api/v1/namespaces/${ns}/serviceaccounts`, { body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'reader', namespace: ns } } });
      await c.request('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`, { body: {
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'read-secrets', namespace: ns },
        rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }],
      } });
      await c.request('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`, { body: {
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'read-secrets', namespace: ns },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'read-secrets' },
        subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace: ns }],
      } });
      await c.request('POST', `${ESO}/namespaces/${ns}/secretstores`, { body: {
        apiVersion: 'external-secrets.io/v1', kind: 'SecretStore', metadata: { name: 'k8s', namespace: ns },
        spec: { provider: { kubernetes: { remoteNamespace: ns, server: { url: server.url }, auth: { serviceAccount: { name: 'reader' } } } } },
      } });
      await c.request('POST', `${ESO}/clustersecretstores`, { body: {
        apiVersion: 'external-secrets.io/v1', kind: 'ClusterSecretStore', metadata: { name: 'fake' },
        spec: { provider: { fake: { data: [{ key: 'k', value: 'v' }] } } },
      } });
      await c.request('POST', `${ESO}/namespaces/${ns}/externalsecrets`, { body: {
        apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'app', namespace: ns },
        spec: { refreshInterval: '1h', secretStoreRef: { name: 'vault', kind: 'SecretStore' }, data: [{ secretKey: 'pw', remoteRef: { key: 'app', property: 'password' } }] },
      } });
      const bad = await waitFor('store Ready=False', async () => { const r = ready(await getOrUndefined(c, `${ESO}/namespaces/${ns}/secretstores/vault`)); return r?.status === 'False' ? r : undefined; }, 30_000, logs());
      assert.equal(bad.reason, 'InvalidProviderConfig');
      assert.equal(bad.message, `unable to create client: Secret ${ns}/vault-token (from spec.provider.vault.auth.tokenSecretRef) not found`);
      await waitFor('ES Ready=False', async () => ready(await getOrUndefined(c, `${ESO}/namespaces/${ns}/externalsecrets/app`))?.status === 'False', 30_000, logs());

      const fixedAt = Date.now();
      await c.request('POST', secretPath(ns), { body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'vault-token', namespace: ns }, stringData: { token: 'root' } } });
      await waitFor('store Ready=True', async () => ready(await getOrUndefined(c, `${ESO}/namespaces/${ns}/secretstores/vault`))?.reason === 'Valid', 20_000, logs());
      const secret = await waitFor('dependent Secret', () => getOrUndefined(c, secretPath(ns, 'app')), 20_000, logs());
      assert.deepEqual(decoded(secret), { pw: 'rbac-pw' });
      assert.ok(Date.now() - fixedAt < 15_000, 'synced well before the 27 s+ backoff');

      const css = await waitFor('CSS Ready', async () => ready(await getOrUndefined(c, `${ESO}/clustersecretstores/fake`)), 30_000, logs());
      assert.deepEqual([css.status, css.reason], ['True', 'Valid']);
      await waitFor('CSS event in default', async () => {
        const evs = await c.request<{ items: Array<{ reason: string; involvedObject: { kind: string; name: string } }> }>('GET', '/api/v1/namespaces/default/events');
        return evs.items.some((e) => e.involvedObject.kind === 'ClusterSecretStore' && e.involvedObject.name === 'fake' && e.reason === 'Valid');
      }, 15_000, logs());
      const k8s = await waitFor('kubernetes store status', async () => ready(await getOrUndefined(c, `${ESO}/namespaces/${ns}/secretstores/k8s`)), 30_000, logs());
      assert.deepEqual([k8s.status, k8s.reason, k8s.message], ['True', 'Valid', 'store validated']);
      const text = installed.controller.logs();
      assert.ok(!/forbidden/i.test(text), text);
      assert.ok(!text.includes('rbac-pw'));
    } finally {
      await installed.controller.stop();
    }
  } finally {
    await server.close();
    await vault.close();
  }
});
