// The ClusterExternalSecret controller under the deploy/ RBAC: the kustomize base applied with
// kubectl 1.32, the real controller running with the cloak-controller ServiceAccount's token (RBAC
// enforced), a ClusterExternalSecret fanned out, a namespace relabelled out, and the CES deleted. If
// the ClusterRole grants too little (watch CES/namespaces, create/update/delete ExternalSecrets,
// patch CES status), this fails and the controller logs say forbidden.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createKubeClient, loadKubeConfig, type Json } from '../../controller/kube/index.js';
import { installCloak } from '../support/deploy/install.js';
import { startKubeApiServer } from '../support/kube/index.js';
import { tempDir } from '../support/temp-dir.js';
import { decoded, getOrUndefined, secretPath, waitFor } from '../support/controller/harness.js';

const ESO = '/apis/external-secrets.io/v1';
const MERGE = { contentType: 'application/merge-patch+json' as const };

test('under the deploy/ ClusterRole a ClusterExternalSecret provisions, follows a relabel and is collected', async () => {
  const dir = tempDir('cloak-ces-rbac-');
  const server = await startKubeApiServer({ garbageCollector: true });
  try {
    const installed = await installCloak({ server, dir, controllerArgs: ['--key-size=2048', '--backoff-base=200ms', '--backoff-max=2s'] });
    const logs = () => installed.controller.logs().split('\n');
    try {
      const c = createKubeClient(loadKubeConfig(installed.adminKubeconfig), { qps: 0, burst: 1 });
      for (const name of ['rbac-one', 'rbac-two']) await c.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { fan: 'in' } } } });
      await c.request('POST', `${ESO}/clustersecretstores`, { body: {
        apiVersion: 'external-secrets.io/v1', kind: 'ClusterSecretStore', metadata: { name: 'fake' },
        spec: { provider: { fake: { data: [{ key: 'k', value: 'rbac-v4lue' }] } } },
      } });
      await c.request('POST', `${ESO}/clusterexternalsecrets`, { body: {
        apiVersion: 'external-secrets.io/v1', kind: 'ClusterExternalSecret', metadata: { name: 'fan' },
        spec: {
          namespaceSelectors: [{ matchLabels: { fan: 'in' } }],
          externalSecretSpec: { secretStoreRef: { name: 'fake', kind: 'ClusterSecretStore' }, data: [{ secretKey: 'v', remoteRef: { key: 'k' } }] },
        },
      } });
      const provisioned = async (want: string[]) => waitFor(`provisioned ${want.join(',')}`, async () => {
        const st = ((await getOrUndefined(c, `${ESO}/clusterexternalsecrets/fan`))?.status ?? {}) as { provisionedNamespaces?: string[] };
        return JSON.stringify(st.provisionedNamespaces ?? []) === JSON.stringify(want);
      }, 30_000, logs());
      await provisioned(['rbac-one', 'rbac-two']);
      for (const ns of ['rbac-one', 'rbac-two']) {
        const secret = await waitFor(`Secret in ${ns}`, () => getOrUndefined(c, secretPath(ns, 'fan')), 30_000, logs());
        assert.deepEqual(decoded(secret), { v: 'rbac-v4lue' });
      }
      await c.request('PATCH', '/api/v1/namespaces/rbac-two', { body: { metadata: { labels: { fan: 'out' } } }, ...MERGE });
      await provisioned(['rbac-one']);
      await waitFor('child in rbac-two deleted', async () => (await getOrUndefined(c, `${ESO}/namespaces/rbac-two/externalsecrets/fan`)) === undefined, 15_000, logs());
      await c.request('DELETE', `${ESO}/clusterexternalsecrets/fan`);
      await waitFor('child in rbac-one collected', async () => (await getOrUndefined(c, `${ESO}/namespaces/rbac-one/externalsecrets/fan`)) === undefined, 15_000, logs());
      const text = installed.controller.logs();
      assert.ok(!/forbidden/i.test(text), text);
      assert.ok(!text.includes('rbac-v4lue'));
      const ns = await c.request<Json>('GET', '/api/v1/namespaces/rbac-one');
      assert.equal((ns.metadata as { finalizers?: unknown }).finalizers, undefined);
    } finally {
      await installed.controller.stop();
    }
  } finally {
    await server.close();
  }
});
