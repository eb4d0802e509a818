// ExternalSecrets in the real cloak-controller against the test API server and the fake provider:
// the Secret appears (data, managed label, data-hash, ownerReference), status is Ready=True
// SecretSynced, a deleted Secret is recreated at once, a second pass writes nothing, and a broken
// store gives Ready=False naming the entry while the existing Secret is kept intact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKubeApiServer } from '../support/kube/index.js';
import { startVaultServer } from '../support/vault/index.js';
import { dataHash } from '../../src/external/index.js';
import type { Json, KubeClient } from '../../controller/kube/index.js';
import { CRD_DIR, type Cluster, ensureNamespace, getOrUndefined, secretPath, startCluster, startController, waitFor } from '../support/controller/harness.js';

const ESO = '/apis/external-secrets.io/v1';
const esPath = (ns: string, name = '') => `${ESO}/namespaces/${ns}/externalsecrets${name ? `/${name}` : ''}`;
const storePath = (ns: string, name = '') => `${ESO}/namespaces/${ns}/secretstores${name ? `/${name}` : ''}`;

/** Minimal CRDs when crds/ does not (yet) carry the external-secrets.io ones. */
async function ensureCrds(client: KubeClient): Promise<void> {
  if (existsSync(join(CRD_DIR, 'external-secrets.io_externalsecrets.yaml')) && existsSync(join(CRD_DIR, 'external-secrets.io_secretstores.yaml'))) return;
  for (const [kind, plural] of [['ExternalSecret', 'externalsecrets'], ['SecretStore', 'secretstores']] as const) {
    await client.request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
      body: {
        apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
        metadata: { name: `${plural}.external-secrets.io` },
        spec: {
          group: 'external-secrets.io', scope: 'Namespaced',
          names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
          versions: [{
            name: 'v1', served: true, storage: true, subresources: { status: {} },
            schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          }],
        },
      },
    });
  }
  await waitFor('external-secrets.io/v1 served', async () => (await getOrUndefined(client, ESO)) !== undefined);
}

interface Es { metadata: { uid: string; generation: number; resourceVersion: string }; status?: { refreshTime?: string; syncedResourceVersion?: string; binding?: { name?: string }; conditions?: Array<{ type: string; status: string; reason: string; message: string; lastTransitionTime: string }> } }
const ready = (es: Json | undefined) => (es as Es | undefined)?.status?.conditions?.find((c) => c.type === 'Ready');
const decoded = (s: Json | undefined) => Object.fromEntries(Object.entries((s?.data ?? {}) as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));

function fakeStore(ns: string, data: Array<{ key: string; value: string }>) {
  return { apiVersion: 'external-secrets.io/v1', kind: 'SecretStore', metadata: { name: 'fake', namespace: ns }, spec: { provider: { fake: { data } } } };
}

