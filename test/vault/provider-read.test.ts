// The Vault provider reading through node-vault from the Vault test server with a static token:
// KV v2/v1, versions, properties, extract, metadataPolicy Fetch, find, namespaces, errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startVaultServer, type VaultTestServer } from '../support/vault/index.js';
import { connect, rejectsWith, txt } from '../support/vault/harness.js';
import type { VaultProviderClient } from '../../src/providers/vault/index.js';

let vault: VaultTestServer;
let reader: string;
let client: VaultProviderClient;

before(async () => {
  vault = await startVaultServer();
  const r = await vault.seed({
    mounts: { kv1: { version: 1 } },
    kv: {
      'secret/app/db': [{ user: 'u1', password: 'old' }, { user: 'u2', password: 's3cr3t-v2', nested: { host: 'db', port: 5432 }, 'dot.key': 'lit' }],
      'secret/app/api': { token: 'tok', html: '<a&b>' },
      'secret/team/x/one': { v: '1' },
      'secret/team/y/two': { v: '2' },
      'secret/other/three': { v: '3' },
      'kv1/legacy/cfg': { url: 'https://legacy', retries: 3 },
    },
    customMetadata: { 'secret/team/x/one': { owner: 'blue', env: 'prod' }, 'secret/team/y/two': { owner: 'green' }, 'secret/other/three': { owner: 'blue', env: 'prod' } },
    policies: {
      reader: 'path "secret/data/*" { capabilities = ["read"] }\npath "secret/metadata/*" { capabilities = ["read", "list"] }\npath "kv1/*" { capabilities = ["read", "list"] }\npath "secret/data/forbidden/*" { capabilities = ["deny"] }',
    },
    tokens: { reader: { policies: ['reader'], ttl: '1h' } },
  });
  reader = r.tokens.reader!;
  client = await connect({ server: vault.url, path: 'secret', version: 'v2', auth: { tokenSecretRef: { name: 'vault-token', key: 'token' } } }, { 'auth.tokenSecretRef': reader });
});
after(async () => { await client.close(); await vault.close(); });

test('KV v2: whole secret, property, nested gjson path, literal dotted key, version', async () => {
  assert.equal(txt(await client.getSecret({ key: 'app/db', property: 'password' })), 's3cr3t-v2');
  assert.equal(txt(await client.getSecret({ key: 'app/db', property: 'nested.port' })), '5432');
  assert.equal(txt(await client.getSecret({ key: 'app/db', property: 'dot.key' })), 'lit');
  assert.equal(txt(await client.getSecret({ key: 'app/db', property: 'nested' })), '{"host":"db","port":5432}');
  assert.equal(txt(await client.getSecret({ key: 'app/db', version: '1', property: 'password' })), 'old');
  assert.equal(txt(await client.getSecret({ key: 'app/api' })), '{"html":"\\u003ca\\u0026b\\u003e","token":"tok"}');
  // the key may repeat the mount (ESO strips it)
  assert.equal(txt(await client.getSecret({ key: 'secret/app/api', property: 'token' })), 'tok');
  assert.equal(txt(await client.getSecret({ key: 'secret/data/app/api', property: 'token' })), 'tok');
});

test('extract explodes top-level keys with ESO conversions', async () => {
  const m = await client.getSecretMap({ key: 'app/db' });
  assert.deepEqual(Object.fromEntries(Object.entries(m).map(([k, v]) => [k, txt(v)])), {
    user: 'u2', password: 's3cr3t-v2', nested: '{"host":"db","port":5432}', 'dot.key': 'lit',
  });
  const html = await client.getSecretMap({ key: 'app/api' });
  assert.equal(txt(html.html!), '<a&b>');
});

test('metadataPolicy Fetch returns custom_metadata and system keys as strings', async () => {
  const all = JSON.parse(txt(await client.getSecret({ key: 'team/x/one', metadataPolicy: 'Fetch' })));
  assert.equal(all.owner, 'blue');
  assert.equal(all.current_version, '1');
  assert.equal(all.delete_version_after, '0s');
  assert.match(all.created_time, /^\d{4}-\d\d-\d\dT/);
  assert.equal(txt(await client.getSecret({ key: 'team/x/one', metadataPolicy: 'Fetch', property: 'env' })), 'prod');
});

