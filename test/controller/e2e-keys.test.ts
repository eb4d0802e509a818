// Keys: Bitnami keys imported from a backup unseal the interop cases; rotation requests, retirement and
// key Secrets added or removed by hand take effect without a restart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import {
  decoded, ensureNamespace, fetchCert, getOrUndefined, seal, secretPath, ssPath, startCluster, startController, synced, waitFor,
  type Cluster, type ControllerProc,
} from '../support/controller/harness.js';
import { interopBackupText, interopCases } from '../support/controller/interop.js';
import { generateSealingKey, readCertificate } from '../../src/crypto/index.js';
import { keySecretManifest } from '../../src/sealed/index.js';
import type { Json } from '../../controller/kube/index.js';

let cluster: Cluster;
let ctl: ControllerProc;
const KEY_SELECTOR = 'sealedsecrets.bitnami.com/sealed-secrets-key=active';

type KeyList = { keys: Array<{ name: string; fingerprint: string; newest: boolean; sealedSecrets: number; active: boolean; created: string; notAfter: string; rotateRequest?: string }> };
const listKeys = async () => (await (await fetch(`${ctl.api}/v1/keys`)).json()) as KeyList;

before(async () => {
  cluster = await startCluster();
  const backup = parse(interopBackupText()) as { items: Json[] };
  for (const item of backup.items) {
    const meta = item.metadata as Record<string, unknown>;
    for (const f of ['resourceVersion', 'uid', 'creationTimestamp']) delete meta[f];
    await cluster.client.request('POST', secretPath('kube-system'), { body: { ...item, metadata: { ...meta, namespace: 'kube-system' } } });
  }
  ctl = await startController(cluster, ['--key-renew-period=0']);
  await waitFor('ready', async () => (await fetch(`${ctl.api}/readyz`)).status === 200, 30_000, ctl.logs);
});

after(async () => {
  await ctl?.stop();
  await cluster?.close();
});

test('imported Bitnami keys are used as they are: no new key, every interop case unseals or fails as expected', async () => {
  const keys = await cluster.client.request<{ items: Json[] }>('GET', secretPath('kube-system'), { query: { labelSelector: KEY_SELECTOR } });
  assert.equal(keys.items.length, 2, 'no key generated when keys exist');
  const cases = interopCases();
  for (const c of cases) {
    const m = c.sealed.metadata as { namespace: string };
    await ensureNamespace(cluster.client, m.namespace);
    await cluster.client.request('POST', ssPath(m.namespace), { body: c.sealed });
  }
  for (const c of cases) {
    const m = c.sealed.metadata as { namespace: string; name: string };
    if (c.expect.error) {
      const s = await waitFor(`${c.name} fails`, async () => { const x = synced(await getOrUndefined(cluster.client, ssPath(m.namespace, m.name))); return x?.status === 'False' ? x : undefined; }, 30_000, ctl.logs);
      assert.match(s.message ?? '', new RegExp(c.expect.error), c.name);
      assert.equal(await getOrUndefined(cluster.client, secretPath(m.namespace, m.name)), undefined, c.name);
      continue;
    }
    const want = c.expect.secret!;
    const secret = await waitFor(`${c.name} Secret`, () => getOrUndefined(cluster.client, secretPath(want.namespace, want.name)), 30_000, ctl.logs);
    assert.deepEqual(secret.data, want.data, c.name);
    assert.equal(secret.type, want.type, c.name);
    if (want.immutable !== null) assert.equal(secret.immutable, want.immutable, c.name);
    const meta = secret.metadata as { labels?: Record<string, string>; annotations?: Record<string, string> };
    for (const [k, v] of Object.entries(want.labels)) assert.equal(meta.labels?.[k], v, `${c.name} label ${k}`);
    for (const [k, v] of Object.entries(want.annotations)) assert.equal(meta.annotations?.[k], v, `${c.name} annotation ${k}`);
  }
});

