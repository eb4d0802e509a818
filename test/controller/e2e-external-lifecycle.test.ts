// ExternalSecret lifecycle through the real cloak-controller and the test API server (no garbage
// collector, so what is left is what the controller left): the cleanup finalizer only with
// deletionPolicy=Delete (the ES delete removes the Secret, then the finalizer; Retain has none and
// keeps the Secret; a stale one is removed), ESO's created-by label, field manager and orphan
// cleanup on a target rename, ESO's metrics scraped from the metrics port after a sync and after a
// failure, a periodic refresh with unchanged data (no Secret write; one status write for refreshTime;
// a pass with nothing due writes nothing), and Ready.lastTransitionTime vs status.refreshTime as
// Argo CD reads them for refreshPolicy OnChange; --provider-qps spaces the reads of one store.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { Json } from '../../controller/kube/index.js';
import {
  createEs, createStore, esPath, eventsFor, forceSync, getEs, getOrUndefined, getSecret, namespaces, patchEs, readyOf,
  secretPath, startExternalEnv, waitEs, waitFor, waitSecret, waitSynced, type ExternalEnv,
} from '../support/controller/external-harness.js';

const NS = 'life';
const FINALIZER = 'externalsecrets.external-secrets.io/externalsecret-cleanup';
const VALUES = ['s3cr3t-pw', 'sh4red-val'];
const createdBy = (ns: string, name: string) => createHash('sha3-224').update(`${ns}/${name}`).digest('hex');
const finalizersOf = (o: Json | undefined) => ((o?.metadata as { finalizers?: string[] } | undefined)?.finalizers) ?? [];
const one = (key: string) => [{ secretKey: 'value', remoteRef: { key } }];
const spec = (target: Record<string, unknown>, data = one('/pw'), extra: Record<string, unknown> = {}) =>
  ({ refreshInterval: '1h', secretStoreRef: { name: 'fake', kind: 'SecretStore' }, target, data, ...extra });

let env: ExternalEnv;

before(async () => {
  // 20 provider calls per second per store, burst 1: the rate test below needs ≥ 1.45 s for 30 reads.
  env = await startExternalEnv({ args: ['--provider-qps=20', '--provider-burst=1'] });
  await namespaces(env.c, NS);
  await createStore(env.c, NS, 'fake', { fake: { data: [{ key: '/pw', value: VALUES[0] }, { key: '/shared', value: VALUES[1] }] } });
});
after(async () => {
  const leaked = env.ctl.logs.find((l) => VALUES.some((v) => l.includes(v)));
  await env.close();
  assert.equal(leaked, undefined, 'no secret value in the controller logs');
});

/** One scrape of the metrics port: `name{labels}` → value. */
async function scrape(): Promise<{ text: string; get(name: string, labels: Record<string, string>): number | undefined }> {
  const text = await (await fetch(`${env.ctl.metrics}/metrics`)).text();
  return {
    text,
    get(name, labels) {
      for (const line of text.split('\n')) {
        const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
        if (!m || m[1] !== name) continue;
        const have = Object.fromEntries([...(m[2] ?? '').matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
        if (Object.entries(labels).every(([k, v]) => have[k] === v) && Object.keys(have).length === Object.keys(labels).length) return Number(m[3]);
      }
      return undefined;
    },
  };
}

const writesTo = (re: RegExp) => env.cluster.server.hooks.requests.filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) && re.test(r.path)).length;

test('deletionPolicy=Delete: finalizer present; deleting the ES deletes its Secret, then the finalizer', async () => {
  await createEs(env.c, NS, 'del', spec({ name: 'del-secret', deletionPolicy: 'Delete' }));
  await waitSynced(env, NS, 'del');
  const es = await waitFor('finalizer', async () => { const o = await getOrUndefined(env.c, esPath(NS, 'del')); return finalizersOf(o).includes(FINALIZER) ? o : undefined; }, 30_000, env.ctl.logs);
  assert.deepEqual(finalizersOf(es), [FINALIZER]);
  const secret = await waitSecret(env, NS, 'del-secret');
  assert.equal(secret.metadata.labels?.['reconcile.external-secrets.io/managed'], 'true');
  assert.equal(secret.metadata.labels?.['reconcile.external-secrets.io/created-by'], createdBy(NS, 'del'), 'ESO created-by: sha3-224 of "<ns>/<name>"');
  const managers = ((secret.metadata as { managedFields?: Array<{ manager: string }> }).managedFields ?? []).map((f) => f.manager);
  assert.ok(managers.includes('externalsecrets.external-secrets.io/del'), `ESO's field manager, got ${managers.join(',')}`);

  await env.c.request('DELETE', esPath(NS, 'del'));
  await waitFor('ExternalSecret gone', async () => (await getOrUndefined(env.c, esPath(NS, 'del'))) === undefined, 30_000, env.ctl.logs);
  assert.equal(await getSecret(env.c, NS, 'del-secret'), undefined, 'the controller deleted the Secret it owned (no garbage collector runs here)');
});

