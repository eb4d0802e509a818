// Drift repair driven by the Secret watch alone: with no periodic resync, a deleted Secret is
// recreated and hand edits to its data, labels or annotations are undone, each within seconds.
// (With a resync, these would pass even if the controller ignored Secret events.)
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
const NS = 'drift';
const REPAIR_MS = 15_000;

before(async () => {
  cluster = await startCluster();
  await ensureNamespace(cluster.client, NS);
  ctl = await startController(cluster, ['--resync-period=0', '--watch-idle-timeout=10m']);
  cert = await waitFor('the first key', () => fetchCert(ctl.api), 60_000, ctl.logs);
});

after(async () => {
  await ctl?.stop();
  await cluster?.close();
});

type Meta = { labels?: Record<string, string>; annotations?: Record<string, string> };
const getSecret = (name: string) => getOrUndefined(cluster.client, secretPath(NS, name));
const meta = (s: Json | undefined) => (s?.metadata ?? {}) as Meta;
const patch = (name: string, body: unknown) =>
  cluster.client.request('PATCH', secretPath(NS, name), { body, contentType: 'application/merge-patch+json' });

test('without a resync, the Secret watch alone repairs deletes and hand edits of data, labels and annotations', async () => {
  const ss = seal(cert, { name: 'app', namespace: NS, data: { pw: 'right' }, labels: { tier: 'db' }, annotations: { owner: 'team-a' } });
  await cluster.client.request('POST', ssPath(NS), { body: ss as unknown as Json });
  await waitFor('the Secret', async () => decoded(await getSecret('app')).pw === 'right', 30_000, ctl.logs);
  assert.equal(meta(await getSecret('app')).labels?.tier, 'db');

  await cluster.client.request('DELETE', secretPath(NS, 'app'));
  await waitFor('recreated after delete', async () => decoded(await getSecret('app')).pw === 'right', REPAIR_MS, ctl.logs);

  await patch('app', { data: { pw: Buffer.from('hacked').toString('base64') } });
  await waitFor('data restored', async () => decoded(await getSecret('app')).pw === 'right', REPAIR_MS, ctl.logs);

  await patch('app', { metadata: { labels: { tier: 'web' } } });
  await waitFor('template label restored', async () => meta(await getSecret('app')).labels?.tier === 'db', REPAIR_MS, ctl.logs);

  await patch('app', { metadata: { annotations: { owner: 'someone-else', extra: 'by-hand' } } });
  await waitFor('template annotations restored, the hand-added one removed', async () => {
    const a = meta(await getSecret('app')).annotations ?? {};
    return a.owner === 'team-a' && a.extra === undefined;
  }, REPAIR_MS, ctl.logs);
  assert.equal(decoded(await getSecret('app')).pw, 'right');
});
