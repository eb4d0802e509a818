// ESO's own example manifests resolved end to end through the engine: ExternalSecret + store (+
// credential Secrets) → the Secret data. fake-provider-es + fake-provider-secret is a golden pair;
// Vault and AWS examples run against the faithful test servers with only the server address changed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { generateKeyPairSync, sign } from 'node:crypto';
import { desiredSecret, memorySources, resolveExternalSecret } from '../../src/external/index.js';
import { readExternalDocuments } from '../../src/manifests/external-read.js';
import type { ExternalSecretObject, KeyValueObject, SecretStoreObject } from '../../src/manifests/external-types.js';
import { startVaultServer, type VaultTestServer } from '../support/vault/index.js';
import { ACCOUNT_ID, startAwsServer, type AwsTestServer } from '../support/aws/index.js';

const dir = new URL('../../../test/fixtures/eso-examples/', import.meta.url);
const load = (f: string) => readExternalDocuments(readFileSync(new URL(f, dir), 'utf8'), f);
const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : Buffer.from(b).toString('utf8'));
const strings = (m: Record<string, Uint8Array>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, text(v)]));
const secret = (name: string, namespace: string, data: Record<string, string>): KeyValueObject => ({
  kind: 'Secret', metadata: { name, namespace }, data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
});
const es = (f: string, i = 0) => structuredClone(load(f).externalSecrets[i]!.object) as ExternalSecretObject;
const store = (f: string, i = 0) => structuredClone(load(f).stores[i]!.object) as SecretStoreObject;
const withServer = (s: SecretStoreObject, url: string) => {
  (s.spec.provider.vault as { server: string }).server = url;
  return s;
};

async function resolve(e: ExternalSecretObject, stores: SecretStoreObject[], objects: KeyValueObject[], env?: Record<string, string>) {
  e.metadata.namespace ??= stores.find((s) => s.metadata.namespace)?.metadata.namespace ?? 'default';
  const sources = memorySources({ stores, objects, defaultNamespace: e.metadata.namespace });
  return resolveExternalSecret(e, { sources, env });
}

describe('ESO examples: fake provider', () => {
  it('fake-provider-es.yaml + fake-provider-store.yaml give fake-provider-secret.yaml', async () => {
    const e = es('fake-provider-es.yaml');
    const { data } = await resolve(e, [store('fake-provider-store.yaml')], []);
    const got = await desiredSecret(e, data);
    const golden = load('fake-provider-secret.yaml').keyValues[0]!.object;
    assert.equal(got.metadata.name, golden.metadata.name);
    assert.equal(got.metadata.namespace, golden.metadata.namespace);
    assert.deepEqual(got.data, golden.data);
  });
});