test('deletionPolicy=Retain: no finalizer, the ES goes at once and the controller keeps the Secret; stale finalizers are removed', async () => {
  await createEs(env.c, NS, 'keep', spec({ name: 'keep-secret' }));
  const es = await waitSynced(env, NS, 'keep');
  assert.deepEqual(finalizersOf(es as unknown as Json), [], 'no finalizer without deletionPolicy=Delete');
  await waitSecret(env, NS, 'keep-secret');
  await waitFor('Ready=True in metrics', async () => (await scrape()).get('externalsecret_status_condition', { name: 'keep', namespace: NS, condition: 'Ready', status: 'True' }) === 1, 30_000, env.ctl.logs);
  await env.c.request('DELETE', esPath(NS, 'keep'));
  assert.equal(await getOrUndefined(env.c, esPath(NS, 'keep')), undefined, 'deleted immediately (nothing blocks namespace deletion)');
  // The controller has seen the deletion once the condition series is gone; the Secret is still there.
  await waitFor('metrics cleared', async () => (await scrape()).get('externalsecret_status_condition', { name: 'keep', namespace: NS, condition: 'Ready', status: 'True' }) === undefined, 30_000, env.ctl.logs);
  assert.ok(await getSecret(env.c, NS, 'keep-secret'), 'Secret kept');

  // Delete → Retain drops the finalizer; a finalizer left by ESO on a Retain ExternalSecret is dropped too.
  await createEs(env.c, NS, 'flip', spec({ name: 'flip-secret', deletionPolicy: 'Delete' }));
  await waitFor('finalizer added', async () => finalizersOf(await getOrUndefined(env.c, esPath(NS, 'flip'))).includes(FINALIZER), 30_000, env.ctl.logs);
  await patchEs(env.c, NS, 'flip', { spec: { target: { name: 'flip-secret', deletionPolicy: 'Retain' } } });
  await waitFor('finalizer removed', async () => finalizersOf(await getOrUndefined(env.c, esPath(NS, 'flip'))).length === 0, 30_000, env.ctl.logs);
  await env.c.request('POST', esPath(NS), { body: {
    apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'from-eso', namespace: NS, finalizers: [FINALIZER, 'example.com/other'] }, spec: spec({ name: 'from-eso' }),
  } });
  await waitFor('stale finalizer removed, others kept', async () => {
    const f = finalizersOf(await getOrUndefined(env.c, esPath(NS, 'from-eso')));
    return f.length === 1 && f[0] === 'example.com/other';
  }, 30_000, env.ctl.logs);
});

test('renaming spec.target.name deletes the Secret the ExternalSecret created under the old name', async () => {
  await createEs(env.c, NS, 'ren', spec({ name: 'ren-a' }));
  await waitSynced(env, NS, 'ren');
  await waitSecret(env, NS, 'ren-a');
  // A Secret someone else controls that happens to carry the label is left alone.
  await env.c.request('POST', secretPath(NS), { body: {
    apiVersion: 'v1', kind: 'Secret', metadata: { name: 'ren-foreign', namespace: NS, labels: { 'reconcile.external-secrets.io/managed': 'true', 'reconcile.external-secrets.io/created-by': createdBy(NS, 'ren') },
      ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'x', uid: 'someone-else', controller: true }] }, stringData: { a: 'b' },
  } });
  await patchEs(env.c, NS, 'ren', { spec: { target: { name: 'ren-b' } } });
  await waitSecret(env, NS, 'ren-b');
  await waitFor('old Secret deleted', async () => (await getSecret(env.c, NS, 'ren-a')) === undefined, 30_000, env.ctl.logs);
  await waitSynced(env, NS, 'ren');
  assert.equal((await getEs(env.c, NS, 'ren')).status?.binding?.name, 'ren-b');
  assert.ok(await getSecret(env.c, NS, 'ren-foreign'), 'a Secret controlled by another object is kept');
  const events = await eventsFor(env.c, NS, 'ren');
  assert.ok(events.some((e) => e.reason === 'Deleted' && e.message === 'secret deleted because it was orphaned'), JSON.stringify(events));
});

