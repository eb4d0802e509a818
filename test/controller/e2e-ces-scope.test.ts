// ClusterExternalSecrets with a restricted watch (--all-namespaces=false --additional-namespaces):
// a selected namespace outside it is reported in failedNamespaces and never written to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Json, KubeClient } from '../../controller/kube/index.js';
import { getOrUndefined, secretPath, startCluster, startController, waitFor, type ControllerProc } from '../support/controller/harness.js';

const ESO = '/apis/external-secrets.io/v1';
const esPath = (ns: string, name = '') => `${ESO}/namespaces/${ns}/externalsecrets${name ? `/${name}` : ''}`;
const cesPath = (name = '') => `${ESO}/clusterexternalsecrets${name ? `/${name}` : ''}`;
const statusOf = (o: Json | undefined) => (o?.status ?? {}) as { provisionedNamespaces?: string[]; failedNamespaces?: unknown };
const childSpec = { secretStoreRef: { name: 'fake-css', kind: 'ClusterSecretStore' }, target: { name: 'shared-token' }, data: [{ secretKey: 'token', remoteRef: { key: '/shared/token' } }] };

async function namespace(c: KubeClient, name: string, labels: Record<string, string> = {}): Promise<void> {
  await c.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } } });
}

async function provisioned(c: KubeClient, ctl: ControllerProc, name: string, want: string[]): Promise<Json> {
  return waitFor(`${name} provisioned in ${want.join(',')}`, async () => {
    const o = await getOrUndefined(c, cesPath(name));
    return JSON.stringify(statusOf(o).provisionedNamespaces ?? []) === JSON.stringify(want) ? o : undefined;
  }, 30_000, ctl.logs);
}

test('with a restricted watch, selected namespaces outside it are reported, not written', async () => {
  const cluster = await startCluster({ garbageCollector: true });
  const c = cluster.client;
  try {
    for (const n of ['scope-in', 'scope-out']) await namespace(c, n, { fan: 'yes' });
    await c.request('POST', `${ESO}/clustersecretstores`, { body: {
      apiVersion: 'external-secrets.io/v1', kind: 'ClusterSecretStore', metadata: { name: 'fake-css' },
      spec: { provider: { fake: { data: [{ key: '/shared/token', value: 't0ken-v4lue' }] } } },
    } });
    const ctl = await startController(cluster, ['--enable-external-secrets', '--all-namespaces=false', '--additional-namespaces=scope-in']);
    try {
      await c.request('POST', cesPath(), { body: {
        apiVersion: 'external-secrets.io/v1', kind: 'ClusterExternalSecret', metadata: { name: 'scoped' },
        spec: { namespaceSelectors: [{ matchLabels: { fan: 'yes' } }], externalSecretSpec: childSpec },
      } });
      const ces = await provisioned(c, ctl, 'scoped', ['scope-in']);
      assert.deepEqual(statusOf(ces).failedNamespaces, [{ namespace: 'scope-out', reason: 'namespace is not watched by this controller (see --all-namespaces and --additional-namespaces)' }]);
      await waitFor('Secret in scope-in', () => getOrUndefined(c, secretPath('scope-in', 'shared-token')), 30_000, ctl.logs);
      assert.equal(await getOrUndefined(c, esPath('scope-out', 'scoped')), undefined);
    } finally {
      await ctl.stop();
    }
  } finally {
    await cluster.close();
  }
});
