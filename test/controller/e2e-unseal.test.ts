// Bitnami's integration scenarios (reference §8) against the real controller process and the test server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  decoded, ensureNamespace, fetchCert, getOrUndefined, seal, secretPath, ssPath, startCluster, startController, synced, waitFor,
  type Cluster, type ControllerProc,
} from '../support/controller/harness.js';
import type { Json } from '../../controller/kube/index.js';

let cluster: Cluster;
let ctl: ControllerProc;
let cert: Awaited<ReturnType<typeof fetchCert>>;
const NS = 'e2e';

before(async () => {
  cluster = await startCluster();
  await ensureNamespace(cluster.client, NS);
  ctl = await startController(cluster, ['--resync-period=1s']);
  cert = await waitFor('the first key', () => fetchCert(ctl.api), 60_000, ctl.logs);
});

after(async () => {
  await ctl?.stop();
  await cluster?.close();
});

const apply = (o: Json) => cluster.client.request<Json>('POST', ssPath(NS), { body: o });
const getSecret = (name: string) => getOrUndefined(cluster.client, secretPath(NS, name));
const getSS = (name: string) => getOrUndefined(cluster.client, ssPath(NS, name));

async function events(name: string): Promise<Array<{ reason: string; type: string; message: string }>> {
  const list = await cluster.client.request<{ items: Array<{ reason: string; type: string; message: string; involvedObject: { name: string } }> }>('GET', `/api/v1/namespaces/${NS}/events`);
  return list.items.filter((e) => e.involvedObject.name === name);
}

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${ctl.metrics}/metrics`)).text();
  return text.split('\n').filter((l) => l.startsWith(name)).reduce((s, l) => s + Number(l.split(' ').pop()), 0);
}

test('key generated on first start in Bitnami format', async () => {
  const keys = await cluster.client.request<{ items: Json[] }>('GET', secretPath('kube-system'), { query: { labelSelector: 'sealedsecrets.bitnami.com/sealed-secrets-key=active' } });
  assert.equal(keys.items.length, 1);
  const k = keys.items[0] as { type: string; metadata: { name: string }; data: Record<string, string> };
  assert.equal(k.type, 'kubernetes.io/tls');
  assert.match(k.metadata.name, /^sealed-secrets-key[a-z0-9]{5}$/);
  assert.match(Buffer.from(k.data['tls.key'] as string, 'base64').toString(), /BEGIN RSA PRIVATE KEY/);
});

test('create: Secret with ownerReference, Synced True, observedGeneration 1, Unsealed event; update: observedGeneration 2, renamed and appended keys', async () => {
  const ss = seal(cert, { name: 'basic', namespace: NS, data: { foo: 'bar' }, labels: { app: 'x' } });
  const created = await apply(ss as unknown as Json);
  const secret = await waitFor('Secret basic', () => getSecret('basic'), 30_000, ctl.logs);
  assert.deepEqual(decoded(secret), { foo: 'bar' });
  const meta = secret.metadata as { labels: Record<string, string>; ownerReferences: Json[] };
  assert.equal(meta.labels.app, 'x');
  assert.deepEqual(meta.ownerReferences, [{ apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', name: 'basic', uid: (created.metadata as { uid: string }).uid, controller: true }]);
  await waitFor('Synced True', async () => { const s = synced(await getSS('basic')); return s?.status === 'True' && s.observedGeneration === 1; });
  await waitFor('Unsealed event', async () => (await events('basic')).some((e) => e.reason === 'Unsealed' && e.type === 'Normal'));

  const current = (await getSS('basic')) as { metadata: { resourceVersion: string }; spec: { encryptedData: Record<string, string> } };
  const next = seal(cert, { name: 'basic', namespace: NS, data: { renamed: 'bar', extra: 'more' }, labels: { app: 'x' } });
  await cluster.client.request('PATCH', ssPath(NS, 'basic'), { body: { spec: { encryptedData: { ...next.spec.encryptedData, foo: null } } }, contentType: 'application/merge-patch+json' });
  await waitFor('updated Secret', async () => { const d = decoded(await getSecret('basic')); return d.renamed === 'bar' && d.extra === 'more' && d.foo === undefined; }, 30_000, ctl.logs);
  await waitFor('observedGeneration 2', async () => { const s = synced(await getSS('basic')); return s?.status === 'True' && s.observedGeneration === 2; });
  void current;
});

test('wrong key: no Secret, Synced False with the reason, ErrUnsealFailed event', async () => {
  const { interopKeys } = await import('../support/controller/interop.js');
  void interopKeys;
  const { generateSealingKey, readCertificate } = await import('../../src/crypto/index.js');
  const foreign = await generateSealingKey({ bits: 2048 });
  const ss = seal(readCertificate(foreign.certPem, 'foreign'), { name: 'wrongkey', namespace: NS, data: { a: 'b' } });
  await apply(ss as unknown as Json);
  const s = await waitFor('Synced False', async () => { const x = synced(await getSS('wrongkey')); return x?.status === 'False' ? x : undefined; }, 30_000, ctl.logs);
  assert.match(s.message ?? '', /no key could decrypt secret \(a\)/);
  await waitFor('ErrUnsealFailed event', async () => (await events('wrongkey')).some((e) => e.reason === 'ErrUnsealFailed' && e.type === 'Warning'));
  assert.equal(await getSecret('wrongkey'), undefined);
});

test('wrong name, wrong namespace and scope tampering fail to unseal', async () => {
  const strict = seal(cert, { name: 'orig', namespace: NS, data: { a: 'b' } });
  const renamed = structuredClone(strict) as unknown as { metadata: { name: string } };
  renamed.metadata.name = 'renamed';
  await apply(renamed as unknown as Json);
  const widened = structuredClone(strict) as unknown as { metadata: { name: string; annotations: Record<string, string> } };
  widened.metadata.name = 'widened';
  widened.metadata.annotations = { 'sealedsecrets.bitnami.com/cluster-wide': 'true' };
  await apply(widened as unknown as Json);
  await ensureNamespace(cluster.client, 'other');
  const moved = structuredClone(strict) as unknown as { metadata: { namespace: string } };
  moved.metadata.namespace = 'other';
  await cluster.client.request('POST', ssPath('other'), { body: moved });
  for (const [ns, name] of [[NS, 'renamed'], [NS, 'widened'], ['other', 'orig']] as const) {
    const s = await waitFor(`${ns}/${name} fails`, async () => { const x = synced(await getOrUndefined(cluster.client, ssPath(ns, name))); return x?.status === 'False' ? x : undefined; });
    assert.match(s.message ?? '', /no key could decrypt/);
  }
  // Namespace-wide may be renamed; cluster-wide may move anywhere.
  const nsWide = seal(cert, { name: 'nsw', namespace: NS, data: { a: 'b' }, scope: 'namespace-wide' });
  (nsWide.metadata as { name: string }).name = 'nsw-renamed';
  await apply(nsWide as unknown as Json);
  await waitFor('namespace-wide renamed', async () => decoded(await getSecret('nsw-renamed')).a === 'b');
  const cw = seal(cert, { name: 'cw', namespace: NS, data: { a: 'c' }, scope: 'cluster-wide' });
  (cw.metadata as { namespace: string }).namespace = 'other';
  await cluster.client.request('POST', ssPath('other'), { body: cw });
  await waitFor('cluster-wide moved', async () => decoded(await getOrUndefined(cluster.client, secretPath('other', 'cw'))).a === 'c');
});

test('existing Secrets: unmanaged refused; managed overwritten; managed+patch and patch-only merged', async () => {
  const mk = (name: string, annotations: Record<string, string>) => cluster.client.request('POST', secretPath(NS), {
    body: { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: NS, annotations, labels: { mine: 'yes' } }, data: { keep: Buffer.from('k').toString('base64'), foo: Buffer.from('old').toString('base64') } },
  });
  await mk('unmanaged', {});
  await mk('managed', { 'sealedsecrets.bitnami.com/managed': 'true' });
  await mk('patched', { 'sealedsecrets.bitnami.com/managed': 'true', 'sealedsecrets.bitnami.com/patch': 'true' });
  await mk('patchonly', { 'sealedsecrets.bitnami.com/patch': 'true' });
  for (const name of ['unmanaged', 'managed', 'patched', 'patchonly']) await apply(seal(cert, { name, namespace: NS, data: { foo: 'new' } }) as unknown as Json);

  const s = await waitFor('unmanaged refused', async () => { const x = synced(await getSS('unmanaged')); return x?.status === 'False' ? x : undefined; });
  assert.match(s.message ?? '', /already exists and is not managed by SealedSecret/);
  assert.deepEqual(decoded(await getSecret('unmanaged')), { keep: 'k', foo: 'old' });
  await waitFor('ErrUpdateFailed', async () => (await events('unmanaged')).some((e) => e.reason === 'ErrUpdateFailed'));

  await waitFor('managed overwritten', async () => JSON.stringify(decoded(await getSecret('managed'))) === JSON.stringify({ foo: 'new' }));
  const managed = (await getSecret('managed')) as { metadata: { ownerReferences?: Json[]; labels?: unknown } };
  assert.equal(managed.metadata.ownerReferences?.length, 1);
  assert.equal(managed.metadata.labels, undefined);

  await waitFor('patched merged', async () => { const d = decoded(await getSecret('patched')); return d.foo === 'new' && d.keep === 'k'; });
  const patched = (await getSecret('patched')) as { metadata: { ownerReferences?: Json[]; labels?: Record<string, string> } };
  assert.equal(patched.metadata.ownerReferences?.length, 1);
  assert.equal(patched.metadata.labels?.mine, 'yes');

  await waitFor('patch-only merged', async () => { const d = decoded(await getSecret('patchonly')); return d.foo === 'new' && d.keep === 'k'; });
  assert.equal(((await getSecret('patchonly')) as { metadata: { ownerReferences?: Json[] } }).metadata.ownerReferences, undefined);
});

test('deleted Secrets are recreated and hand-edited Secrets restored (drift repair)', async () => {
  await apply(seal(cert, { name: 'drift', namespace: NS, data: { pw: 'right' } }) as unknown as Json);
  await waitFor('Secret drift', async () => decoded(await getSecret('drift')).pw === 'right');
  await cluster.client.request('DELETE', secretPath(NS, 'drift'));
  await waitFor('recreated', async () => decoded(await getSecret('drift')).pw === 'right', 30_000, ctl.logs);
  await cluster.client.request('PATCH', secretPath(NS, 'drift'), { body: { data: { pw: Buffer.from('hacked').toString('base64'), added: 'eA==' } }, contentType: 'application/merge-patch+json' });
  await waitFor('restored', async () => { const d = decoded(await getSecret('drift')); return d.pw === 'right' && d.added === undefined; }, 30_000, ctl.logs);
});

test('custom type, template metadata and immutable; an immutable Secret that must change reports ErrUpdateFailed', async () => {
  const docker = JSON.stringify({ auths: { 'r.example': { auth: 'eDp5' } } });
  await apply(seal(cert, { name: 'docker', namespace: NS, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': docker } }) as unknown as Json);
  const d = await waitFor('docker Secret', () => getSecret('docker'));
  assert.equal(d.type, 'kubernetes.io/dockerconfigjson');

  await apply(seal(cert, { name: 'frozen', namespace: NS, immutable: true, data: { v: '1' }, annotations: { 'example.com/a': 'b' } }) as unknown as Json);
  const f = await waitFor('immutable Secret', () => getSecret('frozen'));
  assert.equal(f.immutable, true);
  assert.equal((f.metadata as { annotations: Record<string, string> }).annotations['example.com/a'], 'b');
  const next = seal(cert, { name: 'frozen', namespace: NS, immutable: true, data: { v: '2' } });
  await cluster.client.request('PATCH', ssPath(NS, 'frozen'), { body: { spec: { encryptedData: next.spec.encryptedData } }, contentType: 'application/merge-patch+json' });
  const s = await waitFor('immutable error', async () => { const x = synced(await getSS('frozen')); return x?.status === 'False' ? x : undefined; }, 30_000, ctl.logs);
  assert.match(s.message ?? '', /immutable/);
  await waitFor('ErrUpdateFailed event', async () => (await events('frozen')).some((e) => e.reason === 'ErrUpdateFailed'));
  assert.equal(decoded(await getSecret('frozen')).v, '1');
});

test('a settled controller writes nothing on resync: no Secret writes, no status patches, no events', async () => {
  await apply(seal(cert, { name: 'quiet', namespace: NS, data: { q: 'q' } }) as unknown as Json);
  await waitFor('quiet synced', async () => synced(await getSS('quiet'))?.status === 'True');
  await new Promise((r) => setTimeout(r, 1500));
  const writes = await metric('cloak_sealedsecret_secret_writes_total');
  const evs = (await cluster.client.request<{ items: Json[] }>('GET', `/api/v1/namespaces/${NS}/events`)).items.length;
  const rv = ((await getSS('quiet'))?.metadata as { resourceVersion: string }).resourceVersion;
  const requests = await metric('sealed_secrets_controller_unseal_requests_total');
  await waitFor('two more resyncs', async () => (await metric('sealed_secrets_controller_unseal_requests_total')) > requests + 20);
  assert.equal(await metric('cloak_sealedsecret_secret_writes_total'), writes);
  assert.equal((await cluster.client.request<{ items: Json[] }>('GET', `/api/v1/namespaces/${NS}/events`)).items.length, evs);
  assert.equal(((await getSS('quiet'))?.metadata as { resourceVersion: string }).resourceVersion, rv);
});

test('kubectl wait --for=condition=Synced works against the status the controller writes', async () => {
  // Async: the API server runs in this process, so a blocking exec would deadlock it.
  const { execFile } = await import('node:child_process');
  const { promisify } = await import('node:util');
  const { kubectlPath } = await import('../support/kube/index.js');
  const { join } = await import('node:path');
  const run = promisify(execFile);
  const env = { ...process.env, KUBECONFIG: cluster.kubeconfig, KUBECACHEDIR: join(cluster.dir, 'kcache'), HOME: cluster.dir };
  await apply(seal(cert, { name: 'waited', namespace: NS, data: { w: 'w' } }) as unknown as Json);
  const waited = await run(kubectlPath(), ['wait', '--for=condition=Synced', '-n', NS, 'sealedsecret/waited', '--timeout=60s'], { env });
  assert.match(waited.stdout, /condition met/);
  const synced = await run(kubectlPath(), ['get', 'sealedsecret', 'waited', '-n', NS, '-o', 'jsonpath={.status.conditions[0].status}'], { env });
  assert.equal(synced.stdout, 'True');
});

test('spec.template.data is rendered with the decrypted values (Go templates, Sprig); a bad template fails with a reason', async () => {
  const ss = seal(cert, { name: 'templated', namespace: NS, data: { user: 'admin', pass: 'p"w' } }) as unknown as { spec: { template: { data?: Record<string, string> } } };
  ss.spec.template.data = { 'config.json': '{"user":"{{ .user | upper }}","pass":{{ .pass | toJson }}}' };
  await apply(ss as unknown as Json);
  const d = await waitFor('templated Secret', async () => { const x = decoded(await getSecret('templated')); return x['config.json'] ? x : undefined; }, 30_000, ctl.logs);
  assert.equal(d['config.json'], '{"user":"ADMIN","pass":"p\\"w"}');
  assert.equal(d.user, 'admin', 'encryptedData keys stay in the Secret (as in Bitnami)');
  const bad = seal(cert, { name: 'badtemplate', namespace: NS, data: { a: 'b' } }) as unknown as { spec: { template: { data?: Record<string, string> } } };
  bad.spec.template.data = { x: '{{ env "HOME" }}' };
  await apply(bad as unknown as Json);
  const s = await waitFor('template error', async () => { const x = synced(await getSS('badtemplate')); return x?.status === 'False' ? x : undefined; }, 30_000, ctl.logs);
  assert.match(s.message ?? '', /env/);
});

test('a catastrophic regular expression in a template does not stall the controller (Go answers in linear time, so must we)', async () => {
  const ss = seal(cert, { name: 'redos', namespace: NS, data: { v: `${'a'.repeat(40)}b` } }) as unknown as { spec: { template: { data?: Record<string, string> } } };
  ss.spec.template.data = { m: '{{ regexMatch "^(a+)+$" .v }}' };
  await apply(ss as unknown as Json);
  const d = await waitFor('the rendered Secret', async () => { const x = decoded(await getSecret('redos')); return x.m ? x : undefined; }, 30_000, ctl.logs);
  assert.equal(d.m, 'false');
  assert.equal((await fetch(`${ctl.api}/healthz`)).status, 200);
});

test('logs and events never carry a secret value or a private key', async () => {
  const canary = 'CANARY-plaintext-7f3a';
  await apply(seal(cert, { name: 'canary', namespace: NS, data: { pw: canary } }) as unknown as Json);
  const bad = seal(cert, { name: 'canary-bad', namespace: NS, data: { pw: canary } }) as unknown as { spec: { template: { data?: Record<string, string> } } };
  bad.spec.template.data = { x: '{{ fail .pw }}' };
  await apply(bad as unknown as Json);
  await waitFor('canary written', async () => decoded(await getSecret('canary')).pw === canary);
  const s = await waitFor('canary-bad fails', async () => { const x = synced(await getSS('canary-bad')); return x?.status === 'False' ? x : undefined; });
  const evs = (await cluster.client.request<{ items: Array<{ message: string }> }>('GET', `/api/v1/namespaces/${NS}/events`)).items;
  for (const text of [...ctl.logs, ...evs.map((e) => e.message), s.message ?? '']) {
    assert.ok(!text.includes('PRIVATE KEY'), 'no private key');
    // A template that prints a value on purpose (fail .pw) is the user's choice; everything else must be clean.
    if (!text.includes('fail')) assert.ok(!text.includes(canary), `value leaked: ${text.slice(0, 200)}`);
  }
});
