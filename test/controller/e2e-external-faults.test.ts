// The fault matrix of the external half, against the real controller: API server 5xx bursts,
// conflicts, dropped watches and 410 Gone; Vault sealed, token revoked (403) and a token that
// expires; AWS throttling, expired credentials and signature errors. A watch on the Secrets records
// every state they pass through: during every fault no Secret is deleted, blanked or rolled back,
// the Ready condition names the fault, and after recovery everything converges.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Json } from '../../controller/kube/index.js';
import { silentLogger } from '../../controller/log.js';
import { Informer } from '../../controller/runtime/index.js';
import { startAwsServer, type AwsTestServer } from '../support/aws/index.js';
import { createSecret, createStore, esPath, namespaces, secretPath, startExternalEnv, waitFor, type EsObject, type ExternalEnv } from '../support/controller/external-harness.js';
import { startVaultServer, type VaultTestServer } from '../support/vault/index.js';

const NS = 'faults';
let env: ExternalEnv;
let vault: VaultTestServer;
let aws: AwsTestServer;
let watcher: Informer;
/** Every value each Secret's `password` held, in order, and every delete seen. */
const history = new Map<string, string[]>();
const deletes: string[] = [];

const decodedPassword = (s: Readonly<Json>) => {
  const b64 = (s.data as Record<string, string> | undefined)?.password;
  return b64 === undefined ? '' : Buffer.from(b64, 'base64').toString();
};

