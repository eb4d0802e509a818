// Failure modes a user must be able to act on: sealed Vault, unreachable Vault, TLS trust
// (custom CA via caBundle), and cert auth over mutual TLS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startVaultServer, type VaultTestServer } from '../support/vault/index.js';
import { makeCa, type TestCa } from '../support/vault/certs.js';
import { connect, rejectsWith, txt } from '../support/vault/harness.js';

let vault: VaultTestServer;
let token: string;
let approle: { roleId: string; secretId: string };

before(async () => {
  vault = await startVaultServer();
  const r = await vault.seed({
    kv: { 'secret/app': { k: 'v' } },
    policies: { reader: 'path "secret/data/*" { capabilities = ["read"] }' },
    tokens: { reader: { policies: ['reader'] } },
    auth: { approle: { type: 'approle', roles: { app: { token_policies: ['reader'] } } } },
  });
  token = r.tokens.reader!;
  approle = r.approle.app!;
});
after(() => vault.close());

test('sealed Vault: reads, logins and validate say so; unsealing brings reads back', async () => {
  const c = await connect({ server: vault.url, path: 'secret', auth: { tokenSecretRef: { name: 't' } } }, { 'auth.tokenSecretRef': token });
  const a = await connect({ server: vault.url, path: 'secret', auth: { appRole: { roleId: approle.roleId, secretRef: { name: 's' } } } }, { 'auth.appRole.secretRef': approle.secretId });
  assert.equal(txt(await c.getSecret({ key: 'app', property: 'k' })), 'v');
  vault.seal();
  try {
    const e = await rejectsWith(c.getSecret({ key: 'app' }), 'VaultSealed');
    assert.equal(e.line, `SecretStore apps/vault: Vault at ${vault.url}: Vault is sealed (unseal Vault (vault operator unseal); reads resume on the next refresh)`);
    await rejectsWith(c.validate(), 'VaultSealed');
    await rejectsWith(a.getSecret({ key: 'app' }), 'VaultSealed');
  } finally {
    vault.unseal();
  }
  assert.equal(txt(await c.getSecret({ key: 'app', property: 'k' })), 'v');
  assert.equal(txt(await a.getSecret({ key: 'app', property: 'k' })), 'v');
  await c.close();
  await a.close();
});

test('unreachable Vault names the server and the fix', async () => {
  const dead = await startVaultServer();
  const url = dead.url;
  await dead.close();
  const c = await connect({ server: url, path: 'secret', auth: { tokenSecretRef: { name: 't' } } }, { 'auth.tokenSecretRef': token });
  const e = await rejectsWith(c.getSecret({ key: 'app' }), 'VaultUnreachable');
  assert.match(e.line, new RegExp(`cannot reach Vault at ${url.replace(/[.]/g, '\\.')} \\(ECONNREFUSED\\)`));
});

let ca: TestCa;
let tlsVault: VaultTestServer;
before(async () => {
  ca = makeCa();
  const srv = ca.issue('vault.test', 'server');
  tlsVault = await startVaultServer({ tls: { key: srv.keyPem, cert: srv.certPem } });
});
after(() => tlsVault?.close());

test('custom CA: caBundle makes the TLS server trusted; without it the error says what to set', async () => {
  const r = await tlsVault.seed({ kv: { 'secret/tls': { over: 'https' } } });
  assert.ok(r);
  const caBundle = Buffer.from(ca.certPem).toString('base64');
  const c = await connect({ server: tlsVault.url, path: 'secret', caBundle, auth: { tokenSecretRef: { name: 't' } } }, { 'auth.tokenSecretRef': tlsVault.rootToken });
  assert.equal(txt(await c.getSecret({ key: 'tls', property: 'over' })), 'https');
  await c.close();
  const p = await connect({ server: tlsVault.url, path: 'secret', caProvider: { type: 'Secret', name: 'ca', key: 'ca.crt' }, auth: { tokenSecretRef: { name: 't' } } }, { 'auth.tokenSecretRef': tlsVault.rootToken, caProvider: ca.certPem });
  assert.equal(txt(await p.getSecret({ key: 'tls', property: 'over' })), 'https');
  await p.close();
  const u = await connect({ server: tlsVault.url, path: 'secret', auth: { tokenSecretRef: { name: 't' } } }, { 'auth.tokenSecretRef': tlsVault.rootToken });
  const e = await rejectsWith(u.getSecret({ key: 'tls' }), 'VaultTLSError');
  assert.match(e.hint ?? '', /caBundle or caProvider/);
});

test('cert auth over mutual TLS: the trusted client certificate logs in, an untrusted one is refused', async () => {
  const clientCa = makeCa('clients');
  const good = clientCa.issue('eso-client', 'client');
  const rogue = makeCa('rogue').issue('eso-client', 'client');
  await tlsVault.seed({
    policies: { reader: 'path "secret/data/*" { capabilities = ["read"] }' },
    auth: { cert: { type: 'cert', roles: { eso: { certificate: clientCa.certPem, allowed_common_names: ['eso-client'], token_policies: ['reader'] } } } },
  });
  const caBundle = Buffer.from(ca.certPem).toString('base64');
  const spec = { server: tlsVault.url, path: 'secret', caBundle, auth: { cert: { vaultRole: 'eso', clientCert: { name: 'c', key: 'tls.crt' }, secretRef: { name: 'c', key: 'tls.key' } } } };
  const c = await connect(spec, { 'auth.cert.clientCert': good.certPem, 'auth.cert.secretRef': good.keyPem });
  assert.equal(txt(await c.getSecret({ key: 'tls', property: 'over' })), 'https');
  assert.equal(tlsVault.count('POST', /^auth\/cert\/login$/), 1);
  await c.close();
  const r = await connect(spec, { 'auth.cert.clientCert': rogue.certPem, 'auth.cert.secretRef': rogue.keyPem });
  const e = await rejectsWith(r.getSecret({ key: 'tls' }), 'VaultLoginFailed');
  assert.match(e.line, /invalid certificate or no client certificate supplied/);
});
