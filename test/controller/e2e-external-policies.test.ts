// creationPolicy (Owner, Orphan, Merge, None), refreshPolicy (Periodic, OnChange, CreatedOnce,
// refreshInterval 0) and target.immutable through the real cloak-controller, with outcomes a user
// sees: which Secrets exist, their bytes and owners, the Ready condition and its timestamps. The
// remote value changes once (the fake store's data is edited); a Periodic ExternalSecret on the same
// store is the clock: once it has refreshed twice after the change, the others had every chance to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createEs, createSecret, createStore, type ExternalEnv, forceSync, getEs, getSecret, namespaces, readyOf, secretPath,
  startExternalEnv, textOf, updateStore, waitEs, waitFailed, waitFor, waitSecret, waitSynced,
} from '../support/controller/external-harness.js';

const NS = 'policies';
const fake = (value: string) => ({ fake: { data: [{ key: 'k', value }] } });
const data = [{ secretKey: 'k', remoteRef: { key: 'k' } }];
const ref = { name: 'fake', kind: 'SecretStore' };

/** Resolves once the Periodic `clock` ExternalSecret has completed two more syncs. */
async function twoTicks(env: ExternalEnv): Promise<void> {
  for (let i = 0; i < 2; i++) {
    const t0 = (await getEs(env.c, NS, 'clock')).status?.refreshTime;
    await waitEs(env, NS, 'clock', (r, es) => r.status === 'True' && es.status?.refreshTime !== t0, 'next periodic refresh', 15_000);
  }
}