async function vaultApi(method: string, path: string, body?: unknown, token = vault.rootToken): Promise<Record<string, any>> {
  const r = await fetch(`${vault.url}/v1/${path}`, { method, headers: { 'X-Vault-Token': token, 'Content-Type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  const text = await r.text();
  if (r.status >= 400) throw new Error(`${method} ${path}: ${r.status} ${text}`);
  return text ? JSON.parse(text) as Record<string, any> : {};
}

async function newVaultToken(ttl = '1h'): Promise<string> {
  return (await vaultApi('POST', 'auth/token/create', { policies: ['reader'], ttl })).auth.client_token as string;
}

async function ready(name: string): Promise<{ status: string; reason: string; message: string } | undefined> {
  const es = await env.c.request<EsObject>('GET', esPath(NS, name));
  return es.status?.conditions?.find((c) => c.type === 'Ready');
}
async function waitReady(name: string, status: 'True' | 'False', message?: RegExp, ms = 30_000) {
  let last: Awaited<ReturnType<typeof ready>>;
  try {
    return await waitFor(`${name} Ready=${status}${message ? ` ${message}` : ''}`, async () => {
      last = await ready(name);
      return last?.status === status && (!message || message.test(last.message)) ? last : undefined;
    }, ms, env.ctl.logs);
  } catch (e) {
    const recent = vault.requests.slice(-5).map((r) => `${r.method} ${r.path} ${r.status}`).join('; ');
    throw new Error(`${(e as Error).message}; last Ready: ${JSON.stringify(last)}; last Vault requests: ${recent}`);
  }
}
const waitValue = (name: string, value: string, ms = 30_000) =>
  waitFor(`${name} holds ${value}`, async () => {
    const s = await env.c.request<Json>('GET', secretPath(NS, name)).catch(() => undefined);
    return s && decodedPassword(s) === value;
  }, ms, env.ctl.logs);

/** The Secret holds `value` now, and has never been blank, deleted or rolled back past `value`'s predecessors. */
function assertIntact(name: string, values: string[]): void {
  assert.deepEqual(deletes, [], 'no Secret was deleted');
  const seen = history.get(name) ?? [];
  assert.ok(!seen.includes(''), `${name} was never blank: ${JSON.stringify(seen)}`);
  const collapsed = seen.filter((v, i) => i === 0 || v !== seen[i - 1]);
  assert.deepEqual(collapsed, values, `${name} went through exactly ${JSON.stringify(values)} (no rollback)`);
}

before(async () => {
  vault = await startVaultServer();
  await vault.seed({ kv: { 'secret/app/db': { password: 'vault-1' } }, policies: { reader: 'path "secret/data/app/*" { capabilities = ["read"] }' } });
  aws = await startAwsServer({ region: 'eu-central-1' });
  aws.seed([{ name: 'app/db', value: JSON.stringify({ password: 'aws-1' }) }]);
  env = await startExternalEnv({ env: { AWS_ENDPOINT_URL: aws.url, AWS_EC2_METADATA_DISABLED: 'true', AWS_MAX_ATTEMPTS: '1' } });
  const c = env.c;
  await namespaces(c, NS);
  watcher = new Informer({ name: 'faults-secrets', client: c, path: `/api/v1/namespaces/${NS}/secrets`, log: silentLogger });
  const record = (s: Readonly<Json>) => {
    const name = (s.metadata as { name: string }).name;
    if (!name.startsWith('from-')) return;
    const h = history.get(name) ?? [];
    h.push(decodedPassword(s));
    history.set(name, h);
  };
  watcher.on({ add: record, update: (_o, s) => record(s), delete: (s) => deletes.push((s.metadata as { name: string }).name) });
  watcher.start();
  await watcher.synced;

  await createSecret(c, NS, 'vault-token', { token: await newVaultToken() });
  await createSecret(c, NS, 'aws-creds', { id: aws.credentials.accessKeyId, key: aws.credentials.secretAccessKey });
  await createStore(c, NS, 'vault', { vault: { server: vault.url, path: 'secret', version: 'v2', auth: { tokenSecretRef: { name: 'vault-token', key: 'token' } } } });
  await createStore(c, NS, 'aws', { aws: { service: 'SecretsManager', region: 'eu-central-1', auth: { secretRef: { accessKeyIDSecretRef: { name: 'aws-creds', key: 'id' }, secretAccessKeySecretRef: { name: 'aws-creds', key: 'key' } } } } });
  for (const [name, store] of [['from-vault', 'vault'], ['from-aws', 'aws']] as const) {
    await c.request('POST', esPath(NS), {
      body: {
        apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name, namespace: NS },
        spec: { refreshInterval: '1s', secretStoreRef: { kind: 'SecretStore', name: store }, target: { name }, data: [{ secretKey: 'password', remoteRef: { key: 'app/db', property: 'password' } }] },
      },
    });
  }
  await waitValue('from-vault', 'vault-1');
  await waitValue('from-aws', 'aws-1');
});

after(async () => {
  await watcher?.stop();
  await env?.close();
  await vault?.close();
  await aws?.close();
});

test('API server faults: 5xx bursts, conflicts, dropped watches and 410 Gone; a change made meanwhile still lands', async () => {
  const hooks = env.cluster.server.hooks;
  hooks.inject({ method: 'PUT', path: new RegExp(`/namespaces/${NS}/secrets/`), status: 500, count: 4 });
  hooks.inject({ method: 'PATCH', path: /\/externalsecrets\/[^/]+\/status/, status: 409, count: 4 });
  hooks.inject({ method: 'GET', path: new RegExp(`/namespaces/${NS}/secrets/`), status: 503, count: 3 });
  hooks.inject({ path: /\/externalsecrets/, watch: true, status: 429, count: 2 });
  hooks.closeWatches();
  hooks.compact();
  await vault.seed({ kv: { 'secret/app/db': { password: 'vault-2' } } });
  await waitValue('from-vault', 'vault-2');
  await waitReady('from-vault', 'True');
  await waitReady('from-aws', 'True');
  assertIntact('from-vault', ['vault-1', 'vault-2']);
  assertIntact('from-aws', ['aws-1']);
});

test('Vault sealed: Ready=False says so, the Secret is kept; unsealed, it syncs again', async () => {
  vault.seal();
  await waitReady('from-vault', 'False', /sealed/i);
  vault.unseal();
  await vault.seed({ kv: { 'secret/app/db': { password: 'vault-3' } } });
  await waitValue('from-vault', 'vault-3');
  await waitReady('from-vault', 'True');
  assertIntact('from-vault', ['vault-1', 'vault-2', 'vault-3']);
});

test('Vault token revoked (403), then a token that expires mid-refresh: status names it, the Secret is kept, a new token recovers', async () => {
  const current = (await env.c.request<{ data: { token: string } }>('GET', secretPath(NS, 'vault-token'))).data.token;
  await vaultApi('POST', 'auth/token/revoke', { token: Buffer.from(current, 'base64').toString() });
  await waitReady('from-vault', 'False', /token is invalid, expired or revoked/);

  const shortLived = await newVaultToken('3s');
  await env.c.request('PATCH', secretPath(NS, 'vault-token'), { body: { stringData: { token: shortLived } }, contentType: 'application/merge-patch+json' });
  await waitReady('from-vault', 'True');
  await waitReady('from-vault', 'False', /token is invalid, expired or revoked/, 30_000);

  await env.c.request('PATCH', secretPath(NS, 'vault-token'), { body: { stringData: { token: await newVaultToken() } }, contentType: 'application/merge-patch+json' });
  await vault.seed({ kv: { 'secret/app/db': { password: 'vault-4' } } });
  await waitValue('from-vault', 'vault-4');
  await waitReady('from-vault', 'True');
  assertIntact('from-vault', ['vault-1', 'vault-2', 'vault-3', 'vault-4']);
});

test('AWS throttling, expired credentials and signature errors: each named in status, the Secret kept, then recovery', async () => {
  for (const [inject, message] of [
    [() => aws.hooks.throttle(1000, 'GetSecretValue'), /throttl/i],
    [() => aws.hooks.fail(1000, 'ExpiredTokenException', 'The security token included in the request is expired', 400, 'GetSecretValue'), /expired/i],
    [() => aws.hooks.fail(1000, 'InvalidSignatureException', 'The request signature we calculated does not match the signature you provided.', 400, 'GetSecretValue'), /signature|credentials/i],
  ] as const) {
    inject();
    await waitReady('from-aws', 'False', message);
    aws.hooks.clearInjections();
    await waitReady('from-aws', 'True');
  }
  assertIntact('from-aws', ['aws-1']);
});
