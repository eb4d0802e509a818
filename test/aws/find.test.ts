// dataFrom.find for the aws provider: by name regexp (ListSecrets without a path,
// BatchGetSecretValue with one), by tags filtered as exact pairs, with prefix, and pagination.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { awsProvider, type AwsProviderSpec } from '../../src/providers/aws/index.js';
import type { ProviderClient, SecretMap } from '../../src/providers/types.js';
import { startAwsServer, type AwsTestServer } from '../support/aws/index.js';

const spec: AwsProviderSpec = { service: 'SecretsManager', region: 'us-east-1' };
const decoded = (m: SecretMap) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, Buffer.from(v).toString('utf8')]));

describe('aws provider: find', () => {
  let server: AwsTestServer;
  let client: ProviderClient;
  const connect = async (s: AwsProviderSpec = spec) => {
    const c = await awsProvider.connect(s, {
      store: { kind: 'ClusterSecretStore', name: 'aws' },
      secrets: {},
      env: { AWS_ENDPOINT_URL: server.url, AWS_ACCESS_KEY_ID: server.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey, AWS_MAX_ATTEMPTS: '1' },
    });
    after(() => c.close());
    return c;
  };
  const calls = (op: string) => server.hooks.count(op);

  before(async () => {
    server = await startAwsServer();
    server.seed([
      { name: 'team/db-password', value: 'p1', tags: { env: 'dev', app: 'web' } },
      { name: 'team/db-user', value: 'u1', tags: { env: 'web', app: 'dev' } },
      { name: 'team/api-key', value: 'k1', tags: { env: 'dev', app: 'webshop' } },
      { name: 'other/db-thing', value: 'o1', tags: { env: 'dev', app: 'web' } },
      { name: 'team/bin', value: new Uint8Array([1, 2, 3]) },
    ]);
    client = await connect();
  });
  after(() => server.close());

  it('by name without a path: ListSecrets, then the matching values', async () => {
    const before = calls('ListSecrets');
    const got = decoded(await client.getAllSecrets({ name: { regexp: 'db-' } }));
    assert.deepEqual(got, { 'team/db-password': 'p1', 'team/db-user': 'u1', 'other/db-thing': 'o1' });
    assert.equal(calls('ListSecrets') - before, 1);
  });

  it('by name with a path: BatchGetSecretValue filtered by the name prefix', async () => {
    const before = { list: calls('ListSecrets'), batch: calls('BatchGetSecretValue') };
    const got = decoded(await client.getAllSecrets({ path: 'team/', name: { regexp: '^team/db' } }));
    assert.deepEqual(got, { 'team/db-password': 'p1', 'team/db-user': 'u1' });
    assert.equal(calls('ListSecrets'), before.list);
    assert.equal(calls('BatchGetSecretValue') - before.batch, 1);
  });

  it('by tags: every key=value pair must match exactly (not ESO\'s independent key/value filters)', async () => {
    const got = decoded(await client.getAllSecrets({ tags: { env: 'dev', app: 'web' } }));
    assert.deepEqual(got, { 'team/db-password': 'p1', 'other/db-thing': 'o1' });
    const scoped = decoded(await client.getAllSecrets({ path: 'team/', tags: { env: 'dev', app: 'web' } }));
    assert.deepEqual(scoped, { 'team/db-password': 'p1' });
    const named = decoded(await client.getAllSecrets({ name: { regexp: 'thing$' }, tags: { env: 'dev' } }));
    assert.deepEqual(named, { 'other/db-thing': 'o1' });
  });

  it('matches tags AWS cannot filter on (unusual characters) by listing and checking pairs itself', async () => {
    server.seed([{ name: 'odd/tagged', value: 'odd', tags: { 'cost,center': '!42' } }]);
    assert.deepEqual(decoded(await client.getAllSecrets({ tags: { 'cost,center': '!42' } })), { 'odd/tagged': 'odd' });
  });

  it('returns binary secrets as bytes', async () => {
    const got = await client.getAllSecrets({ name: { regexp: '^team/bin$' } });
    assert.deepEqual([...got['team/bin']!], [1, 2, 3]);
  });

  it('with prefix: only secrets under it, keys relative to it', async () => {
    const c = await connect({ ...spec, prefix: 'team/' });
    assert.deepEqual(decoded(await c.getAllSecrets({ name: { regexp: '^db-' } })), { 'db-password': 'p1', 'db-user': 'u1' });
    assert.deepEqual(decoded(await c.getAllSecrets({ path: 'api', name: { regexp: '.' } })), { 'api-key': 'k1' });
  });

  it('pages through more than 100 listed and 20 batched secrets', async () => {
    server.seed(Array.from({ length: 130 }, (_, i) => ({ name: `many/s${i}`, value: `v${i}`, tags: { bulk: 'yes' } })));
    const byName = await client.getAllSecrets({ name: { regexp: '^many/' } });
    assert.equal(Object.keys(byName).length, 130);
    const byPath = await client.getAllSecrets({ path: 'many/', name: { regexp: '.' } });
    assert.equal(Object.keys(byPath).length, 130);
    const byTag = decoded(await client.getAllSecrets({ tags: { bulk: 'yes' } }));
    assert.equal(Object.keys(byTag).length, 130);
    assert.equal(byTag['many/s129'], 'v129');
  });

  it('supports Go regexp flags and rejects bad patterns and empty finds', async () => {
    assert.deepEqual(Object.keys(await client.getAllSecrets({ name: { regexp: '(?i)^TEAM/API' } })), ['team/api-key']);
    await assert.rejects(client.getAllSecrets({ name: { regexp: '(' } }), /find\.name\.regexp "\(" is not a valid regular expression/);
    await assert.rejects(client.getAllSecrets({}), /unexpected find operator/);
  });
});