test('find by name regexp, by tags, and under a path: names are full relative paths', async () => {
  const byName = await client.getAllSecrets({ name: { regexp: '^team/' } });
  assert.deepEqual(Object.keys(byName).sort(), ['team/x/one', 'team/y/two']);
  assert.equal(txt(byName['team/x/one']!), '{"v":"1"}');
  const byTags = await client.getAllSecrets({ tags: { owner: 'blue', env: 'prod' } });
  assert.deepEqual(Object.keys(byTags).sort(), ['other/three', 'team/x/one']);
  const underPath = await client.getAllSecrets({ path: 'team', name: { regexp: 'one' } });
  assert.deepEqual(Object.keys(underPath), ['team/x/one']);
  const nothing = await client.getAllSecrets({ name: { regexp: '^zzz' } });
  assert.equal(Object.keys(nothing).length, 0);
  // LIST went over GET ?list=1 (noCustomHTTPVerbs)
  assert.ok(vault.requests.some((r) => r.method === 'GET' && r.path.startsWith('secret/metadata/')));
  assert.ok(!vault.requests.some((r) => r.method === 'LIST'));
});

test('KV v1 store reads and rejects tags and metadata fetch', async () => {
  const v1 = await connect({ server: vault.url, path: 'kv1', version: 'v1', auth: { tokenSecretRef: { name: 't', key: 'token' } } }, { 'auth.tokenSecretRef': reader });
  try {
    assert.equal(txt(await v1.getSecret({ key: 'legacy/cfg', property: 'retries' })), '3');
    assert.deepEqual(Object.keys(await v1.getAllSecrets({ name: { regexp: 'cfg' } })), ['legacy/cfg']);
    await rejectsWith(v1.getAllSecrets({ tags: { a: 'b' } }), 'VaultTagsUnsupported');
    await rejectsWith(v1.getSecret({ key: 'legacy/cfg', metadataPolicy: 'Fetch' }), 'VaultMetadataUnsupported');
  } finally { await v1.close(); }
});

test('store without path: the first key segment is the mount', async () => {
  const c = await connect({ server: vault.url, auth: { tokenSecretRef: { name: 't', key: 'token' } } }, { 'auth.tokenSecretRef': reader });
  try {
    assert.equal(txt(await c.getSecret({ key: 'secret/app/api', property: 'token' })), 'tok');
    await rejectsWith(c.getAllSecrets({ path: 'secret/team', name: { regexp: '.' } }), 'VaultPathInvalid');
    assert.deepEqual(Object.keys(await c.getAllSecrets({ path: 'secret/data/team', name: { regexp: 'two' } })), ['secret/data/team/y/two']);
  } finally { await c.close(); }
});

test('404, deleted version and missing property', async () => {
  const nf = await rejectsWith(client.getSecret({ key: 'app/missing' }), 'SecretNotFound');
  assert.match(nf.line, /secret\/data\/app\/missing/);
  await rejectsWith(client.getSecret({ key: 'app/db', version: '9' }), 'SecretNotFound');
  const root = await connect({ server: vault.url, path: 'secret', auth: { tokenSecretRef: { name: 't', key: 'token' } } }, { 'auth.tokenSecretRef': vault.rootToken });
  try {
    await vault.seed({ kv: { 'secret/gone/soon': { a: 'b' } } });
    assert.equal(txt(await root.getSecret({ key: 'gone/soon', property: 'a' })), 'b');
    await fetch(`${vault.url}/v1/secret/data/gone/soon`, { method: 'DELETE', headers: { 'X-Vault-Token': vault.rootToken } });
    await rejectsWith(root.getSecret({ key: 'gone/soon' }), 'SecretNotFound');
  } finally { await root.close(); }
  const e = await rejectsWith(client.getSecret({ key: 'app/db', property: 'nope' }), 'PropertyNotFound');
  assert.ok(!e.line.includes('s3cr3t'));
});

test('403 from policy: a clear message without values, token is not replaced', async () => {
  await vault.seed({ kv: { 'secret/forbidden/x': { pw: 'hidden-value' } } });
  const e = await rejectsWith(client.getSecret({ key: 'forbidden/x' }), 'VaultPermissionDenied');
  assert.match(e.line, /SecretStore apps\/vault: Vault read "secret\/data\/forbidden\/x": permission denied/);
  assert.ok(!e.line.includes('hidden-value'));
  assert.match(e.hint ?? '', /policy/);
});

