// ESO's store gates through the real cloak-controller against the test API server (fake provider):
// --controller-class (a store naming another controller keeps no status from us and its
// ExternalSecrets are skipped; a controller started with that class takes them) and the flood gate
// (a store that is not Ready blocks its ExternalSecrets with ESO's message while the Secret keeps its
// last good data, even though the provider would answer; fixing the store syncs them at once, well
// under their backoff; --enable-flood-gate=false syncs from a not-ready store).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Json, KubeClient } from '../../controller/kube/index.js';
import { startController } from '../support/controller/harness.js';
import {
  createEs, esPath, eventsFor, forceSync, getEs, getOrUndefined, getSecret, leakedIn, namespaces, readyOf, startExternalEnv,
  storePath, textOf, updateStore, waitEs, waitFor, waitSecret, waitSynced, type ExternalEnv,
} from '../support/controller/external-harness.js';

const fake = (value: string, extra: Record<string, unknown> = {}) => ({ fake: { data: [{ key: 'k', value }], ...extra } });

async function createStore(c: KubeClient, ns: string, name: string, value: string, controller?: string): Promise<void> {
  await c.request('POST', storePath(ns), { body: {
    apiVersion: 'external-secrets.io/v1', kind: 'SecretStore', metadata: { name, namespace: ns },
    spec: { ...(controller !== undefined ? { controller } : {}), provider: fake(value) },
  } });
}

const esSpec = (store: string, extra: Record<string, unknown> = {}) =>
  ({ refreshInterval: '1h', secretStoreRef: { name: store, kind: 'SecretStore' }, data: [{ secretKey: 'value', remoteRef: { key: 'k' } }], ...extra });

const storeReady = async (env: ExternalEnv, ns: string, name: string) =>
  readyOf((await getOrUndefined(env.c, storePath(ns, name))) as Json | undefined);

const waitStore = (env: ExternalEnv, ns: string, name: string, status: string) =>
  waitFor(`store ${ns}/${name} Ready=${status}`, async () => ((await storeReady(env, ns, name))?.status === status ? true : undefined), 30_000, env.ctl.logs);

test('--controller-class: stores of another class get no status and their ExternalSecrets are skipped; a controller of that class takes them', async () => {
  const ns = 'gates';
  // "theirs" and an ExternalSecret using it exist before the controller starts: its very first
  // passes (store caches possibly not listed yet) must skip it too.
  const env = await startExternalEnv({ args: ['--log-level=DEBUG'], beforeController: async (cluster) => {
    await namespaces(cluster.client, ns);
    await createStore(cluster.client, ns, 'theirs', 'class-value-theirs', 'other');
    await createEs(cluster.client, ns, 'b', esSpec('theirs'));
  } });
  let ctl = env.ctl;
  try {
    await createStore(env.c, ns, 'mine', 'class-value-mine');
    await createStore(env.c, ns, 'pinned', 'class-value-pinned', 'default');
    await createEs(env.c, ns, 'a', esSpec('mine'));
    await createEs(env.c, ns, 'c', esSpec('pinned'));
    // mixed: its own store is ours, but one entry reads from another controller's store → skipped as a whole (ESO)
    await createEs(env.c, ns, 'd', esSpec('mine', { data: [{ secretKey: 'value', remoteRef: { key: 'k' } }, { secretKey: 'x', remoteRef: { key: 'k' }, sourceRef: { storeRef: { name: 'theirs', kind: 'SecretStore' } } }] }));

    await waitSynced(env, ns, 'a');
    await waitSynced(env, ns, 'c');
    assert.equal(textOf(await getSecret(env.c, ns, 'a')).value, 'class-value-mine');
    assert.equal(textOf(await getSecret(env.c, ns, 'c')).value, 'class-value-pinned', 'spec.controller equal to our class is ours');
    for (const name of ['b', 'd']) {
      await waitFor(`ES ${name} skipped (debug log)`, async () => ctl.logs.some((l) => l.includes('skipping ExternalSecret, uses unmanaged SecretStore') && l.includes(`${ns}/${name}`)) || undefined, 30_000, ctl.logs);
    }
    // the stores we own are validated; the other class's store keeps no status from us
    await waitStore(env, ns, 'mine', 'True');
    await waitStore(env, ns, 'pinned', 'True');
    await waitFor('skip store logged', async () => ctl.logs.some((l) => l.includes('skip store') && l.includes('SecretStore/gates/theirs')) || undefined, 30_000, ctl.logs);
    assert.equal(((await env.c.request<Json>('GET', storePath(ns, 'theirs'))).status), undefined, 'no status on another controller\'s store');
    for (const name of ['b', 'd']) {
      const es = await getEs(env.c, ns, name);
      assert.equal(es.status?.conditions, undefined, `ES ${name}: no status written (ESO skips it)`);
      assert.equal(await getSecret(env.c, ns, name), undefined, `ES ${name}: no Secret`);
      assert.deepEqual(await eventsFor(env.c, ns, name), [], `ES ${name}: no Events`);
    }
    const cBefore = await getEs(env.c, ns, 'c');

    // A controller with --controller-class=other: it takes "theirs" and the ExternalSecrets using it;
    // a store with an empty spec.controller ("mine") is everyone's; "pinned" (default) is left alone.
    await ctl.stop();
    ctl = await startController(env.cluster, ['--concurrent=4', '--controller-class=other', '--log-level=DEBUG']);
    const other = { ...env, ctl };
    await waitStore(other, ns, 'theirs', 'True');
    await waitSynced(other, ns, 'b');
    await waitSynced(other, ns, 'd');
    assert.equal(textOf(await getSecret(env.c, ns, 'b')).value, 'class-value-theirs');
    assert.deepEqual(textOf(await getSecret(env.c, ns, 'd')), { value: 'class-value-mine', x: 'class-value-theirs' });
    await forceSync(env.c, ns, 'c');
    await waitFor('ES c skipped by the other class', async () => ctl.logs.some((l) => l.includes('skipping ExternalSecret, uses unmanaged SecretStore') && l.includes(`${ns}/c`)) || undefined, 30_000, ctl.logs);
    const cAfter = await getEs(env.c, ns, 'c');
    assert.deepEqual(cAfter.status, cBefore.status, 'ES c: status untouched by a controller of another class');
    assert.equal(leakedIn(ctl.logs, ['class-value-mine', 'class-value-theirs', 'class-value-pinned']), undefined);
  } finally {
    await ctl.stop().catch(() => undefined);
    await env.cluster.close();
  }
});

