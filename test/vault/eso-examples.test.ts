// ESO's own Vault examples (test/fixtures/eso-examples): every store validates, and the
// inline token-store example resolves against the Vault test server through the provider.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { vaultProvider, type VaultProviderSpec } from '../../src/providers/vault/index.js';
import { startVaultServer } from '../support/vault/index.js';
import { connect, txt } from '../support/vault/harness.js';
import { FIXTURES } from '../support/cloak-cli.js';

const dir = `${FIXTURES}eso-examples`;
const docs = (file: string) => parseAllDocuments(readFileSync(`${dir}/${file}`, 'utf8')).map((d) => d.toJSON() as any);

test('every ESO Vault store example validates', () => {
  for (const f of ['vault-approle-store.yaml', 'vault-jwt-store.yaml', 'vault-kubernetes-store.yaml', 'vault-token-store.yaml', 'vault-kv2-token-store-and-external-secret.inline.yaml']) {
    const store = docs(f).find((d) => d?.kind === 'SecretStore');
    assert.deepEqual(vaultProvider.validateStore(store.spec.provider.vault), [], f);
  }
});

test('vault-kv2-token-store-and-external-secret resolves: property, metadata Fetch whole and by property', async () => {
  const all = docs('vault-kv2-token-store-and-external-secret.inline.yaml');
  const store = all.find((d) => d.kind === 'SecretStore');
  const tokenSecret = all.find((d) => d.kind === 'Secret');
  const es = all.find((d) => d.kind === 'ExternalSecret');
  const token = Buffer.from(tokenSecret.data.token, 'base64').toString('utf8');
  const vault = await startVaultServer({ rootToken: token });
  try {
    await vault.seed({ kv: { 'secret/foo': { 'my-value': 's3cr3t' } }, customMetadata: { 'secret/foo': { dev: 'jane', team: 'payments' } } });
    const spec: VaultProviderSpec = { ...store.spec.provider.vault, server: vault.url };
    const c = await connect(spec, { 'auth.tokenSecretRef': token });
    const got: Record<string, string> = {};
    for (const d of es.spec.data) got[d.secretKey] = txt(await c.getSecret(d.remoteRef));
    await c.close();
    assert.equal(got.foobar, 's3cr3t');
    assert.equal(got.developer, 'jane');
    const tags = JSON.parse(got.tags!);
    assert.equal(tags.dev, 'jane');
    assert.equal(tags.team, 'payments');
    assert.equal(tags.current_version, '1');
  } finally {
    await vault.close();
  }
});