test('creation and refresh policies and immutable targets, as ESO behaves', async () => {
  const env = await startExternalEnv({ rbac: true });
  try {
    const { c } = env;
    await namespaces(c, NS);
    await createStore(c, NS, 'fake', fake('v1'));
    await createSecret(c, NS, 'merged', { keep: 'me' });
    // plain Secrets (no managed label) already named as Owner / Orphan targets: adopted / updated
    await createSecret(c, NS, 'plain-owner', { k: 'old' });
    await createSecret(c, NS, 'plain-orphan', { k: 'old' });

    await createEs(c, NS, 'clock', { refreshInterval: '1s', secretStoreRef: ref, data });
    await createEs(c, NS, 'onchange', { refreshPolicy: 'OnChange', refreshInterval: '1s', secretStoreRef: ref, data });
    await createEs(c, NS, 'once', { refreshPolicy: 'CreatedOnce', refreshInterval: '1s', secretStoreRef: ref, data });
    await createEs(c, NS, 'zero', { refreshInterval: '0', secretStoreRef: ref, data });
    await createEs(c, NS, 'orphan', { refreshInterval: '1h', secretStoreRef: ref, target: { creationPolicy: 'Orphan' }, data });
    await createEs(c, NS, 'merge', { refreshInterval: '1s', secretStoreRef: ref, target: { name: 'merged', creationPolicy: 'Merge' }, data });
    await createEs(c, NS, 'none', { refreshInterval: '1h', secretStoreRef: ref, target: { creationPolicy: 'None' }, data });
    await createEs(c, NS, 'immutable', { refreshInterval: '1s', secretStoreRef: ref, target: { immutable: true }, data });
    await createEs(c, NS, 'owner-a', { refreshInterval: '1h', secretStoreRef: ref, target: { name: 'shared' }, data });
    await createEs(c, NS, 'adopt', { refreshInterval: '1h', secretStoreRef: ref, target: { name: 'plain-owner' }, data });
    await createEs(c, NS, 'adopt-orphan', { refreshInterval: '1h', secretStoreRef: ref, target: { name: 'plain-orphan', creationPolicy: 'Orphan' }, data });
    const all = ['clock', 'onchange', 'once', 'zero', 'orphan', 'merge', 'none', 'immutable', 'owner-a', 'adopt', 'adopt-orphan'];
    await Promise.all(all.map((n) => waitSynced(env, NS, n)));

    for (const n of ['clock', 'onchange', 'once', 'zero', 'orphan', 'immutable', 'shared', 'plain-owner', 'plain-orphan']) {
      assert.deepEqual(textOf(await getSecret(c, NS, n)), { k: 'v1' }, n);
    }
    // Owner (default) sets the controller ownerReference; Orphan and Merge do not.
    const esA = await getEs(c, NS, 'owner-a');
    assert.deepEqual((await getSecret(c, NS, 'shared'))!.metadata.ownerReferences, [{ apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', name: 'owner-a', uid: esA.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    assert.equal((await getSecret(c, NS, 'orphan'))!.metadata.ownerReferences, undefined, 'Orphan: no ownerReference');
    // an unowned Secret that existed before is adopted by Owner, updated without owner by Orphan
    const adopter = await getEs(c, NS, 'adopt');
    const adopted = (await getSecret(c, NS, 'plain-owner'))!;
    assert.deepEqual(adopted.metadata.ownerReferences?.map((r) => [r.kind, r.name, r.uid, r.controller]), [['ExternalSecret', 'adopt', adopter.metadata.uid, true]]);
    assert.equal(adopted.metadata.labels?.['reconcile.external-secrets.io/managed'], 'true');
    assert.equal((await getSecret(c, NS, 'plain-orphan'))!.metadata.ownerReferences, undefined, 'Orphan adopts no Secret');
    // Merge: the existing Secret keeps its own keys and gains the managed ones, no owner.
    const merged = await getSecret(c, NS, 'merged');
    assert.deepEqual(textOf(merged), { keep: 'me', k: 'v1' });
    assert.equal(merged!.metadata.ownerReferences, undefined);
    assert.equal(merged!.metadata.labels?.['reconcile.external-secrets.io/managed'], 'true');
    // None: fetched, nothing written, Ready=True.
    assert.equal(await getSecret(c, NS, 'none'), undefined, 'None writes no Secret');
    assert.equal(readyOf(await getEs(c, NS, 'none'))!.message, 'secret synced');
    // immutable
    assert.equal((await getSecret(c, NS, 'immutable'))!.immutable, true);

    // Owner: a Secret controlled by another ExternalSecret is refused and left alone.
    await createEs(c, NS, 'owner-b', { refreshInterval: '1h', secretStoreRef: { name: 'fake', kind: 'SecretStore' }, target: { name: 'shared' }, data: [{ secretKey: 'other', remoteRef: { key: 'k' } }] });
    const refused = await waitFailed(env, NS, 'owner-b', /owned/);
    assert.equal(refused.reason, 'SecretSyncedError');
    assert.equal(refused.message, 'target is owned by another ExternalSecret');
    assert.deepEqual(textOf(await getSecret(c, NS, 'shared')), { k: 'v1' });

    // OnChange as Argo CD reads it: Ready with lastTransitionTime, and refreshTime, both RFC 3339 seconds.
    const oc = await getEs(c, NS, 'onchange');
    const ocReady = readyOf(oc)!;
    assert.match(ocReady.lastTransitionTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.match(oc.status!.refreshTime!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    // Orphan: drift is not repaired (isSecretValid is always true for Orphan) until a refresh is due.
    await c.request('PATCH', secretPath(NS, 'orphan'), { body: { data: { k: Buffer.from('edited').toString('base64') } }, contentType: 'application/merge-patch+json' });

    // The remote value changes.
    await updateStore(c, NS, 'fake', fake('v2'));
    await waitSecret(env, NS, 'clock', (s) => textOf(s).k === 'v2', 'Periodic picks up v2');
    await waitSecret(env, NS, 'merged', (s) => textOf(s).k === 'v2', 'Merge target updated');
    assert.deepEqual(textOf(await getSecret(c, NS, 'merged')), { keep: 'me', k: 'v2' });
    const stuck = await waitFailed(env, NS, 'immutable', /immutable/);
    assert.equal(stuck.reason, 'SecretSyncedError');
    assert.equal(stuck.message, 'could not update secret, target is immutable');
    await twoTicks(env);
    assert.deepEqual(textOf(await getSecret(c, NS, 'onchange')), { k: 'v1' }, 'OnChange: no periodic refresh');
    assert.deepEqual(textOf(await getSecret(c, NS, 'once')), { k: 'v1' }, 'CreatedOnce: no periodic refresh');
    assert.deepEqual(textOf(await getSecret(c, NS, 'zero')), { k: 'v1' }, 'refreshInterval 0: synced once');
    assert.deepEqual(textOf(await getSecret(c, NS, 'orphan')), { k: 'edited' }, 'Orphan: drift kept until the next refresh');
    assert.deepEqual(textOf(await getSecret(c, NS, 'immutable')), { k: 'v1' }, 'immutable data unchanged');
    assert.equal(await getSecret(c, NS, 'none'), undefined);

    // A metadata change: OnChange and Orphan refresh; CreatedOnce and interval 0 do not (ESO: force-sync
    // does not work with refreshInterval 0).
    for (const n of ['onchange', 'once', 'zero', 'orphan']) await forceSync(c, NS, n);
    await waitSecret(env, NS, 'onchange', (s) => textOf(s).k === 'v2', 'OnChange refreshed on a metadata change');
    await waitSecret(env, NS, 'orphan', (s) => textOf(s).k === 'v2', 'Orphan refreshed on a metadata change');
    await twoTicks(env);
    assert.deepEqual(textOf(await getSecret(c, NS, 'once')), { k: 'v1' }, 'CreatedOnce ignores metadata changes');
    assert.deepEqual(textOf(await getSecret(c, NS, 'zero')), { k: 'v1' }, 'refreshInterval 0 ignores metadata changes');
    // OnChange refreshed: refreshTime moved, lastTransitionTime did not (Ready stayed True).
    const oc2 = await waitSynced(env, NS, 'onchange');
    assert.notEqual(oc2.status!.refreshTime, undefined);
    assert.ok(Date.parse(oc2.status!.refreshTime!) >= Date.parse(oc.status!.refreshTime!));
    assert.equal(readyOf(oc2)!.lastTransitionTime, ocReady.lastTransitionTime);

    // A deleted target is recreated, with what the provider has now, even for CreatedOnce and interval 0.
    for (const n of ['once', 'zero']) await c.request('DELETE', secretPath(NS, n));
    for (const n of ['once', 'zero']) await waitSecret(env, NS, n, (s) => textOf(s).k === 'v2', 'recreated with the current value');

    // The refused ExternalSecret never touched the other's Secret; None still wrote nothing.
    assert.deepEqual(Object.keys(textOf(await getSecret(c, NS, 'shared'))), ['k']);
    await waitFor('None stays without a Secret', async () => (await getSecret(c, NS, 'none')) === undefined);
  } finally {
    await env.close();
  }
});
