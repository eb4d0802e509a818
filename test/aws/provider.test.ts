// The aws provider against the test server with static credentials: versions, payload kinds,
// properties, extract, metadata, prefix, endpoints from the environment and failure messages.
import { DeleteSecretCommand, DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isCloakError } from '../../src/errors.js';
import { awsProvider, type AwsProviderSpec } from '../../src/providers/aws/index.js';
import { isSecretNotFound } from '../../src/providers/shared/index.js';
import type { ConnectContext, ProviderClient } from '../../src/providers/types.js';
import { smClient } from '../support/aws/clients.js';
import { startAwsServer, type AwsTestServer } from '../support/aws/index.js';

const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');
const SECRET_VALUE = 'hunter2-do-not-leak';

const baseSpec: AwsProviderSpec = {
  service: 'SecretsManager',
  region: 'us-east-1',
  auth: { secretRef: { accessKeyIDSecretRef: { name: 'aws', key: 'id' }, secretAccessKeySecretRef: { name: 'aws', key: 'secret' } } },
};

function staticCtx(server: AwsTestServer, env: Record<string, string> = {}, secretAccessKey = server.credentials.secretAccessKey): ConnectContext {
  return {
    store: { kind: 'SecretStore', name: 'aws-store', namespace: 'team' },
    secrets: {
      'auth.secretRef.accessKeyIDSecretRef': Buffer.from(server.credentials.accessKeyId),
      'auth.secretRef.secretAccessKeySecretRef': Buffer.from(secretAccessKey),
    },
    env: { AWS_ENDPOINT_URL_SECRETS_MANAGER: server.url, ...env },
  };
}

async function connect(spec: AwsProviderSpec, ctx: ConnectContext): Promise<ProviderClient> {
  const c = await awsProvider.connect(spec, ctx);
  after(() => c.close());
  return c;
}

async function failure(p: Promise<unknown>): Promise<Error & { code?: string; line?: string }> {
  try {
    await p;
  } catch (e) {
    assert.ok(isCloakError(e), `expected a CloakError, got ${String(e)}`);
    assert.ok(!e.line.includes(SECRET_VALUE) && !e.message.includes(SECRET_VALUE), 'an error must never carry a secret value');
    return e;
  }
  return assert.fail('expected a failure');
}