test('flood gate: a store that is not Ready blocks its ExternalSecret with ESO\'s message and keeps the Secret; fixed, it syncs at once; --enable-flood-gate=false syncs anyway', async () => {
  // A long backoff: any retry that comes sooner than 20 s comes from the store watch.
  const env = await startExternalEnv({ args: ['--backoff-base=20s', '--backoff-max=5m'] });
  let ctl = env.ctl;
  try {
    const ns = 'flood';
    await namespaces(env.c, ns);
    // A new store and its ExternalSecret together: the store has no status until validated (not
    // ready for the gate); once it turns Ready the ExternalSecret is retried at once.
    const created = Date.now();
    await createStore(env.c, ns, 'fake', 'flood-value-one');
    await createEs(env.c, ns, 'app', esSpec('fake'));
    await waitSynced(env, ns, 'app', 15_000);
    assert.ok(Date.now() - created < 15_000);
    const good = await getSecret(env.c, ns, 'app');
    assert.equal(textOf(good).value, 'flood-value-one');

    // Break the store (ESO's fake validationResult 2 = Error) while its data changes: the provider
    // would serve the new value, but the gate refuses the not-ready store.
    await updateStore(env.c, ns, 'fake', fake('flood-value-two', { validationResult: 2 }));
    await waitStore(env, ns, 'fake', 'False');
    await forceSync(env.c, ns, 'app');
    const failed = await waitEs(env, ns, 'app', (r) => r.status === 'False', 'Ready=False (flood gate)');
    const r = readyOf(failed)!;
    assert.equal(r.reason, 'SecretSyncedError');
    assert.match(r.message, /^could not get secret data from provider: .*SecretStore "fake" is not ready \(InvalidProviderConfig: unable to validate store: unable to validate\)$/);
    const kept = await getSecret(env.c, ns, 'app');
    assert.equal(kept?.metadata.resourceVersion, good?.metadata.resourceVersion, 'the Secret is not rewritten');
    assert.equal(textOf(kept).value, 'flood-value-one', 'the last good data is kept');
    const ev = await waitFor('UpdateFailed event', async () => (await eventsFor(env.c, ns, 'app')).find((e) => e.reason === 'UpdateFailed' && e.message.includes('SecretStore "fake" is not ready')), 10_000, ctl.logs);
    assert.equal(ev.type, 'Warning');

    // Fix the store: it validates at once (spec change), turns Ready, and the ExternalSecret is
    // retried at once instead of after its 20 s backoff.
    const fixedAt = Date.now();
    await updateStore(env.c, ns, 'fake', fake('flood-value-two'));
    await waitSecret(env, ns, 'app', (s) => textOf(s).value === 'flood-value-two', 'has the new value', 15_000);
    await waitSynced(env, ns, 'app', 15_000);
    assert.ok(Date.now() - fixedAt < 15_000, `synced ${Date.now() - fixedAt} ms after the fix (backoff is 20 s)`);

    // --enable-flood-gate=false: a not-ready store is used anyway.
    await ctl.stop();
    ctl = await startController(env.cluster, ['--concurrent=4', '--enable-flood-gate=false']);
    const ungated = { ...env, ctl };
    await updateStore(env.c, ns, 'fake', fake('flood-value-three', { validationResult: 2 }));
    await waitStore(ungated, ns, 'fake', 'False');
    await forceSync(env.c, ns, 'app');
    await waitSecret(ungated, ns, 'app', (s) => textOf(s).value === 'flood-value-three', 'synced from the not-ready store', 15_000);
    await waitSynced(ungated, ns, 'app', 15_000);
    assert.equal((await storeReady(ungated, ns, 'fake'))?.status, 'False');
    assert.equal(leakedIn([...env.ctl.logs, ...ctl.logs], ['flood-value-one', 'flood-value-two', 'flood-value-three']), undefined);
    assert.ok((await getOrUndefined(env.c, esPath(ns, 'app'))) !== undefined);
  } finally {
    await ctl.stop().catch(() => undefined);
    await env.cluster.close();
  }
});