test('metrics on the metrics port: ESO names and labels after a sync and after a failure, provider calls and coalesced reads', async () => {
  await createEs(env.c, NS, 'm1', spec({ name: 'm1' }, one('/shared')));
  await waitSynced(env, NS, 'm1');
  const before = await scrape();
  const coalescedBefore = before.get('cloak_provider_reads_coalesced_total', {}) ?? 0;
  const callsBefore = before.get('cloak_provider_requests_total', { store: `SecretStore/${NS}/fake`, op: 'get' }) ?? 0;
  await createEs(env.c, NS, 'm2', spec({ name: 'm2' }, one('/shared')));
  await waitSynced(env, NS, 'm2');
  // m2 read /shared within m1's refresh window: served by the shared read cache, no provider call.
  const afterM2 = await scrape();
  assert.ok((afterM2.get('cloak_provider_reads_coalesced_total', {}) ?? 0) >= coalescedBefore + 1, 'a read saved by the shared cache');
  assert.equal(afterM2.get('cloak_provider_requests_total', { store: `SecretStore/${NS}/fake`, op: 'get' }), callsBefore, 'm2 made no provider call');
  await createEs(env.c, NS, 'mbad', spec({ name: 'mbad' }, one('/missing')));
  const failed = await waitEs(env, NS, 'mbad', (r) => r.status === 'False', 'Ready=False');
  assert.equal(readyOf(failed)?.reason, 'SecretSyncedError');

  const m = await waitFor('metrics settle', async () => {
    const s = await scrape();
    // a snapshot between reconciles of mbad (it is retried with backoff): errors counted, and each in a counted call
    const errors = s.get('externalsecret_sync_calls_error', { name: 'mbad', namespace: NS }) ?? 0;
    return errors >= 1 && (s.get('externalsecret_sync_calls_total', { name: 'mbad', namespace: NS }) ?? 0) >= errors ? s : undefined;
  }, 30_000, env.ctl.logs);
  const ok = { name: 'm1', namespace: NS };
  assert.ok((m.get('externalsecret_sync_calls_total', ok) ?? 0) >= 1, 'sync_calls_total counts reconciles');
  assert.equal(m.get('externalsecret_sync_calls_error', ok), undefined, 'no error for a good ExternalSecret');
  assert.equal(m.get('externalsecret_status_condition', { ...ok, condition: 'Ready', status: 'True' }), 1);
  assert.equal(m.get('externalsecret_status_condition', { ...ok, condition: 'Ready', status: 'False' }), 0);
  const bad = { name: 'mbad', namespace: NS };
  assert.equal(m.get('externalsecret_status_condition', { ...bad, condition: 'Ready', status: 'False' }), 1);
  assert.equal(m.get('externalsecret_status_condition', { ...bad, condition: 'Ready', status: 'True' }), 0);
  const ns = m.get('externalsecret_reconcile_duration', ok);
  assert.ok(ns !== undefined && Number.isInteger(ns) && ns > 1000, `reconcile_duration is a gauge in nanoseconds (ESO), got ${ns}`);
  for (const [name, type] of [['externalsecret_sync_calls_total', 'counter'], ['externalsecret_sync_calls_error', 'counter'], ['externalsecret_status_condition', 'gauge'], ['externalsecret_reconcile_duration', 'gauge'], ['cloak_provider_requests_total', 'counter'], ['cloak_provider_reads_coalesced_total', 'counter']]) {
    assert.ok(m.text.includes(`# TYPE ${name} ${type}\n`), `${name} is a ${type}`);
  }
  // Every attempt for mbad is a provider call (failures are never cached).
  assert.ok((m.get('cloak_provider_requests_total', { store: `SecretStore/${NS}/fake`, op: 'get' }) ?? 0) >= callsBefore + 1);
  for (const v of VALUES) assert.ok(!m.text.includes(v), 'no secret value in metrics');
});

test('a periodic refresh with unchanged data writes no Secret and only refreshTime; a pass with nothing due writes nothing', async () => {
  await createEs(env.c, NS, 'tick', { ...spec({ name: 'tick' }), refreshInterval: '2s' });
  const first = await waitSynced(env, NS, 'tick');
  await waitSecret(env, NS, 'tick');
  const secretWrites = () => writesTo(new RegExp(`^/api/v1/namespaces/${NS}/secrets/?(tick)?$`));
  const statusWrites = () => writesTo(new RegExp(`^/apis/external-secrets.io/v1/namespaces/${NS}/externalsecrets/tick/status$`));
  const s0 = secretWrites(); const st0 = statusWrites();
  const secretRv = (await getSecret(env.c, NS, 'tick'))!.metadata.resourceVersion;
  // Two periodic refreshes (2s ±10 %).
  let last = first.status!.refreshTime!;
  for (let i = 0; i < 2; i++) {
    const next = await waitFor('periodic refresh', async () => { const t = (await getEs(env.c, NS, 'tick')).status?.refreshTime; return t && t > last ? t : undefined; }, 15_000, env.ctl.logs);
    last = next;
  }
  assert.equal((await getSecret(env.c, NS, 'tick'))!.metadata.resourceVersion, secretRv, 'Secret untouched');
  assert.equal(secretWrites() - s0, 0, 'no Secret writes on a refresh with unchanged data');
  const refreshStatusWrites = statusWrites() - st0;
  assert.ok(refreshStatusWrites >= 2 && refreshStatusWrites <= 3, `one status write (refreshTime) per refresh, got ${refreshStatusWrites}`);

  // A pass with nothing due (every ExternalSecret requeued by an informer relist) writes nothing.
  await createEs(env.c, NS, 'idle', spec({ name: 'idle' }));
  const idle = await waitSynced(env, NS, 'idle');
  const calls = async () => (await scrape()).get('externalsecret_sync_calls_total', { name: 'idle', namespace: NS }) ?? 0;
  const c0 = await calls();
  const w0 = writesTo(/\/namespaces\/life\/(secrets\/idle|externalsecrets\/idle)/);
  env.cluster.server.hooks.compact();
  await waitFor('a relist pass for idle', async () => (await calls()) > c0, 30_000, env.ctl.logs);
  assert.equal(writesTo(/\/namespaces\/life\/(secrets\/idle|externalsecrets\/idle)/) - w0, 0, '0 Secret writes and 0 status writes');
  assert.equal((await getEs(env.c, NS, 'idle')).metadata.resourceVersion, idle.metadata.resourceVersion);
});

