// ESO's own AWS examples (test/fixtures/eso-examples) read through the aws provider and the
// test server: the store blocks connect unchanged and every remoteRef/find gives ESO's result.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { awsProvider, type AwsProviderSpec } from '../../src/providers/aws/index.js';
import type { FindRef, ProviderClient, RemoteRef } from '../../src/providers/types.js';
import { ACCOUNT_ID, startAwsServer, type AwsTestServer } from '../support/aws/index.js';
import { FIXTURES } from '../support/cloak-cli.js';

const example = (f: string) => parse(readFileSync(join(FIXTURES, 'eso-examples', f), 'utf8')) as {
  spec: { provider?: { aws: AwsProviderSpec }; data?: Array<{ secretKey: string; remoteRef: RemoteRef }>; dataFrom?: Array<{ find: FindRef }> };
};
const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');

describe('ESO AWS examples through the aws provider', () => {
  let server: AwsTestServer;
  before(async () => {
    server = await startAwsServer({ region: 'eu-central-1' });
    server.createRole(`arn:aws:iam::${ACCOUNT_ID}:role/external-secrets`);
    server.seed([
      { name: 'friendslist', value: JSON.stringify({ name: { first: 'Tom', last: 'Anderson' }, friends: [{ first: 'Dale', last: 'Murphy' }, { first: 'Roger', last: 'Craig' }, { first: 'Jane', last: 'Murphy' }] }) },
      { name: 'database-credentials', value: '{"user":"db"}', tags: { dev: 'seth', ops: 'ana' } },
    ]);
  });
  after(() => server.close());

  async function connect(file: string, srv = server): Promise<ProviderClient> {
    const spec = example(file).spec.provider!.aws;
    assert.deepEqual(awsProvider.validateStore(spec), []);
    const c = await awsProvider.connect(spec, {
      store: { kind: 'SecretStore', name: 'eso', namespace: 'default' },
      secrets: {
        'auth.secretRef.accessKeyIDSecretRef': Buffer.from(srv.credentials.accessKeyId),
        'auth.secretRef.secretAccessKeySecretRef': Buffer.from(srv.credentials.secretAccessKey),
      },
      env: { AWS_ENDPOINT_URL: srv.url },
    });
    after(() => c.close());
    return c;
  }

  it('aws-sm-store.yaml (with role) + aws-sm-external-secret.yaml', async () => {
    const c = await connect('aws-sm-store.yaml');
    const got: Record<string, string> = {};
    for (const d of example('aws-sm-external-secret.yaml').spec.data!) got[d.secretKey] = text(await c.getSecret(d.remoteRef));
    assert.deepEqual(got, { my_name: 'Tom', first_friend: 'Roger', tags: '{"dev":"seth","ops":"ana"}', developer: 'seth' });
    assert.equal(server.hooks.requests.filter((r) => r.operation === 'GetSecretValue').at(-1)!.principal,
      `arn:aws:sts::${ACCOUNT_ID}:assumed-role/external-secrets/cloak-provider-aws`);
  });

  it('basic-secret-store.yaml + getallsecrets-find-by-tags.yaml (pairs, not crossed tags)', async () => {
    const east = await startAwsServer({ region: 'us-east-1' });
    after(() => east.close());
    east.seed([
      { name: 'app-prod', value: 'p', tags: { environment: 'prod', application: 'app-name' } },
      { name: 'app-crossed', value: 'x', tags: { environment: 'app-name', application: 'prod' } },
      { name: 'app-dev', value: 'd', tags: { environment: 'dev', application: 'app-name' } },
    ]);
    const c = await connect('basic-secret-store.yaml', east);
    const found = await c.getAllSecrets(example('getallsecrets-find-by-tags.yaml').spec.dataFrom![0]!.find);
    assert.deepEqual(Object.keys(found), ['app-prod']);
  });
});