test('an ExternalSecret syncs, repairs its Secret, and keeps it when the store breaks', async () => {
  const cluster = await startCluster();
  const c = cluster.client;
  try {
    await ensureCrds(c);
    const ns = 'apps';
    await ensureNamespace(c, ns);
    const ctl = await startController(cluster, []);
    try {
      await c.request('POST', storePath(ns), { body: fakeStore(ns, [{ key: '/db/password', value: 'hunter2' }, { key: '/db/user', value: 'admin' }]) });
      await c.request('POST', esPath(ns), {
        body: {
          apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret',
          metadata: { name: 'db', namespace: ns, labels: { team: 'a' } },
          spec: {
            refreshInterval: '1h',
            secretStoreRef: { name: 'fake', kind: 'SecretStore' },
            target: { name: 'db-creds' },
            data: [
              { secretKey: 'password', remoteRef: { key: '/db/password' } },
              { secretKey: 'user', remoteRef: { key: '/db/user' } },
            ],
          },
        },
      });
      const secret = await waitFor('target Secret', () => getOrUndefined(c, secretPath(ns, 'db-creds')), 30_000, ctl.logs);
      assert.deepEqual(decoded(secret), { password: 'hunter2', user: 'admin' });
      const meta = secret.metadata as { labels: Record<string, string>; annotations: Record<string, string>; ownerReferences: Array<Record<string, unknown>> };
      assert.equal(meta.labels['reconcile.external-secrets.io/managed'], 'true');
      assert.equal(meta.labels.team, 'a', 'labels are copied without a template');
      assert.equal(meta.annotations['reconcile.external-secrets.io/data-hash'],
        dataHash({ password: new TextEncoder().encode('hunter2'), user: new TextEncoder().encode('admin') }));
      const es = await waitFor('Ready=True', async () => { const o = await getOrUndefined(c, esPath(ns, 'db')); return ready(o)?.status === 'True' ? o : undefined; }, 30_000, ctl.logs) as unknown as Es;
      assert.deepEqual(meta.ownerReferences, [{ apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', name: 'db', uid: es.metadata.uid, controller: true, blockOwnerDeletion: true }]);
      const cond = ready(es as unknown as Json)!;
      assert.equal(cond.reason, 'SecretSynced');
      assert.equal(cond.message, 'secret synced');
      assert.match(es.status!.refreshTime!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.match(es.status!.syncedResourceVersion!, new RegExp(`^${es.metadata.generation}-[0-9a-f]{56}$`));
      assert.equal(es.status!.binding?.name, 'db-creds');

      // A second pass (forced by the Secret watch echo and a relist) writes nothing.
      await new Promise((r) => setTimeout(r, 1500));
      const esAgain = await c.request<Es>('GET', esPath(ns, 'db'));
      const secretAgain = await c.request<Json>('GET', secretPath(ns, 'db-creds'));
      assert.equal(esAgain.metadata.resourceVersion, es.metadata.resourceVersion, 'status not rewritten');
      assert.equal((secretAgain.metadata as { resourceVersion: string }).resourceVersion, (secret.metadata as { resourceVersion: string }).resourceVersion, 'Secret not rewritten');

      // Deleting the Secret: recreated at once (no refresh due for an hour).
      await c.request('DELETE', secretPath(ns, 'db-creds'));
      const back = await waitFor('recreated Secret', () => getOrUndefined(c, secretPath(ns, 'db-creds')), 15_000, ctl.logs);
      assert.deepEqual(decoded(back), { password: 'hunter2', user: 'admin' });

      // Editing the data: repaired too.
      await c.request('PATCH', secretPath(ns, 'db-creds'), { body: { data: { password: Buffer.from('tampered').toString('base64') } }, contentType: 'application/merge-patch+json' });
      await waitFor('repaired Secret', async () => decoded(await getOrUndefined(c, secretPath(ns, 'db-creds'))).password === 'hunter2', 15_000, ctl.logs);

      // The store loses a key and the ES is annotated (any metadata change forces a sync): Ready=False, Secret kept.
      await c.request('PUT', storePath(ns, 'fake'), { body: { ...fakeStore(ns, [{ key: '/db/user', value: 'admin' }]), metadata: { name: 'fake', namespace: ns, resourceVersion: ((await c.request<Json>('GET', storePath(ns, 'fake'))).metadata as { resourceVersion: string }).resourceVersion } } });
      await c.request('PATCH', esPath(ns, 'db'), { body: { metadata: { annotations: { 'force-sync': '1' } } }, contentType: 'application/merge-patch+json' });
      const failed = await waitFor('Ready=False', async () => { const o = await getOrUndefined(c, esPath(ns, 'db')); return ready(o)?.status === 'False' ? ready(o) : undefined; }, 30_000, ctl.logs);
      assert.equal(failed.reason, 'SecretSyncedError');
      assert.match(failed.message, /^could not get secret data from provider: /);
      assert.match(failed.message, /spec\.data\[0\] \(secretKey "password", key "\/db\/password"\)/);
      assert.doesNotMatch(failed.message, /hunter2|admin/);
      assert.deepEqual(decoded(await getOrUndefined(c, secretPath(ns, 'db-creds'))), { password: 'hunter2', user: 'admin' }, 'existing Secret intact');
      const events = await c.request<{ items: Array<{ reason: string; type: string; involvedObject: { name: string } }> }>('GET', `/api/v1/namespaces/${ns}/events`);
      const reasons = new Set(events.items.filter((e) => e.involvedObject.name === 'db').map((e) => e.reason));
      for (const r of ['Created', 'Updated', 'UpdateFailed']) assert.ok(reasons.has(r), `event ${r}`);
      for (const line of ctl.logs) assert.doesNotMatch(line, /hunter2/);
    } finally {
      await ctl.stop();
    }
  } finally {
    await cluster.close();
  }
});

test('a Vault store with token auth: the token Secret is read through the API', async () => {
  const vault = await startVaultServer({ rootToken: 'root' });
  const cluster = await startCluster();
  const c = cluster.client;
  try {
    await vault.seed({ kv: { 'secret/app': { password: 'v4ult-pw', user: 'svc' } } });
    await ensureCrds(c);
    const ns = 'vault-apps';
    await ensureNamespace(c, ns);
    await c.request('POST', secretPath(ns), { body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'vault-token', namespace: ns }, stringData: { token: 'root' } } });
    await c.request('POST', storePath(ns), { body: {
      apiVersion: 'external-secrets.io/v1', kind: 'SecretStore', metadata: { name: 'vault', namespace: ns },
      spec: { provider: { vault: { server: vault.url, path: 'secret', version: 'v2', auth: { tokenSecretRef: { name: 'vault-token', key: 'token' } } } } },
    } });
    const ctl = await startController(cluster, ['--concurrent=2']);
    try {
      await c.request('POST', esPath(ns), { body: {
        apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'app', namespace: ns },
        spec: { refreshInterval: '1s', secretStoreRef: { name: 'vault', kind: 'SecretStore' }, dataFrom: [{ extract: { key: 'app' } }], data: [{ secretKey: 'pw', remoteRef: { key: 'app', property: 'password' } }] },
      } });
      const secret = await waitFor('Vault-backed Secret', () => getOrUndefined(c, secretPath(ns, 'app')), 30_000, ctl.logs);
      assert.deepEqual(decoded(secret), { password: 'v4ult-pw', user: 'svc', pw: 'v4ult-pw' });
      await waitFor('Ready=True', async () => ready(await getOrUndefined(c, esPath(ns, 'app')))?.reason === 'SecretSynced', 30_000, ctl.logs);
      // Periodic refresh (requeued at refreshTime + 1s) picks up a change made only in Vault.
      await vault.seed({ kv: { 'secret/app': { password: 'r0tated-pw', user: 'svc' } } });
      await waitFor('refreshed Secret', async () => decoded(await getOrUndefined(c, secretPath(ns, 'app'))).pw === 'r0tated-pw', 15_000, ctl.logs);

      // creationPolicy Merge never creates: Ready=True SecretMissing.
      await c.request('POST', esPath(ns), { body: {
        apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'merge', namespace: ns },
        spec: { secretStoreRef: { name: 'vault', kind: 'SecretStore' }, target: { name: 'absent', creationPolicy: 'Merge' }, data: [{ secretKey: 'pw', remoteRef: { key: 'app', property: 'password' } }] },
      } });
      const missing = await waitFor('SecretMissing', async () => { const r = ready(await getOrUndefined(c, esPath(ns, 'merge'))); return r?.reason === 'SecretMissing' ? r : undefined; }, 30_000, ctl.logs);
      assert.equal(missing.status, 'True');
      assert.equal(missing.message, 'secret will not be created due to CreationPolicy=Merge');
      assert.equal(await getOrUndefined(c, secretPath(ns, 'absent')), undefined);
      for (const line of ctl.logs) assert.doesNotMatch(line, /v4ult-pw|r0tated-pw/);
    } finally {
      await ctl.stop();
    }
  } finally {
    await cluster.close();
    await vault.close();
  }
});

