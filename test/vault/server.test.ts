// The Vault test server itself: checked with python3-hvac (an independent client) and on the wire
// (LIST verb, envelopes and error bodies as real Vault sends them, TTL countdown, namespaces,
// kubernetes auth through the Kubernetes test server's TokenReview), plus the dev-vault CLI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startVaultServer, type VaultTestServer } from '../support/vault/index.js';
import { manualClock } from '../support/vault/clock.js';

const clock = manualClock();
let vault: VaultTestServer;
before(async () => { vault = await startVaultServer({ now: clock.now, rootToken: 'root-token' }); });
after(() => vault.close());

function raw(method: string, path: string, o: { token?: string; ns?: string; body?: unknown } = {}): Promise<{ status: number; body: any; text: string }> {
  const u = new URL(path, vault.url);
  const payload = o.body === undefined ? undefined : JSON.stringify(o.body);
  return new Promise((resolve, reject) => {
    const req = http.request(u, { method, headers: { ...(o.token ? { 'X-Vault-Token': o.token } : {}), ...(o.ns ? { 'X-Vault-Namespace': o.ns } : {}), ...(payload ? { 'Content-Type': 'application/json' } : {}) } }, (res) => {
      let text = '';
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode!, text, body: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

test('python3-hvac drives the server: KV v1/v2, policies, tokens, approle, userpass, namespaces, seal', async () => {
  const hv = await startVaultServer();
  try {
    const script = fileURLToPath(new URL('../../../test/vault/fixtures/hvac_conformance.py', import.meta.url));
    const out = await new Promise<string>((resolve, reject) => {
      execFile('/usr/bin/python3', [script, hv.url, hv.rootToken, hv.unsealKey], { env: { ...process.env, NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1' } }, (err, stdout, stderr) => {
        if (err) reject(new Error(`${stdout}\n${stderr}`)); else resolve(stdout);
      });
    });
    assert.match(out, /^done$/m);
    assert.ok(out.split('\n').filter((l) => l.startsWith('ok ')).length >= 28);
  } finally {
    await hv.close();
  }
});

test('wire format: envelope, 404/403/405 bodies, LIST verb and ?list=true, invalid v2 path warning', async () => {
  await vault.seed({ kv: { 'secret/a/b': { x: '1' } }, policies: { none: 'path "nothing/*" { capabilities = ["read"] }' }, tokens: { none: { policies: ['none'] } } });
  const r = await raw('GET', '/v1/secret/data/a/b', { token: 'root-token' });
  assert.equal(r.status, 200);
  assert.deepEqual(Object.keys(r.body), ['request_id', 'lease_id', 'renewable', 'lease_duration', 'data', 'wrap_info', 'warnings', 'auth', 'mount_type']);
  assert.deepEqual(r.body.data.data, { x: '1' });
  assert.deepEqual(Object.keys(r.body.data.metadata).sort(), ['created_time', 'custom_metadata', 'deletion_time', 'destroyed', 'version']);
  assert.equal(r.body.data.metadata.created_time, '2026-01-01T00:00:00Z');
  const missing = await raw('GET', '/v1/secret/data/nope', { token: 'root-token' });
  assert.equal(missing.status, 404);
  assert.equal(missing.text, '{"errors":[]}\n');
  const list = await raw('LIST', '/v1/secret/metadata/a', { token: 'root-token' });
  assert.deepEqual(list.body.data.keys, ['b']);
  assert.deepEqual((await raw('GET', '/v1/secret/metadata/?list=true', { token: 'root-token' })).body.data.keys, ['a/']);
  const v1style = await raw('GET', '/v1/secret/a/b', { token: 'root-token' });
  assert.equal(v1style.status, 404);
  assert.equal(v1style.body.data, null);
  assert.match(v1style.body.warnings[0], /Invalid path for a versioned K\/V secrets engine/);
  const noToken = await raw('GET', '/v1/secret/data/a/b');
  assert.equal(noToken.status, 403);
  assert.match(noToken.body.errors[0], /permission denied/);
  const tokens = (await vault.seed({})).tokens;
  assert.deepEqual(tokens, {});
  const weak = await raw('POST', '/v1/auth/token/create', { token: 'root-token', body: { policies: ['none'] } });
  const denied = await raw('GET', '/v1/secret/data/a/b', { token: weak.body.auth.client_token });
  assert.equal(denied.status, 403);
  assert.equal(denied.body.errors[0], '1 error occurred:\n\t* permission denied\n\n');
  const ui = await raw('GET', '/v1/sys/internal/ui/mounts/secret/a/b', { token: 'root-token' });
  assert.equal(ui.body.data.path, 'secret/');
  assert.deepEqual(ui.body.data.options, { version: '2' });
  assert.equal((await raw('PATCH', '/v1/sys/health', {})).status, 405);
});

test('TTL countdown on the injected clock, renewal capped by explicit_max_ttl, expiry gives 403', async () => {
  const created = await raw('POST', '/v1/auth/token/create', { token: 'root-token', body: { policies: ['default'], ttl: '1h', explicit_max_ttl: '90m' } });
  const t = created.body.auth.client_token as string;
  assert.match(t, /^hvs\.[A-Za-z0-9]{24}$/);
  assert.equal(created.body.auth.lease_duration, 3600);
  clock.advance(1000);
  assert.equal((await raw('GET', '/v1/auth/token/lookup-self', { token: t })).body.data.ttl, 2600);
  const renewed = await raw('POST', '/v1/auth/token/renew-self', { token: t, body: { increment: '2h' } });
  assert.equal(renewed.body.auth.lease_duration, 4400); // capped at creation + 90m
  assert.match(renewed.body.warnings[0], /exceeded the effective max_ttl/);
  clock.advance(4400);
  const dead = await raw('GET', '/v1/auth/token/lookup-self', { token: t });
  assert.equal(dead.status, 403);
  assert.match(dead.body.errors[0], /invalid token/);
});

test('sealed: 503 "Vault is sealed" on data paths; sys/health answers 503 without an envelope', async () => {
  vault.seal();
  try {
    const r = await raw('GET', '/v1/secret/data/a/b', { token: 'root-token' });
    assert.equal(r.status, 503);
    assert.equal(r.text, '{"errors":["Vault is sealed"]}\n');
    const h = await raw('GET', '/v1/sys/health');
    assert.equal(h.status, 503);
    assert.equal(h.body.sealed, true);
    assert.equal(h.body.request_id, undefined);
    assert.equal((await raw('GET', '/v1/sys/health?sealedcode=200')).status, 200);
  } finally {
    const u = await raw('PUT', '/v1/sys/unseal', { body: { key: vault.unsealKey } });
    assert.equal(u.body.sealed, false);
  }
});

test('namespaces: header and path prefix address the same secret; tokens do not reach parents', async () => {
  await vault.seed({ namespaces: ['org/team'] });
  await vault.seed({ namespace: 'org/team', mounts: { kv: { version: 2 } }, kv: { 'kv/x': { in: 'team' } }, policies: { p: 'path "kv/data/*" { capabilities = ["read"] }' } });
  assert.deepEqual((await raw('GET', '/v1/kv/data/x', { token: 'root-token', ns: 'org/team/' })).body.data.data, { in: 'team' });
  assert.deepEqual((await raw('GET', '/v1/team/kv/data/x', { token: 'root-token', ns: 'org' })).body.data.data, { in: 'team' });
  assert.deepEqual((await raw('GET', '/v1/org/team/kv/data/x', { token: 'root-token' })).body.data.data, { in: 'team' });
  const child = await raw('POST', '/v1/auth/token/create', { token: 'root-token', ns: 'org/team', body: { policies: ['p'] } });
  const t = child.body.auth.client_token;
  assert.equal((await raw('GET', '/v1/kv/data/x', { token: t, ns: 'org/team' })).status, 200);
  assert.equal((await raw('GET', '/v1/secret/data/a/b', { token: t })).status, 403);
  assert.equal((await raw('GET', '/v1/sys/namespaces?list=true', { token: 'root-token', ns: 'org' })).body.data.keys[0], 'team/');
});

test('kubernetes auth verifies the JWT with TokenReview on the Kubernetes test server', async () => {
  const { startKubeApiServer } = await import('../support/kube/index.js');
  const kube = await startKubeApiServer();
  try {
    kube.seed([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } },
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'external-secrets', namespace: 'apps' } },
    ] as never);
    const tr = await fetch(`${kube.url}/api/v1/namespaces/apps/serviceaccounts/external-secrets/token`, {
      method: 'POST', headers: { Authorization: `Bearer ${kube.adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { audiences: ['vault'], expirationSeconds: 600 } }),
    });
    assert.equal(tr.status, 201);
    const jwt = ((await tr.json()) as { status: { token: string } }).status.token;
    await vault.seed({
      policies: { reader: 'path "secret/data/*" { capabilities = ["read"] }' },
      auth: { kubernetes: { type: 'kubernetes', config: { kubernetes_host: kube.url, token_reviewer_jwt: kube.adminToken }, roles: { eso: { bound_service_account_names: 'external-secrets', bound_service_account_namespaces: 'apps', audience: 'vault', token_policies: 'reader' } } } },
    });
    const ok = await raw('POST', '/v1/auth/kubernetes/login', { body: { role: 'eso', jwt } });
    assert.equal(ok.status, 200, ok.text);
    assert.deepEqual(ok.body.auth.metadata, { role: 'eso', service_account_name: 'external-secrets', service_account_namespace: 'apps', service_account_secret_name: '', service_account_uid: ok.body.auth.metadata.service_account_uid });
    assert.ok(ok.body.auth.metadata.service_account_uid);
    assert.ok(kube.hooks.requests.some((r) => r.path.includes('tokenreviews')));
    const bad = await raw('POST', '/v1/auth/kubernetes/login', { body: { role: 'eso', jwt: `${jwt.slice(0, -4)}AAAA` } });
    assert.equal(bad.status, 403);
    const noRole = await raw('POST', '/v1/auth/kubernetes/login', { body: { role: 'other', jwt } });
    assert.equal(noRole.status, 400);
    assert.equal(noRole.body.errors[0], 'invalid role name "other"');
    // startVaultServer({ kubeApi }) serves kubernetes mounts that have no config of their own
    const v2 = await startVaultServer({ kubeApi: { url: kube.url, token: kube.adminToken } });
    try {
      await v2.seed({ auth: { kubernetes: { type: 'kubernetes', roles: { eso: { bound_service_account_names: 'external-secrets', bound_service_account_namespaces: 'apps', audience: 'vault', token_policies: 'default' } } } } });
      const res = await fetch(`${v2.url}/v1/auth/kubernetes/login`, { method: 'POST', body: JSON.stringify({ role: 'eso', jwt }) });
      assert.equal(res.status, 200);
    } finally {
      await v2.close();
    }
  } finally {
    await kube.close();
  }
});

test('npm run dev-vault prints its address and serves requests', async () => {
  const cli = fileURLToPath(new URL('../support/vault/cli.js', import.meta.url));
  const child = spawn(process.execPath, [cli, '--port', '0', '--root-token', 'dev-root'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const line = await new Promise<string>((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (d) => { buf += d; const i = buf.indexOf('\n'); if (i >= 0) resolve(buf.slice(0, i)); });
      child.on('exit', (c) => reject(new Error(`exited ${c}`)));
    });
    const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
    assert.ok(m, line);
    const h = await fetch(`${m[1]}/v1/auth/token/lookup-self`, { headers: { 'X-Vault-Token': 'dev-root' } });
    assert.equal(h.status, 200);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
});
