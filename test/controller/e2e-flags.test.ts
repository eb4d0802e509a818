// Bitnami's --skip-recreate and --old-gc-behavior against the real controller process, with the
// garbage collector off (as on a bare API server) so only the controller can delete a Secret.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  decoded, ensureNamespace, fetchCert, getOrUndefined, seal, secretPath, ssPath, startCluster, startController, waitFor,
  type Cluster, type ControllerProc,
} from '../support/controller/harness.js';
import type { Json } from '../../controller/kube/index.js';

let cluster: Cluster;
let ctl: ControllerProc;
let cert: Awaited<ReturnType<typeof fetchCert>>;
const NS = 'flags';

before(async () => {
  cluster = await startCluster();
  await ensureNamespace(cluster.client, NS);
  ctl = await startController(cluster, ['--skip-recreate', '--old-gc-behavior', '--resync-period=0']);
  cert = await waitFor('the first key', () => fetchCert(ctl.api), 60_000, ctl.logs);
});

after(async () => {
  await ctl?.stop();
  await cluster?.close();
});

const getSecret = (name: string) => getOrUndefined(cluster.client, secretPath(NS, name));

test('--skip-recreate: a deleted Secret stays deleted until its SealedSecret changes', async () => {
  const ss = seal(cert, { name: 'norecreate', namespace: NS, data: { a: '1' } });
  await cluster.client.request('POST', ssPath(NS), { body: ss });
  await waitFor('the Secret', () => getSecret('norecreate'), 30_000, ctl.logs);
  await cluster.client.request('DELETE', secretPath(NS, 'norecreate'));
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(await getSecret('norecreate'), undefined, 'not recreated: Secrets are not watched');

  const current = await cluster.client.request<Json>('GET', ssPath(NS, 'norecreate'));
  const next = seal(cert, { name: 'norecreate', namespace: NS, data: { a: '2' } });
  await cluster.client.request('PUT', ssPath(NS, 'norecreate'), {
    body: { ...next, metadata: { ...next.metadata, resourceVersion: (current.metadata as { resourceVersion: string }).resourceVersion } },
  });
  const back = await waitFor('the Secret after the change', () => getSecret('norecreate'), 30_000, ctl.logs);
  assert.deepEqual(decoded(back), { a: '2' });
});

test('--old-gc-behavior: deleting the SealedSecret deletes the Secret it owns, and only that one', async () => {
  await cluster.client.request('POST', ssPath(NS), { body: seal(cert, { name: 'owned', namespace: NS, data: { b: '1' } }) });
  await waitFor('the Secret', () => getSecret('owned'), 30_000, ctl.logs);
  // A Secret the SealedSecret does not own (it existed first, unmanaged) must survive the SealedSecret's deletion.
  await cluster.client.request('POST', secretPath(NS), { body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'theirs' }, data: { c: 'MQ==' } } });
  await cluster.client.request('POST', ssPath(NS), { body: seal(cert, { name: 'theirs', namespace: NS, data: { c: '2' } }) });
  await waitFor('the unmanaged refusal', async () => {
    const ss = await getOrUndefined(cluster.client, ssPath(NS, 'theirs'));
    const c = ((ss?.status as { conditions?: Array<{ type: string; status: string; message?: string }> } | undefined)?.conditions ?? []).find((x) => x.type === 'Synced');
    return c?.status === 'False' && /not managed by SealedSecret/.test(c.message ?? '') ? c : undefined;
  }, 30_000, ctl.logs);

  await cluster.client.request('DELETE', ssPath(NS, 'owned'));
  await cluster.client.request('DELETE', ssPath(NS, 'theirs'));
  await waitFor('the owned Secret to be deleted', async () => (await getSecret('owned')) === undefined || undefined, 30_000, ctl.logs);
  await new Promise((r) => setTimeout(r, 500));
  assert.deepEqual(decoded(await getSecret('theirs')), { c: '1' }, 'a Secret it does not own is never deleted');
});
