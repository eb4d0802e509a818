// Operations flags of the external half, through the real cloak-controller: --enable-sealed-secrets=false
// runs the External Secrets half alone (no key Secrets, no SealedSecret watch, /v1 answers 404 saying
// why, /readyz follows the external caches); both halves off fails at start with one line; and
// --provider-timeout bounds a provider that accepts connections and never answers, while other
// ExternalSecrets keep syncing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import {
  createEs, createSecret, createStore, esPath, forceSync, namespaces, readyOf, startExternalEnv, textOf, waitEs, waitSecret, waitSynced, getOrUndefined,
} from '../support/controller/external-harness.js';
import { CONTROLLER_MAIN, NODE, secretPath, startCluster, startController, waitFor } from '../support/controller/harness.js';
import type { Json } from '../../controller/kube/index.js';
import { startVaultServer } from '../support/vault/index.js';

const NS = 'ops';
const KEY_SELECTOR = 'sealedsecrets.bitnami.com/sealed-secrets-key';

test('--enable-sealed-secrets=false: only the external half runs', async () => {
  const env = await startExternalEnv({ args: ['--enable-sealed-secrets=false'] });
  try {
    await namespaces(env.c, NS);
    await createStore(env.c, NS, 'fake', { fake: { data: [{ key: '/db', value: 'ops-value' }] } });
    await createEs(env.c, NS, 'db', { refreshInterval: '1h', secretStoreRef: { name: 'fake', kind: 'SecretStore' }, data: [{ secretKey: 'pw', remoteRef: { key: '/db' } }] });
    await waitSynced(env, NS, 'db');
    assert.deepEqual(textOf(await waitSecret(env, NS, 'db')), { pw: 'ops-value' });

    const ready = await waitFor('/readyz 200', async () => ((await fetch(`${env.ctl.api}/readyz`)).status === 200 ? true : undefined), 15_000, env.ctl.logs);
    assert.equal(ready, true);
    for (const path of ['/v1/cert.pem', '/v1/keys']) {
      const res = await fetch(`${env.ctl.api}${path}`);
      assert.equal(res.status, 404, path);
      assert.match(await res.text(), /Sealed Secrets half is disabled on this controller \(--enable-sealed-secrets=false\)/);
    }
    const verify = await fetch(`${env.ctl.api}/v1/verify`, { method: 'POST', body: '{}' });
    assert.equal(verify.status, 404);

    const keys = await env.c.request<{ items: Json[] }>('GET', secretPath('kube-system'), { query: { labelSelector: KEY_SELECTOR } });
    assert.equal(keys.items.length, 0, 'no sealing key generated');
    const requests = env.cluster.server.hooks.requests.filter((r) => r.headers['user-agent']?.startsWith('cloak-controller'));
    assert.ok(requests.length > 0);
    assert.ok(!requests.some((r) => r.path.startsWith('/apis/bitnami.com/')), 'no SealedSecret informer');
    assert.ok(!requests.some((r) => r.path === secretPath('kube-system') && (r.query.labelSelector ?? '').includes(KEY_SELECTOR)), 'no key Secrets informer');
    const metrics = await (await fetch(`${env.ctl.metrics}/metrics`)).text();
    assert.match(metrics, /^cloak_leader 1$/m);
    assert.doesNotMatch(metrics, /^cloak_sealing_keys /m);
  } finally {
    await env.close();
  }
});