test('namespaces: spec.namespace sends X-Vault-Namespace on reads', async () => {
  // a fresh namespace has no secret/ mount of its own
  await vault.seed({ namespace: 'team-a', mounts: { secret: { version: 2 } }, kv: { 'secret/in-ns': { where: 'team-a' } } });
  const c = await connect({ server: vault.url, path: 'secret', namespace: 'team-a', auth: { tokenSecretRef: { name: 't', key: 'token' } } }, { 'auth.tokenSecretRef': vault.rootToken });
  try {
    assert.equal(txt(await c.getSecret({ key: 'in-ns', property: 'where' })), 'team-a');
    assert.ok(vault.requests.some((r) => r.namespace === 'team-a/' && r.path === 'secret/data/in-ns'));
  } finally { await c.close(); }
  await rejectsWith(client.getSecret({ key: 'in-ns' }), 'SecretNotFound');
});

test('static token: validate says Ready; an invalid token is named as such; never revoked on close', async () => {
  assert.equal(await client.validate(), 'Ready');
  const bad = await connect({ server: vault.url, path: 'secret', auth: { tokenSecretRef: { name: 't', key: 'token' } } }, { 'auth.tokenSecretRef': 'hvs.not-a-real-token\n' });
  const e = await rejectsWith(bad.getSecret({ key: 'app/db' }), 'VaultTokenInvalid');
  assert.match(e.line, /tokenSecretRef/);
  await rejectsWith(bad.validate(), 'VaultTokenInvalid');
  await bad.close();
  const before = vault.count('POST', /^auth\/token\/revoke/);
  const c = await connect({ server: vault.url, path: 'secret', auth: { tokenSecretRef: { name: 't', key: 'token' } } }, { 'auth.tokenSecretRef': reader });
  await c.getSecret({ key: 'app/api' });
  await c.close();
  assert.equal(vault.count('POST', /^auth\/token\/revoke/), before);
});

test('invalid store specs are rejected with the field named', async () => {
  const { vaultProvider } = await import('../../src/providers/vault/index.js');
  assert.deepEqual(vaultProvider.validateStore({ server: '' } as never), ['spec.provider.vault.server must be set', 'spec.provider.vault.auth must set one of tokenSecretRef, appRole, kubernetes, userPass, jwt, cert']);
  assert.match(vaultProvider.validateStore({ server: 'http://x', auth: { iam: {} } } as never)[0]!, /auth.iam is not supported/);
  assert.match(vaultProvider.validateStore({ server: 'http://x', version: 'v3', auth: { tokenSecretRef: { name: 'a' } } } as never)[0]!, /version must be v1 or v2/);
});

test('numbers come back as Vault stored them (Go json.Number, as ESO reads them): 1.10, 1e3, integers past 2^53', async () => {
  const raw = '{"data":{"version":1.10,"big":12345678901234567890,"sci":1e3,"neg":-0.50,"nested":{"n":2.000}}}';
  const put = await fetch(`${vault.url}/v1/secret/data/app/numbers`, { method: 'POST', headers: { 'X-Vault-Token': vault.rootToken, 'Content-Type': 'application/json' }, body: raw });
  assert.equal(put.status, 200);
  const stored = await (await fetch(`${vault.url}/v1/secret/data/app/numbers`, { headers: { 'X-Vault-Token': vault.rootToken } })).text();
  assert.match(stored, /"data":\{"version":1.10,"big":12345678901234567890,"sci":1e3,"neg":-0.50,"nested":\{"n":2.000\}\}/, 'the test server keeps numbers as written, like Vault');
  assert.equal(txt(await client.getSecret({ key: 'app/numbers', property: 'version' })), '1.10');
  assert.equal(txt(await client.getSecret({ key: 'app/numbers', property: 'big' })), '12345678901234567890');
  assert.equal(txt(await client.getSecret({ key: 'app/numbers', property: 'sci' })), '1e3');
  // a gjson path yields gjson's String(): non-integer text goes through float formatting, as in ESO
  assert.equal(txt(await client.getSecret({ key: 'app/numbers', property: 'nested.n' })), '2');
  assert.equal(txt(await client.getSecret({ key: 'app/numbers', property: 'nested' })), '{"n":2.000}');
  assert.equal(txt(await client.getSecret({ key: 'app/numbers' })), '{"big":12345678901234567890,"neg":-0.50,"nested":{"n":2.000},"sci":1e3,"version":1.10}');
  // dataFrom.extract re-parses without UseNumber in ESO: float64 formatting (values from Go 1.19)
  const map = await client.getSecretMap({ key: 'app/numbers' });
  assert.deepEqual(Object.fromEntries(Object.entries(map).map(([k, v]) => [k, txt(v)])),
    { big: '12345678901234567000', neg: '-0.5', nested: '{"n":2}', sci: '1000', version: '1.1' });
});