/** Waits until the wall clock is in a later second than `iso` (status times have second precision). */
const nextSecond = (iso: string) => waitFor('next second', () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') > iso || undefined, 5_000);

test('Argo CD (refreshPolicy OnChange): lastTransitionTime moves only when Ready flips; refreshTime is each successful sync', async () => {
  await createEs(env.c, NS, 'argo', { ...spec({ name: 'argo' }), refreshPolicy: 'OnChange' });
  const a = await waitSynced(env, NS, 'argo');
  const r0 = readyOf(a)!;
  const t0 = a.status!.refreshTime!;
  assert.match(r0.lastTransitionTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.match(t0, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.ok(r0.lastTransitionTime >= t0, 'the condition is set after the sync started (ESO: metav1.Now() vs refreshTime=start)');

  // A forced sync that stays Ready: refreshTime advances, lastTransitionTime does not.
  await nextSecond(r0.lastTransitionTime);
  await forceSync(env.c, NS, 'argo');
  const b = await waitEs(env, NS, 'argo', (_r, es) => (es.status?.refreshTime ?? '') > t0, 'refreshTime advanced');
  assert.equal(readyOf(b)!.lastTransitionTime, r0.lastTransitionTime, 'no flip, no transition');
  assert.equal(readyOf(b)!.status, 'True');

  // A failing spec: Ready flips to False (new lastTransitionTime), refreshTime stays at the last success.
  await nextSecond(b.status!.refreshTime!);
  await patchEs(env.c, NS, 'argo', { spec: { data: one('/nope') } });
  const c = await waitEs(env, NS, 'argo', (r) => r.status === 'False', 'Ready=False');
  assert.ok(readyOf(c)!.lastTransitionTime > r0.lastTransitionTime, 'flip recorded');
  assert.equal(c.status!.refreshTime, b.status!.refreshTime, 'a failure does not move refreshTime');

  // Fixed: flips back to True; both move, and lastTransitionTime >= refreshTime again.
  await nextSecond(readyOf(c)!.lastTransitionTime);
  await patchEs(env.c, NS, 'argo', { spec: { data: one('/pw') } });
  const d = await waitSynced(env, NS, 'argo');
  assert.ok(readyOf(d)!.lastTransitionTime > readyOf(c)!.lastTransitionTime);
  assert.ok(d.status!.refreshTime! > b.status!.refreshTime!);
  assert.ok(readyOf(d)!.lastTransitionTime >= d.status!.refreshTime!);
});

test('--provider-qps: reads of one store are spaced by its token bucket', async () => {
  const keys = Array.from({ length: 30 }, (_, i) => `/r${i}`);
  await createStore(env.c, NS, 'ratefake', { fake: { data: keys.map((key) => ({ key, value: `x${key}` })) } });
  const t0 = Date.now();
  await createEs(env.c, NS, 'rated', { ...spec({ name: 'rated' }), secretStoreRef: { name: 'ratefake', kind: 'SecretStore' }, data: keys.map((key, i) => ({ secretKey: `k${i}`, remoteRef: { key } })) });
  const s = await waitSecret(env, NS, 'rated');
  const elapsed = Date.now() - t0;
  assert.equal(Object.keys(s.data ?? {}).length, 30);
  assert.ok(elapsed >= 1400, `30 reads at 20/s with burst 1 take ≥ 1.45 s, took ${elapsed} ms`);
  assert.equal((await scrape()).get('cloak_provider_requests_total', { store: `SecretStore/${NS}/ratefake`, op: 'get' }), 30);
});