test('--enable-sealed-secrets=false without the external-secrets CRDs: /readyz is ready', async () => {
  const cluster = await startCluster();
  try {
    // Remove the ESO CRDs: the external half waits quietly for them and readiness does not.
    const crds = await cluster.client.request<{ items: Array<{ metadata: { name: string } }> }>('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions');
    for (const c of crds.items.filter((x) => x.metadata.name.endsWith('.external-secrets.io'))) {
      await cluster.client.request('DELETE', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${c.metadata.name}`);
    }
    await waitFor('external-secrets.io/v1 gone', async () => (await getOrUndefined(cluster.client, '/apis/external-secrets.io/v1')) === undefined);
    const ctl = await startController(cluster, ['--enable-sealed-secrets=false']);
    try {
      await waitFor('/readyz 200', async () => ((await fetch(`${ctl.api}/readyz`)).status === 200 ? true : undefined), 15_000, ctl.logs);
      assert.ok(ctl.logs.some((l) => l.includes('external-secrets.io/v1 is not served')));
    } finally {
      await ctl.stop();
    }
  } finally {
    await cluster.close();
  }
});

test('both halves disabled: the controller refuses to start with one line', async () => {
  const proc = spawn(NODE, [CONTROLLER_MAIN, '--enable-sealed-secrets=false', '--enable-external-secrets=false', '--kubeconfig=/nonexistent'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (c: Buffer) => { stderr += c.toString('utf8'); });
  const code = await new Promise<number | null>((r) => proc.once('exit', (c) => r(c)));
  assert.equal(code, 1);
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, stderr);
  assert.match(lines[0] as string, /^error: --enable-sealed-secrets=false and --enable-external-secrets=false leave nothing to run/);
});

test('--provider-timeout: a provider that never answers fails within seconds; other ExternalSecrets keep syncing', async () => {
  // A real Vault behind a proxy that accepts the KV reads and never answers them (a hung backend);
  // everything else (token lookup for store validation) goes through, so the store is Ready.
  const vault = await startVaultServer({ rootToken: 'root' });
  await vault.seed({ kv: { 'secret/app': { pw: 'hung-value' } } });
  const held: Array<net.Socket | http.ServerResponse> = [];
  const proxy = http.createServer((req, res) => {
    if ((req.url ?? '').startsWith('/v1/secret/data/')) { held.push(res); return; }
    const up = http.request(`${vault.url}${req.url ?? '/'}`, { method: req.method, headers: req.headers }, (r) => { res.writeHead(r.statusCode ?? 502, r.headers); r.pipe(res); });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  // And one that accepts connections and never answers anything (store validation hangs too).
  const hang = net.createServer((sock) => { held.push(sock); sock.on('error', () => undefined); });
  await Promise.all([proxy, hang].map((srv) => new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()))));
  const url = (srv: net.Server) => `http://127.0.0.1:${(srv.address() as net.AddressInfo).port}`;
  const env = await startExternalEnv({ args: ['--provider-timeout=1s', '--concurrent=2'] });
  try {
    await namespaces(env.c, NS);
    await createSecret(env.c, NS, 'vault-token', { token: 'root' });
    const vaultStore = (server: string) => ({ vault: { server, path: 'secret', version: 'v2', auth: { tokenSecretRef: { name: 'vault-token', key: 'token' } } } });
    await createStore(env.c, NS, 'slow-reads', vaultStore(url(proxy)));
    await createStore(env.c, NS, 'hung', vaultStore(url(hang)));
    await createStore(env.c, NS, 'fake', { fake: { data: [{ key: '/ok', value: 'v1' }] } });

    // Store validation is bounded by the flag: the hung store says why it is not Ready.
    const storeMsg = await waitFor('hung store Ready=False', async () => {
      const st = await getOrUndefined(env.c, `/apis/external-secrets.io/v1/namespaces/${NS}/secretstores/hung`);
      const cond = ((st?.status ?? {}) as { conditions?: Array<{ type: string; status: string; message?: string }> }).conditions?.find((x) => x.type === 'Ready');
      return cond?.status === 'False' ? cond.message ?? '' : undefined;
    }, 15_000, env.ctl.logs);
    assert.match(storeMsg, /Vault at http:\/\/127\.0\.0\.1:\d+ did not answer in time \(no complete answer within 1000ms\)/);
    await waitFor('slow-reads store Ready=True', async () => {
      const st = await getOrUndefined(env.c, `/apis/external-secrets.io/v1/namespaces/${NS}/secretstores/slow-reads`);
      return ((st?.status ?? {}) as { conditions?: Array<{ type: string; status: string }> }).conditions?.some((x) => x.type === 'Ready' && x.status === 'True') ? true : undefined;
    }, 15_000, env.ctl.logs);

    const started = Date.now();
    for (const n of ['slow-a', 'slow-b', 'slow-c']) {
      await createEs(env.c, NS, n, { refreshInterval: '1h', secretStoreRef: { name: 'slow-reads', kind: 'SecretStore' }, data: [{ secretKey: 'pw', remoteRef: { key: 'app', property: 'pw' } }] });
    }
    const failed = await waitEs(env, NS, 'slow-a', (r) => r.status === 'False', 'Ready=False', 15_000);
    const elapsed = Date.now() - started;
    const message = readyOf(failed)?.message ?? '';
    assert.match(message, /^could not get secret data from provider: .*Vault at http:\/\/127\.0\.0\.1:\d+ did not answer in time \(no complete answer within 1000ms\)/);
    assert.ok(elapsed < 10_000, `Ready=False after ${elapsed} ms`);
    assert.ok(!message.includes('hung-value'));

    // While those keep failing (and retrying), another ExternalSecret still syncs, and follows a change.
    await createEs(env.c, NS, 'ok', { refreshInterval: '1h', secretStoreRef: { name: 'fake', kind: 'SecretStore' }, data: [{ secretKey: 'v', remoteRef: { key: '/ok' } }] });
    const okStarted = Date.now();
    await waitSynced(env, NS, 'ok', 15_000);
    assert.ok(Date.now() - okStarted < 10_000);
    const store = await env.c.request<Json>('GET', `/apis/external-secrets.io/v1/namespaces/${NS}/secretstores/fake`);
    await env.c.request('PUT', `/apis/external-secrets.io/v1/namespaces/${NS}/secretstores/fake`, { body: { ...store, spec: { provider: { fake: { data: [{ key: '/ok', value: 'v2' }] } } } } });
    await forceSync(env.c, NS, 'ok');
    await waitSecret(env, NS, 'ok', (s) => textOf(s).v === 'v2', 'v=v2', 15_000);
    for (const n of ['slow-b', 'slow-c']) {
      const es = await waitEs(env, NS, n, (r) => r.status === 'False', 'Ready=False', 15_000);
      assert.match(readyOf(es)?.message ?? '', /did not answer in time/);
    }
    assert.equal(await getOrUndefined(env.c, secretPath(NS, 'slow-a')), undefined, 'no Secret for a failed read');
    assert.ok((await getOrUndefined(env.c, esPath(NS, 'slow-a'))) !== undefined);
  } finally {
    await env.close();
    for (const h of held) h.destroy();
    await Promise.all([proxy, hang].map((srv) => new Promise<void>((r) => { srv.close(() => r()); (srv as http.Server).closeAllConnections?.(); })));
    await vault.close();
  }
});
