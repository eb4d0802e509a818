// ClusterExternalSecrets in the real cloak-controller against the test API server (garbage collector
// and namespace controller on) and the fake provider behind a ClusterSecretStore: fan-out by label
// selectors and by name, the Secrets appear in every namespace, a relabelled-out namespace loses its
// child, a new matching namespace gains one, a pre-existing ExternalSecret is never overwritten (it
// fails that namespace until it goes), externalSecretName renames move the children, an unusable
// selector is reported, a second pass writes nothing, namespaces delete without being blocked, and
// deleting the ClusterExternalSecret removes every child.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Json, KubeClient } from '../../controller/kube/index.js';
import { decoded, getOrUndefined, secretPath, startCluster, startController, waitFor, type ControllerProc } from '../support/controller/harness.js';

const ESO = '/apis/external-secrets.io/v1';
const esPath = (ns: string, name = '') => `${ESO}/namespaces/${ns}/externalsecrets${name ? `/${name}` : ''}`;
const cesPath = (name = '') => `${ESO}/clusterexternalsecrets${name ? `/${name}` : ''}`;
const nsPath = (name = '') => `/api/v1/namespaces${name ? `/${name}` : ''}`;
const MERGE = { contentType: 'application/merge-patch+json' as const };

interface Meta { name: string; namespace?: string; uid: string; resourceVersion: string; labels?: Record<string, string>; annotations?: Record<string, string>; ownerReferences?: Array<Record<string, unknown>>; finalizers?: string[] }
interface CesStatus { externalSecretName?: string; provisionedNamespaces?: string[]; failedNamespaces?: Array<{ namespace: string; reason?: string }>; conditions?: Array<{ type: string; status: string; message?: string }> }
const meta = (o: Json | undefined) => o?.metadata as Meta;
const statusOf = (o: Json | undefined) => (o?.status ?? {}) as CesStatus;

async function namespace(c: KubeClient, name: string, labels: Record<string, string> = {}): Promise<void> {
  await c.request('POST', nsPath(), { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } } });
}

const childSpec = {
  refreshInterval: '1h',
  secretStoreRef: { name: 'fake-css', kind: 'ClusterSecretStore' },
  target: { name: 'shared-token' },
  data: [{ secretKey: 'token', remoteRef: { key: '/shared/token' } }],
};

/** Waits until the CES status has exactly these provisioned namespaces (and returns it). */
async function provisioned(c: KubeClient, ctl: ControllerProc, name: string, want: string[]): Promise<Json> {
  return waitFor(`${name} provisioned in ${want.join(',') || 'none'}`, async () => {
    const o = await getOrUndefined(c, cesPath(name));
    return JSON.stringify(statusOf(o).provisionedNamespaces ?? []) === JSON.stringify(want) ? o : undefined;
  }, 30_000, ctl.logs);
}