describe('ESO examples: Vault', () => {
  let vault: VaultTestServer;
  before(async () => {
    vault = await startVaultServer({ rootToken: 'root' });
    await vault.seed({
      kv: { 'secret/foo': { 'my-value': 's3cr3t', other: 'x' }, 'secret/app': { password: 'pw', user: 'u' } },
      customMetadata: { 'secret/foo': { dev: 'seth', team: 'core' } },
      policies: { reader: 'path "secret/*" { capabilities = ["read", "list"] }' },
      auth: {
        approle: { type: 'approle', roles: { eso: { token_policies: ['reader'] } } },
        kubernetes: { type: 'kubernetes', roles: { demo: { bound_service_account_names: ['my-sa'], bound_service_account_namespaces: ['example'], token_policies: ['reader'] } } },
      },
    });
  });
  after(() => vault.close());

  it('vault-kv2-token-store-and-external-secret.inline.yaml: property and metadataPolicy Fetch', async () => {
    const docs = load('vault-kv2-token-store-and-external-secret.inline.yaml');
    const s = withServer(structuredClone(docs.stores[0]!.object), vault.url);
    const { data } = await resolve(structuredClone(docs.externalSecrets[0]!.object), [s], docs.keyValues.map((d) => d.object));
    const got = strings(data);
    assert.equal(got.foobar, 's3cr3t'); // the example's own expected output: foobar: czNjcjN0
    assert.equal(got.developer, 'seth');
    const tags = JSON.parse(got.tags!) as Record<string, string>;
    assert.equal(tags.dev, 'seth');
    assert.equal(tags.team, 'core');
  });

  const appEs = (storeName: string): ExternalSecretObject => ({
    apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'app', namespace: 'example' },
    spec: { secretStoreRef: { name: storeName, kind: 'SecretStore' }, dataFrom: [{ extract: { key: 'app' } }], data: [{ secretKey: 'foo', remoteRef: { key: 'foo', property: 'my-value' } }] },
  });

  it('vault-token-store.yaml', async () => {
    const { data } = await resolve(appEs('vault-backend'), [withServer(store('vault-token-store.yaml'), vault.url)],
      [secret('my-secret', 'example', { 'vault-token': 'root' })]);
    assert.deepEqual(strings(data), { password: 'pw', user: 'u', foo: 's3cr3t' });
  });

  it('vault-approle-store.yaml (the example role id)', async () => {
    const s = store('vault-approle-store.yaml');
    const roleId = (s.spec.provider.vault as { auth: { appRole: { roleId: string } } }).auth.appRole.roleId;
    const api = async (path: string, body: unknown) => {
      const r = await fetch(`${vault.url}/v1/${path}`, { method: 'POST', headers: { 'X-Vault-Token': 'root' }, body: JSON.stringify(body) });
      assert.ok(r.status < 300, `${path}: ${r.status}`);
      return r.status === 204 ? undefined : await r.json() as { data: { secret_id: string } };
    };
    await api('auth/approle/role/eso/role-id', { role_id: roleId });
    const secretId = (await api('auth/approle/role/eso/secret-id', {}))!.data.secret_id;
    const { data } = await resolve(appEs('vault-backend'), [withServer(s, vault.url)], [secret('my-secret', 'example', { 'secret-id': secretId })]);
    assert.deepEqual(strings(data), { password: 'pw', user: 'u', foo: 's3cr3t' });
  });

  it('vault-kubernetes-store.yaml: serviceAccountRef wins, with a token the reader mints (TokenRequest)', async () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6ZXhhbXBsZTpteS1zYSJ9.c2ln';
    vault.setKubernetesToken(jwt, { namespace: 'example', name: 'my-sa' });
    const e = appEs('vault-backend');
    const base = memorySources({ stores: [withServer(store('vault-kubernetes-store.yaml'), vault.url)], objects: [secret('my-secret', 'example', { vault: 'not-this-one' })], defaultNamespace: 'example' });
    const minted: string[] = [];
    const sources = { ...base, serviceAccountToken: async (ns: string, name: string) => { minted.push(`${ns}/${name}`); return jwt; } };
    const { data } = await resolveExternalSecret(e, { sources });
    assert.deepEqual(strings(data), { password: 'pw', user: 'u', foo: 's3cr3t' });
    assert.deepEqual(minted, ['example/my-sa']);
  });

  it('vault-jwt-store.yaml: secretRef wins over kubernetesServiceAccountToken; role vault-jwt-role', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await vault.seed({
      auth: {
        jwt: {
          type: 'jwt', config: { jwt_validation_pubkeys: [publicKey.export({ type: 'spki', format: 'pem' })] },
          roles: { 'vault-jwt-role': { role_type: 'jwt', bound_audiences: ['vault'], user_claim: 'sub', token_policies: ['reader'] } },
        },
      },
    });
    const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const unsigned = `${enc({ alg: 'ES256', typ: 'JWT' })}.${enc({ aud: 'vault', sub: 'ci', exp: Math.floor(Date.now() / 1000) + 600 })}`;
    const jwt = `${unsigned}.${sign('sha256', Buffer.from(unsigned), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
    const minted: string[] = [];
    const base = memorySources({ stores: [withServer(store('vault-jwt-store.yaml'), vault.url)], objects: [secret('my-secret', 'example', { 'jwt-token': jwt })], defaultNamespace: 'example' });
    const sources = { ...base, serviceAccountToken: async (ns: string, name: string, o: { audiences?: string[] }) => { minted.push(`${ns}/${name} ${o.audiences?.join(',')}`); return 'not-a-valid-jwt'; } };
    const { data } = await resolveExternalSecret(appEs('vault-backend'), { sources });
    assert.deepEqual(strings(data), { password: 'pw', user: 'u', foo: 's3cr3t' });
    assert.deepEqual(minted, ['example/my-sa vault'], 'the engine still mints with the example audiences; the provider prefers secretRef');
  });
});

describe('ESO examples: AWS Secrets Manager', () => {
  let east: AwsTestServer;
  let central: AwsTestServer;
  const creds = (s: AwsTestServer) => secret('awssm-secret', 'default', { 'access-key': s.credentials.accessKeyId, 'secret-access-key': s.credentials.secretAccessKey });
  before(async () => {
    east = await startAwsServer({ region: 'us-east-1' });
    central = await startAwsServer({ region: 'eu-central-1' });
    central.createRole(`arn:aws:iam::${ACCOUNT_ID}:role/external-secrets`);
    central.seed([
      { name: 'friendslist', value: JSON.stringify({ name: { first: 'Tom', last: 'Anderson' }, friends: [{ first: 'Dale' }, { first: 'Roger' }] }) },
      { name: 'database-credentials', value: '{"user":"db"}', tags: { dev: 'seth', ops: 'ana' } },
    ]);
    east.seed([
      { name: 'remote-key-in-the-provider', value: '{"username":"admin","port":5432,"nested":{"a":1}}' },
      { name: 'app-prod', value: 'p', tags: { environment: 'prod', application: 'app-name' } },
      { name: 'app-crossed', value: 'x', tags: { environment: 'app-name', application: 'prod' } },
      { name: 'path/to/my/secrets/db-password', value: 'dbpw' },
      { name: 'path/to/my/secrets/api-key', value: 'key' },
      { name: 'path/to/my/other', value: 'no' },
    ]);
  });
  after(async () => { await east.close(); await central.close(); });

  it('aws-sm-store.yaml (AssumeRole) + aws-sm-external-secret.yaml', async () => {
    const { data } = await resolve(es('aws-sm-external-secret.yaml'), [store('aws-sm-store.yaml')], [creds(central)], { AWS_ENDPOINT_URL: central.url });
    assert.deepEqual(strings(data), { my_name: 'Tom', first_friend: 'Roger', tags: '{"dev":"seth","ops":"ana"}', developer: 'seth' });
  });

  it('basic-secret-store.yaml + basic-external-secret.yaml (dataFrom.extract; the data[] key does not exist)', async () => {
    const e = es('basic-external-secret.yaml');
    await assert.rejects(resolve(structuredClone(e), [store('basic-secret-store.yaml')], [creds(east)], { AWS_ENDPOINT_URL: east.url }),
      (err: { line?: string }) => {
        assert.match(err.line ?? '', /^ExternalSecret default\/example spec.data\[0\] \(secretKey "secret-key-to-be-managed", key "provider-key", property "provider-key-property", version "provider-key-version"\): .*secret does not exist/);
        return true;
      });
    e.spec.data = [];
    const { data } = await resolve(e, [store('basic-secret-store.yaml')], [creds(east)], { AWS_ENDPOINT_URL: east.url });
    assert.deepEqual(strings(data), { username: 'admin', port: '5432', nested: '{"a":1}' });
  });

  it('getallsecrets-find-by-tags.yaml (v1beta1) against basic-secret-store.yaml', async () => {
    const { data } = await resolve(es('getallsecrets-find-by-tags.yaml'), [store('basic-secret-store.yaml')], [creds(east)], { AWS_ENDPOINT_URL: east.url });
    assert.deepEqual(strings(data), { 'app-prod': 'p' });
  });

  it('datafrom-rewrite-remove-path.yaml against an AWS store named backend', async () => {
    const s = store('basic-secret-store.yaml');
    s.metadata.name = 'backend';
    const { data } = await resolve(es('datafrom-rewrite-remove-path.yaml'), [s], [creds(east)], { AWS_ENDPOINT_URL: east.url });
    assert.deepEqual(strings(data), { 'db-password': 'dbpw', 'api-key': 'key' });
  });
});
