// Provider failures as a user sees them through the engine: one line naming the ExternalSecret
// entry, the store and the cause, never a value.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { memorySources, resolveExternalSecret } from '../../src/external/index.js';
import type { ExternalSecretObject, KeyValueObject, SecretStoreObject } from '../../src/manifests/external-types.js';
import { startVaultServer, type VaultTestServer } from '../support/vault/index.js';
import { startAwsServer, type AwsTestServer } from '../support/aws/index.js';

const secret = (name: string, data: Record<string, string>): KeyValueObject => ({
  kind: 'Secret', metadata: { name, namespace: 'apps' }, data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
});
const es = (store: string, key: string, property?: string): ExternalSecretObject => ({
  apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'app', namespace: 'apps' },
  spec: { secretStoreRef: { name: store }, data: [{ secretKey: 'v', remoteRef: { key, ...(property ? { property } : {}) } }] },
});
type Line = { line?: string; code?: string };

describe('failures through the engine', () => {
  let vault: VaultTestServer;
  let aws: AwsTestServer;
  let sources: ReturnType<typeof memorySources>;
  before(async () => {
    vault = await startVaultServer();
    aws = await startAwsServer();
    const seeded = await vault.seed({
      kv: { 'secret/app': { password: 'hunter2' }, 'secret/other': { x: 'y' } },
      policies: { app: 'path "secret/data/app" { capabilities = ["read"] }\npath "secret/data/nope" { capabilities = ["read"] }' },
      tokens: { app: { policies: ['app'] } },
    });
    aws.seed([{ name: 'app', value: '{"password":"hunter2"}' }]);
    const stores: SecretStoreObject[] = [
      { apiVersion: 'external-secrets.io/v1', kind: 'SecretStore', metadata: { name: 'vault', namespace: 'apps' },
        spec: { provider: { vault: { server: vault.url, path: 'secret', auth: { tokenSecretRef: { name: 'vault', key: 'token' } } } } } },
      { apiVersion: 'external-secrets.io/v1', kind: 'SecretStore', metadata: { name: 'aws', namespace: 'apps' },
        spec: { provider: { aws: { service: 'SecretsManager', region: aws.region, auth: { secretRef: { accessKeyIDSecretRef: { name: 'aws', key: 'id' }, secretAccessKeySecretRef: { name: 'aws', key: 'key' } } } } } } },
      { apiVersion: 'external-secrets.io/v1', kind: 'SecretStore', metadata: { name: 'aws-bad', namespace: 'apps' },
        spec: { provider: { aws: { service: 'SecretsManager', region: aws.region, auth: { secretRef: { accessKeyIDSecretRef: { name: 'aws', key: 'id' }, secretAccessKeySecretRef: { name: 'aws', key: 'wrong' } } } } } } },
    ];
    sources = memorySources({
      stores, defaultNamespace: 'apps',
      objects: [secret('vault', { token: seeded.tokens.app! }), secret('aws', { id: aws.credentials.accessKeyId, key: aws.credentials.secretAccessKey, wrong: 'not-the-key' })],
    });
  });
  after(async () => { await vault.close(); await aws.close(); });

  const env = () => ({ AWS_ENDPOINT_URL: aws.url });
  const fails = async (e: ExternalSecretObject, check: (err: Line) => void) => {
    await assert.rejects(resolveExternalSecret(e, { sources, env: env() }), (err: Line) => {
      assert.ok(err.line?.startsWith(`ExternalSecret apps/app spec.data[0] (secretKey "v", key "${e.spec.data![0]!.remoteRef.key}"`), err.line);
      assert.ok(!err.line!.includes('hunter2'));
      check(err);
      return true;
    });
  };

  it('Vault 403 (policy does not allow the path)', async () => {
    await fails(es('vault', 'other'), (err) => assert.match(err.line!, /permission denied|403/i));
  });

  it('Vault 404 (readable path, nothing there) is SecretNotFound', async () => {
    await fails(es('vault', 'nope'), (err) => assert.equal(err.code, 'SecretNotFound'));
  });

  it('sealed Vault', async () => {
    vault.seal();
    try {
      await fails(es('vault', 'app', 'password'), (err) => assert.match(err.line!, /sealed/i));
    } finally {
      vault.unseal();
    }
  });

  it('AWS wrong signature', async () => {
    await fails(es('aws-bad', 'app'), (err) => assert.match(err.line!, /signature/i));
  });

  it('AWS throttling beyond the SDK retries', async () => {
    aws.hooks.throttle(20, 'GetSecretValue');
    try {
      await fails(es('aws', 'app', 'password'), (err) => assert.match(err.line!, /throttl|rate/i));
    } finally {
      aws.hooks.throttle(0, 'GetSecretValue');
    }
  });
});