describe('aws provider: reading Secrets Manager', () => {
  let server: AwsTestServer;
  let client: ProviderClient;
  let v1 = '';
  before(async () => {
    server = await startAwsServer();
    server.seed([
      { name: 'app/db', history: ['{"user":"old"}'], value: JSON.stringify({ user: 'admin', password: SECRET_VALUE, 'dotted.key': 'lit', dotted: { key: 'path' }, nested: { a: [1, 2] }, port: 5432, on: true, nil: null }) },
      { name: 'app/plain', value: SECRET_VALUE },
      { name: 'app/bin', value: new Uint8Array([0, 159, 146, 150]) },
      { name: 'app/tagged', value: '{}', tags: { team: 'core', 'cost.center': '42', html: '<a&b>' } },
      { name: 'prod/app/api', value: 'prefixed' },
    ]);
    client = await connect(baseSpec, staticCtx(server));
    const d = await smClient(server).send(new DescribeSecretCommand({ SecretId: 'app/db' }));
    v1 = Object.entries(d.VersionIdsToStages!).find(([, st]) => st.includes('AWSPREVIOUS'))![0];
  });
  after(() => server.close());

  it('reads the current value, a staging label and a uuid/ version id', async () => {
    assert.equal(text(await client.getSecret({ key: 'app/plain' })), SECRET_VALUE);
    assert.equal(text(await client.getSecret({ key: 'app/db', property: 'user' })), 'admin');
    assert.equal(text(await client.getSecret({ key: 'app/db', version: 'AWSPREVIOUS', property: 'user' })), 'old');
    assert.equal(text(await client.getSecret({ key: 'app/db', version: `uuid/${v1}` })), '{"user":"old"}');
  });

  it('returns SecretBinary bytes untouched', async () => {
    assert.deepEqual([...(await client.getSecret({ key: 'app/bin' }))], [0, 159, 146, 150]);
  });

  it('looks properties up with gjson, trying a dotted key literally first (ESO)', async () => {
    assert.equal(text(await client.getSecret({ key: 'app/db', property: 'dotted.key' })), 'lit');
    assert.equal(text(await client.getSecret({ key: 'app/db', property: 'nested.a.1' })), '2');
    assert.equal(text(await client.getSecret({ key: 'app/db', property: 'nested' })), '{"a":[1,2]}');
    assert.equal(text(await client.getSecret({ key: 'app/db', property: 'port' })), '5432');
    assert.equal(text(await client.getSecret({ key: 'app/db', property: 'nested.a.#' })), '2');
    const e = await failure(client.getSecret({ key: 'app/db', property: 'nope' }));
    assert.equal(e.code, 'PropertyNotFound');
    assert.match(e.message, /key nope does not exist in secret app\/db/);
  });

  it('extracts a JSON object into keys: strings unquoted, other values as raw JSON, null empty', async () => {
    const m = await client.getSecretMap({ key: 'app/db' });
    assert.deepEqual(Object.keys(m).sort(), ['dotted', 'dotted.key', 'nested', 'nil', 'on', 'password', 'port', 'user']);
    assert.equal(text(m.user!), 'admin');
    assert.equal(text(m.nested!), '{"a":[1,2]}');
    assert.equal(text(m.port!), '5432');
    assert.equal(text(m.on!), 'true');
    assert.equal(text(m.nil!), '');
    const nested = await client.getSecretMap({ key: 'app/db', property: 'nested' });
    assert.equal(text(nested.a!), '[1,2]');
    const e = await failure(client.getSecretMap({ key: 'app/plain' }));
    assert.equal(e.code, 'InvalidSecretFormat');
  });

  it('metadataPolicy Fetch returns the tags as JSON, or one tag', async () => {
    const all = text(await client.getSecret({ key: 'app/tagged', metadataPolicy: 'Fetch' }));
    assert.equal(all, '{"cost.center":"42","html":"\\u003ca\\u0026b\\u003e","team":"core"}');
    assert.equal(text(await client.getSecret({ key: 'app/tagged', metadataPolicy: 'Fetch', property: 'cost.center' })), '42');
    const m = await client.getSecretMap({ key: 'app/tagged', metadataPolicy: 'Fetch' });
    assert.equal(text(m.html!), '<a&b>');
  });

  it('throws SecretNotFound for a missing secret, version or one marked for deletion', async () => {
    assert.ok(isSecretNotFound(await failure(client.getSecret({ key: 'missing' }))));
    assert.ok(isSecretNotFound(await failure(client.getSecret({ key: 'app/db', version: 'NOPE' }))));
    server.seed([{ name: 'app/deleted', value: SECRET_VALUE }]);
    await smClient(server).send(new DeleteSecretCommand({ SecretId: 'app/deleted', RecoveryWindowInDays: 7 }));
    const e = await failure(client.getSecret({ key: 'app/deleted' }));
    assert.ok(isSecretNotFound(e));
    assert.match(e.line!, /app\/deleted.*scheduled for deletion/);
  });

  it('prepends prefix to every key', async () => {
    const c = await connect({ ...baseSpec, prefix: 'prod/' }, staticCtx(server));
    assert.equal(text(await c.getSecret({ key: 'app/api' })), 'prefixed');
  });

  it('follows AWS_ENDPOINT_URL when no service-specific endpoint is set', async () => {
    const ctx = staticCtx(server);
    ctx.env = { AWS_ENDPOINT_URL: server.url };
    const c = await connect(baseSpec, ctx);
    assert.equal(text(await c.getSecret({ key: 'app/plain' })), SECRET_VALUE);
  });

  it('says clearly when the secret access key is wrong', async () => {
    const c = await connect(baseSpec, staticCtx(server, { AWS_MAX_ATTEMPTS: '1' }, 'wrong-secret'));
    const e = await failure(c.getSecret({ key: 'app/plain' }));
    assert.equal(e.code, 'ProviderAuthFailed');
    assert.match(e.line!, /AWS rejected the credentials \(InvalidSignatureException\)/);
    assert.match(e.line!, /aws secret "app\/plain"/);
  });

  it('says clearly when the access key id is unknown', async () => {
    const ctx = staticCtx(server, { AWS_MAX_ATTEMPTS: '1' });
    ctx.secrets['auth.secretRef.accessKeyIDSecretRef'] = Buffer.from('AKIDUNKNOWN000000000');
    const e = await failure((await connect(baseSpec, ctx)).getSecret({ key: 'app/plain' }));
    assert.match(e.message, /UnrecognizedClientException/);
  });

  it('retries throttling through the SDK, then fails with a clear error', async () => {
    const c = await connect(baseSpec, staticCtx(server, { AWS_MAX_ATTEMPTS: '2' }));
    server.hooks.throttle(1, 'GetSecretValue');
    assert.equal(text(await c.getSecret({ key: 'app/plain' })), SECRET_VALUE);
    server.hooks.throttle(2, 'GetSecretValue');
    const e = await failure(c.getSecret({ key: 'app/plain' }));
    assert.equal(e.code, 'ProviderThrottled');
    assert.match(e.message, /throttled the GetSecretValue \(ThrottlingException\) after 2 attempts/);
  });

  it('validates store specs with field names', () => {
    assert.deepEqual(awsProvider.validateStore(baseSpec), []);
    const problems = awsProvider.validateStore({ service: 'ParameterStore', role: 'nope' });
    assert.ok(problems.some((p) => p.includes('spec.provider.aws.service')));
    assert.ok(problems.some((p) => p.includes('spec.provider.aws.region is required')));
    assert.ok(problems.some((p) => p.includes('spec.provider.aws.role')));
  });
});