test('without the external-secrets CRDs the controller says so once and stays ready', async () => {
  // A cluster with only the SealedSecret CRD, whatever crds/ holds by now.
  const dir = mkdtempSync(join(tmpdir(), 'cloak-nocrd-'));
  copyFileSync(join(CRD_DIR, 'bitnami.com_sealedsecrets.yaml'), join(dir, 'bitnami.com_sealedsecrets.yaml'));
  const server = await startKubeApiServer({ crdDirs: [join(dir)] });
  writeFileSync(join(dir, 'kubeconfig'), server.kubeconfig());
  const cluster: Cluster = { server, kubeconfig: join(dir, 'kubeconfig'), client: undefined as unknown as KubeClient, dir, close: async () => { await server.close(); rmSync(dir, { recursive: true, force: true }); } };
  try {
    const ctl = await startController(cluster, []);
    try {
      await waitFor('readyz', async () => (await fetch(`${ctl.api}/readyz`).catch(() => undefined))?.status === 200, 30_000, ctl.logs);
      await new Promise((r) => setTimeout(r, 1000));
      const notes = ctl.logs.filter((l) => l.includes('external-secrets.io/v1 is not served'));
      assert.equal(notes.length, 1, ctl.logs.join('\n'));
      assert.equal(ctl.logs.filter((l) => l.includes('externalsecrets')).length, 0, 'no informer errors');
    } finally {
      await ctl.stop();
    }
  } finally {
    await cluster.close();
  }
});
