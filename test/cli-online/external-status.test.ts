// `cloak refresh externalsecret` and `cloak external status` through the real bin/cloak against the
// test API server with ESO's CRDs from crds/: the force-sync annotation changes, the table and JSON
// show the Ready condition as written to status, and a missing object is one line with exit 4.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCloak } from '../support/cloak-cli.js';
import { ensureNamespace, getOrUndefined, startCluster, waitFor } from '../support/controller/harness.js';
import type { Json, KubeClient } from '../../controller/kube/index.js';

const ESO = '/apis/external-secrets.io/v1';
const esPath = (ns: string, name = '') => `${ESO}/namespaces/${ns}/externalsecrets${name ? `/${name}` : ''}`;

async function createEs(c: KubeClient, ns: string, name: string, store: { name: string; kind?: string }, ready?: { status: string; reason: string; message: string }) {
  await c.request('POST', esPath(ns), {
    body: {
      apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret',
      metadata: { name, namespace: ns },
      spec: { refreshInterval: '15m', secretStoreRef: { kind: 'SecretStore', ...store }, target: { name: `${name}-secret` }, data: [{ secretKey: 'k', remoteRef: { key: '/k' } }] },
    },
  });
  if (!ready) return;
  const es = (await c.request('GET', esPath(ns, name))) as Json;
  await c.request('PUT', `${esPath(ns, name)}/status`, {
    body: {
      ...es,
      status: {
        refreshTime: '2026-12-03T11:00:00Z',
        conditions: [{ type: 'Ready', lastTransitionTime: '2026-12-03T11:00:00Z', ...ready }],
      },
    },
  });
}

test('refresh externalsecret and external status over kubeconfig', async () => {
  const cluster = await startCluster();
  const c = cluster.client;
  const env = { KUBECONFIG: cluster.kubeconfig };
  try {
    await waitFor('external-secrets.io/v1 served', async () => (await getOrUndefined(c, ESO)) !== undefined);
    await ensureNamespace(c, 'apps');
    await ensureNamespace(c, 'team-b');
    await createEs(c, 'apps', 'db', { name: 'vault' }, { status: 'True', reason: 'SecretSynced', message: 'secret synced' });
    await createEs(c, 'apps', 'api', { name: 'aws', kind: 'ClusterSecretStore' }, {
      status: 'False', reason: 'SecretSyncedError', message: 'could not get secret data from provider: key "/k" not found\nin store',
    });
    await createEs(c, 'team-b', 'cache', { name: 'vault' });

    // refresh: the annotation is set to the current unix time, and changes on a second refresh.
    const before = Math.floor(Date.now() / 1000);
    const r1 = await runCloak(['refresh', 'externalsecret', 'db', '-n', 'apps'], { env });
    assert.equal(r1.code, 0, r1.stderr);
    assert.equal(r1.stdout, 'externalsecret.external-secrets.io/db refreshed\n');
    const a1 = ((await c.request('GET', esPath('apps', 'db'))) as { metadata: { annotations?: Record<string, string> } }).metadata.annotations?.['force-sync'];
    assert.ok(a1 !== undefined && Number(a1) >= before && Number(a1) <= Math.floor(Date.now() / 1000) + 1, `force-sync=${a1}`);
    await new Promise((r) => setTimeout(r, 1100));
    const r2 = await runCloak(['refresh', 'es', 'db', '--namespace=apps'], { env });
    assert.equal(r2.code, 0, r2.stderr);
    const db = (await c.request('GET', esPath('apps', 'db'))) as { metadata: { annotations: Record<string, string> }; status?: { conditions?: unknown[] } };
    assert.ok(Number(db.metadata.annotations['force-sync']) > Number(a1), 'second refresh changes the annotation');
    assert.equal(db.status?.conditions?.length, 1, 'the merge patch leaves status alone');

    // NotFound: one line naming ns/name, exit 4 (cluster).
    const nf = await runCloak(['refresh', 'es', 'nope', '-n', 'apps'], { env });
    assert.equal(nf.code, 4);
    assert.equal(nf.stdout, '');
    assert.equal(nf.stderr.trim().split('\n').length, 1, nf.stderr);
    assert.match(nf.stderr, /apps\/nope/);
    assert.match(nf.stderr, /not found/i);

    // status in one namespace: sorted by name, the real error message on one line.
    const st = await runCloak(['external', 'status', '-n', 'apps'], { env });
    assert.equal(st.code, 0, st.stderr);
    const lines = st.stdout.trimEnd().split('\n').map((l) => l.split(/\s{2,}/));
    assert.deepEqual(lines, [
      ['NAME', 'STORE', 'REFRESH', 'STATUS', 'READY', 'LAST-SYNC', 'MESSAGE'],
      ['api', 'ClusterSecretStore/aws', '15m', 'SecretSyncedError', 'False', '2026-12-03T11:00:00Z', 'could not get secret data from provider: key "/k" not found in store'],
      ['db', 'vault', '15m', 'SecretSynced', 'True', '2026-12-03T11:00:00Z', 'secret synced'],
    ]);

    // -A adds NAMESPACE; an ExternalSecret without status shows Unknown.
    const all = await runCloak(['external', 'status', '-A'], { env });
    assert.equal(all.code, 0, all.stderr);
    const allLines = all.stdout.trimEnd().split('\n').map((l) => l.split(/\s{2,}/));
    assert.deepEqual(allLines.map((l) => l.slice(0, 2)), [['NAMESPACE', 'NAME'], ['apps', 'api'], ['apps', 'db'], ['team-b', 'cache']]);
    assert.deepEqual(allLines[3], ['team-b', 'cache', 'vault', '15m', '-', 'Unknown', '-']);

    // -o json carries the same rows.
    const js = await runCloak(['external', 'status', '-n', 'team-b', '-o', 'json'], { env });
    assert.equal(js.code, 0, js.stderr);
    assert.deepEqual(JSON.parse(js.stdout), {
      externalSecrets: [{ namespace: 'team-b', name: 'cache', store: 'vault', refreshInterval: '15m', status: '', ready: 'Unknown', lastSync: '', message: '' }],
    });

    // An empty namespace says so on stderr; -n with -A is a usage error.
    const empty = await runCloak(['external', 'status', '-n', 'default'], { env });
    assert.equal(empty.code, 0, empty.stderr);
    assert.equal(empty.stdout, '');
    assert.equal(empty.stderr, 'No ExternalSecrets found in default namespace.\n');
    const both = await runCloak(['external', 'status', '-n', 'apps', '-A'], { env });
    assert.equal(both.code, 1);
  } finally {
    await cluster.close();
  }
});