test('a ClusterExternalSecret fans out, follows namespaces, refuses foreign ExternalSecrets and cleans up', async () => {
  const cluster = await startCluster({ garbageCollector: true });
  const c = cluster.client;
  try {
    for (const [n, team] of [['ces-a', 'blue'], ['ces-b', 'blue'], ['ces-taken', 'blue'], ['ces-other', 'red']] as const) await namespace(c, n, { team });
    await namespace(c, 'ces-listed');
    await c.request('POST', `${ESO}/clustersecretstores`, { body: {
      apiVersion: 'external-secrets.io/v1', kind: 'ClusterSecretStore', metadata: { name: 'fake-css' },
      spec: { provider: { fake: { data: [{ key: '/shared/token', value: 't0ken-v4lue' }] } } },
    } });
    // Someone else's ExternalSecret already carries the child's name in ces-taken.
    await c.request('POST', esPath('ces-taken'), { body: {
      apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'shared', namespace: 'ces-taken' },
      spec: { ...childSpec, target: { name: 'theirs' } },
    } });
    const ctl = await startController(cluster, ['--enable-external-secrets']);
    try {
      await c.request('POST', cesPath(), { body: {
        apiVersion: 'external-secrets.io/v1', kind: 'ClusterExternalSecret',
        metadata: { name: 'shared', annotations: { 'external-secrets.io/force-sync': '1' } },
        spec: {
          namespaceSelectors: [{ matchLabels: { team: 'blue' } }],
          namespaces: ['ces-listed', 'ces-does-not-exist'],
          externalSecretMetadata: { labels: { app: 'web' }, annotations: { note: 'fanned' } },
          externalSecretSpec: childSpec,
        },
      } });
      let ces = await provisioned(c, ctl, 'shared', ['ces-a', 'ces-b', 'ces-listed']);
      assert.deepEqual(statusOf(ces), {
        externalSecretName: 'shared',
        provisionedNamespaces: ['ces-a', 'ces-b', 'ces-listed'],
        failedNamespaces: [{ namespace: 'ces-taken', reason: 'external secret already exists in namespace' }],
        conditions: [{ type: 'Ready', status: 'False', message: 'one or more namespaces failed' }],
      });
      const owner = { apiVersion: 'external-secrets.io/v1', kind: 'ClusterExternalSecret', name: 'shared', uid: meta(ces).uid, controller: true, blockOwnerDeletion: true };
      for (const ns of ['ces-a', 'ces-b', 'ces-listed']) {
        const child = await c.request<Json>('GET', esPath(ns, 'shared'));
        assert.deepEqual(meta(child).labels, { app: 'web' });
        assert.deepEqual(meta(child).annotations, { note: 'fanned', 'external-secrets.io/force-sync': '1' });
        assert.deepEqual(meta(child).ownerReferences, [owner]);
        assert.deepEqual(child.spec, childSpec);
        const secret = await waitFor(`Secret in ${ns}`, () => getOrUndefined(c, secretPath(ns, 'shared-token')), 30_000, ctl.logs);
        assert.deepEqual(decoded(secret), { token: 't0ken-v4lue' });
      }
      assert.equal(await getOrUndefined(c, esPath('ces-other', 'shared')), undefined, 'a non-matching namespace gets nothing');
      const theirs = await c.request<Json>('GET', esPath('ces-taken', 'shared'));
      assert.equal(meta(theirs).ownerReferences, undefined, 'the foreign ExternalSecret is not adopted');
      assert.deepEqual((theirs.spec as { target: unknown }).target, { name: 'theirs' }, 'nor overwritten');

      // A second pass (a label change on a selected namespace enqueues the CES) writes nothing.
      const rvs = async () => JSON.stringify(await Promise.all([cesPath('shared'), esPath('ces-a', 'shared'), esPath('ces-b', 'shared'), esPath('ces-listed', 'shared')]
        .map(async (p) => meta(await c.request<Json>('GET', p)).resourceVersion)));
      const before = await rvs();
      await c.request('PATCH', nsPath('ces-a'), { body: { metadata: { labels: { touched: 'yes' } } }, ...MERGE });
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(await rvs(), before, 'no status patch and no child update on an unchanged pass');

      // A hand-edited child (spec and labels) is put back.
      await c.request('PATCH', esPath('ces-listed', 'shared'), { body: { metadata: { labels: { app: 'hacked' } }, spec: { refreshInterval: '5m' } }, ...MERGE });
      await waitFor('child repaired', async () => {
        const child = await c.request<Json>('GET', esPath('ces-listed', 'shared'));
        return JSON.stringify(meta(child).labels) === JSON.stringify({ app: 'web' }) && JSON.stringify(child.spec) === JSON.stringify(childSpec);
      }, 15_000, ctl.logs);

      // Relabelled out: the child goes (and its Secret with it, through the garbage collector).
      await c.request('PATCH', nsPath('ces-b'), { body: { metadata: { labels: { team: 'red' } } }, ...MERGE });
      await provisioned(c, ctl, 'shared', ['ces-a', 'ces-listed']);
      await waitFor('child in ces-b deleted', async () => (await getOrUndefined(c, esPath('ces-b', 'shared'))) === undefined, 15_000, ctl.logs);
      await waitFor('Secret in ces-b collected', async () => (await getOrUndefined(c, secretPath('ces-b', 'shared-token'))) === undefined, 15_000, ctl.logs);

      // A new matching namespace is provisioned at once (no refreshTime wait: the namespace watch).
      await namespace(c, 'ces-c', { team: 'blue' });
      await provisioned(c, ctl, 'shared', ['ces-a', 'ces-c', 'ces-listed']);
      await waitFor('Secret in ces-c', () => getOrUndefined(c, secretPath('ces-c', 'shared-token')), 30_000, ctl.logs);

      // The foreign ExternalSecret goes: its namespace is provisioned and the CES turns Ready.
      await c.request('DELETE', esPath('ces-taken', 'shared'));
      ces = await provisioned(c, ctl, 'shared', ['ces-a', 'ces-c', 'ces-listed', 'ces-taken']);
      assert.equal(statusOf(ces).failedNamespaces, undefined);
      assert.deepEqual(statusOf(ces).conditions, [{ type: 'Ready', status: 'True' }]);
      assert.deepEqual(meta(await c.request<Json>('GET', esPath('ces-taken', 'shared'))).ownerReferences, [owner]);
      const scrape = await (await fetch(`${ctl.metrics}/metrics`)).text();
      assert.match(scrape, /^clusterexternalsecret_status_condition\{name="shared",namespace="",condition="Ready",status="True"\} 1$/m);
      assert.match(scrape, /^clusterexternalsecret_status_condition\{name="shared",namespace="",condition="Ready",status="False"\} 0$/m);
      assert.match(scrape, /^clusterexternalsecret_reconcile_duration\{name="shared",namespace=""\} \d+$/m);

      // The deprecated namespaceSelector with an expression, and an explicit externalSecretName that then changes.
      await c.request('POST', cesPath(), { body: {
        apiVersion: 'external-secrets.io/v1', kind: 'ClusterExternalSecret', metadata: { name: 'legacy' },
        spec: { namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'In', values: ['red'] }] }, externalSecretName: 'legacy-es', refreshTime: '1s', externalSecretSpec: childSpec },
      } });
      await provisioned(c, ctl, 'legacy', ['ces-b', 'ces-other']);
      for (const ns of ['ces-b', 'ces-other']) assert.ok(await getOrUndefined(c, esPath(ns, 'legacy-es')), `legacy-es in ${ns}`);
      await c.request('PATCH', cesPath('legacy'), { body: { spec: { externalSecretName: 'renamed' } }, ...MERGE });
      await waitFor('renamed children', async () => {
        const st = statusOf(await getOrUndefined(c, cesPath('legacy')));
        if (st.externalSecretName !== 'renamed') return false;
        for (const ns of ['ces-b', 'ces-other']) {
          if (await getOrUndefined(c, esPath(ns, 'legacy-es'))) return false;
          if (!(await getOrUndefined(c, esPath(ns, 'renamed')))) return false;
        }
        return true;
      }, 30_000, ctl.logs);
      // Nothing watched changes when someone scribbles on the status: spec.refreshTime (1s) re-evaluates and repairs it.
      await c.request('PATCH', `${cesPath('legacy')}/status`, { body: { status: { provisionedNamespaces: ['bogus'] } }, ...MERGE });
      await provisioned(c, ctl, 'legacy', ['ces-b', 'ces-other']);

      // An unusable selector is reported as ESO does (namespace "unknown").
      await c.request('POST', cesPath(), { body: {
        apiVersion: 'external-secrets.io/v1', kind: 'ClusterExternalSecret', metadata: { name: 'broken' },
        spec: { namespaceSelectors: [{ matchExpressions: [{ key: 'team', operator: 'Near', values: ['blue'] }] }], externalSecretSpec: childSpec },
      } });
      const broken = await waitFor('broken selector reported', async () => { const o = await getOrUndefined(c, cesPath('broken')); return statusOf(o).failedNamespaces ? o : undefined; }, 30_000, ctl.logs);
      assert.deepEqual(statusOf(broken).failedNamespaces, [{ namespace: 'unknown', reason: 'failed to convert label selector spec.namespaceSelectors[0]: "Near" is not a valid label selector operator' }]);
      assert.deepEqual(statusOf(broken).conditions, [{ type: 'Ready', status: 'False', message: 'one or more namespaces failed' }]);
      // Fixed: the spec edit re-enqueues it (no backoff wait) and it provisions.
      await c.request('PATCH', cesPath('broken'), { body: { spec: { namespaceSelectors: [{ matchExpressions: [{ key: 'team', operator: 'In', values: ['red'] }] }] } }, ...MERGE });
      const fixed = await provisioned(c, ctl, 'broken', ['ces-b', 'ces-other']);
      assert.deepEqual(statusOf(fixed).conditions, [{ type: 'Ready', status: 'True' }]);
      // Broken again: reported, and nothing already provisioned is taken away.
      await c.request('PATCH', cesPath('broken'), { body: { spec: { namespaceSelectors: [{ matchExpressions: [{ key: 'team', operator: 'In', values: [] }] }] } }, ...MERGE });
      const rebroken = await waitFor('broken again', async () => { const o = await getOrUndefined(c, cesPath('broken')); return statusOf(o).failedNamespaces ? o : undefined; }, 30_000, ctl.logs);
      assert.deepEqual(statusOf(rebroken).provisionedNamespaces, ['ces-b', 'ces-other']);
      assert.match(statusOf(rebroken).failedNamespaces![0]!.reason!, /^failed to convert label selector spec\.namespaceSelectors\[0\]: key "team": for 'In', 'NotIn' operators, values set can't be empty$/);
      for (const ns of ['ces-b', 'ces-other']) assert.ok(await getOrUndefined(c, esPath(ns, 'broken')), `child in ${ns} kept`);

      // No finalizers on namespaces or on the CES; deleting a provisioned namespace is never blocked.
      for (const n of (await c.request<{ items: Json[] }>('GET', nsPath())).items) assert.equal(meta(n).finalizers, undefined, `no finalizer on namespace ${meta(n).name}`);
      assert.equal(meta(await c.request<Json>('GET', cesPath('shared'))).finalizers, undefined);
      await c.request('DELETE', nsPath('ces-a'));
      await waitFor('ces-a deleted', async () => (await getOrUndefined(c, nsPath('ces-a'))) === undefined, 15_000, ctl.logs);
      await provisioned(c, ctl, 'shared', ['ces-c', 'ces-listed', 'ces-taken']);

      // Deleting the CES removes every child (ownerReferences, garbage collector).
      await c.request('DELETE', cesPath('shared'));
      await waitFor('children collected', async () => {
        for (const ns of ['ces-c', 'ces-listed', 'ces-taken']) if (await getOrUndefined(c, esPath(ns, 'shared'))) return false;
        return true;
      }, 15_000, ctl.logs);
      assert.ok(await getOrUndefined(c, esPath('ces-b', 'renamed')), 'another CES\'s children stay');
      for (const line of ctl.logs) assert.doesNotMatch(line, /t0ken-v4lue/);
    } finally {
      await ctl.stop();
    }
  } finally {
    await cluster.close();
  }
});