test('/v1/keys counts the SealedSecrets each key unseals; a rotate request on a key Secret makes exactly one new newest key', async () => {
  const before = await listKeys();
  assert.equal(before.keys.length, 2);
  const total = before.keys.reduce((s, k) => s + k.sealedSecrets, 0);
  assert.ok(before.keys.every((k) => k.sealedSecrets > 0), 'both interop keys are in use');
  assert.ok(total >= 8);
  const anchor = before.keys.find((k) => k.newest)!;
  const id = 'req-1';
  await cluster.client.request('PATCH', secretPath('kube-system', anchor.name), {
    body: { metadata: { annotations: { 'cloak.dev/rotate-request': id } } }, contentType: 'application/merge-patch+json',
  });
  const made = await waitFor('the requested key', async () => (await listKeys()).keys.find((k) => k.rotateRequest === id), 60_000, ctl.logs);
  assert.match(made.name, /^sealed-secrets-key/);
  assert.ok(made.newest);
  assert.equal((await fetchCert(ctl.api)).fingerprint, made.fingerprint, 'cert.pem serves the new key immediately');
  const cleared = await waitFor('the request annotation to be cleared', async () => {
    const s = await cluster.client.request<Json>('GET', secretPath('kube-system', anchor.name));
    const ann = (s.metadata as { annotations?: Record<string, string> }).annotations ?? {};
    return ann['cloak.dev/rotate-request'] === undefined ? s : undefined;
  }, 30_000, ctl.logs);
  assert.ok(cleared);
  const secret = await cluster.client.request<Json>('GET', secretPath('kube-system', made.name));
  assert.equal((secret.metadata as { labels: Record<string, string> }).labels['sealedsecrets.bitnami.com/sealed-secrets-key'], 'active');
  assert.equal((secret.metadata as { annotations: Record<string, string> }).annotations['cloak.dev/rotate-request-handled'], id);

  // The same request seen again (a stale annotation, a restart) makes no second key.
  await cluster.client.request('PATCH', secretPath('kube-system', anchor.name), {
    body: { metadata: { annotations: { 'cloak.dev/rotate-request': id } } }, contentType: 'application/merge-patch+json',
  });
  await new Promise((r) => setTimeout(r, 1500));
  const after = await listKeys();
  assert.equal(after.keys.length, 3);
  assert.deepEqual(after.keys.filter((k) => k.newest).map((k) => k.fingerprint), [made.fingerprint]);
  const metrics = await (await fetch(`${ctl.metrics}/metrics`)).text();
  assert.match(metrics, /^cloak_sealing_keys 3$/m);
  assert.match(metrics, /^cloak_sealing_key_newest_age_seconds \d+$/m);
  assert.equal(metrics.match(/^cloak_sealing_key_cert_expiry_timestamp_seconds\{/gm)?.length, 3);
});

test('the HTTP API cannot change keys: rotate and retire exist only as Kubernetes API changes', async () => {
  const keys = await listKeys();
  for (const path of ['/v1/keys/rotate', '/v1/keys/retire']) {
    assert.equal((await fetch(`${ctl.api}${path}`, { method: 'POST', body: JSON.stringify({ fingerprint: keys.keys[0]!.fingerprint, force: true }) })).status, 404, path);
  }
  assert.equal((await fetch(`${ctl.api}/v1/keys`, { method: 'POST', body: '{}' })).status, 405);
  assert.equal((await listKeys()).keys.length, keys.keys.length);
});

test('relabelling a key Secret retired stops its use at once; the Secret stays for backups', async () => {
  const keys = await listKeys();
  const old = keys.keys.find((k) => !k.newest && k.sealedSecrets > 0)!;
  await cluster.client.request('PATCH', secretPath('kube-system', old.name), {
    body: { metadata: { labels: { 'sealedsecrets.bitnami.com/sealed-secrets-key': 'retired' } } }, contentType: 'application/merge-patch+json',
  });
  await waitFor('the key to be dropped', async () => !(await listKeys()).keys.some((k) => k.fingerprint === old.fingerprint), 30_000, ctl.logs);
  const secret = await cluster.client.request<Json>('GET', secretPath('kube-system', old.name));
  assert.equal((secret.metadata as { labels: Record<string, string> }).labels['sealedsecrets.bitnami.com/sealed-secrets-key'], 'retired');
});

test('a key Secret added by hand is used without a restart and failed SealedSecrets are retried; removing it takes effect too', async () => {
  const foreign = await generateSealingKey({ bits: 2048 });
  await ensureNamespace(cluster.client, 'late');
  await cluster.client.request('POST', ssPath('late'), { body: seal(readCertificate(foreign.certPem, 'foreign'), { name: 'waits', namespace: 'late', data: { x: 'y' } }) });
  await waitFor('fails first', async () => synced(await getOrUndefined(cluster.client, ssPath('late', 'waits')))?.status === 'False', 30_000, ctl.logs);
  const created = await cluster.client.request<Json>('POST', secretPath('kube-system'), { body: keySecretManifest({ namespace: 'kube-system', generateName: 'byo-', keyPem: foreign.keyPem, certPem: foreign.certPem }) });
  await waitFor('Secret after key added', async () => decoded(await getOrUndefined(cluster.client, secretPath('late', 'waits'))).x === 'y', 30_000, ctl.logs);
  assert.equal(synced(await waitFor('synced', async () => { const s = await getOrUndefined(cluster.client, ssPath('late', 'waits')); return synced(s)?.status === 'True' ? s : undefined; }))?.status, 'True');
  assert.ok((await listKeys()).keys.some((k) => k.fingerprint === foreign.fingerprint));
  await cluster.client.request('DELETE', secretPath('kube-system', (created.metadata as { name: string }).name));
  await waitFor('key gone', async () => !(await listKeys()).keys.some((k) => k.fingerprint === foreign.fingerprint));
});
