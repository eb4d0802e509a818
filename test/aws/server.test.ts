// The Secrets Manager test server driven by the real JS SDK: shapes, staging, filters,
// pagination, deletion and error bodies as the SDK expects them.
import {
  BatchGetSecretValueCommand, CreateSecretCommand, DeleteSecretCommand, DescribeSecretCommand, GetSecretValueCommand,
  ListSecretsCommand, ListSecretVersionIdsCommand, PutSecretValueCommand, ResourceNotFoundException, RestoreSecretCommand, TagResourceCommand,
  UpdateSecretCommand, UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { smClient, testClock } from '../support/aws/clients.js';
import { startAwsServer, type AwsTestServer } from '../support/aws/index.js';

async function rejects(p: Promise<unknown>, name: string, message?: RegExp): Promise<Record<string, unknown>> {
  try {
    await p;
  } catch (e) {
    const err = e as Error & Record<string, unknown>;
    assert.equal(err.name, name, `expected ${name}, got ${err.name}: ${err.message}`);
    if (message) assert.match(err.message, message);
    return err;
  }
  assert.fail(`expected ${name}`);
}

describe('AWS test server: Secrets Manager operations through the JS SDK', () => {
  let server: AwsTestServer;
  const clock = testClock();
  before(async () => { server = await startAwsServer({ now: clock.now }); });
  after(() => server.close());
  const client = () => smClient(server, { systemClockOffset: clock.now() - Date.now() });

  it('creates, reads and stages versions (AWSCURRENT / AWSPREVIOUS / VersionId)', async () => {
    const c = client();
    const created = await c.send(new CreateSecretCommand({ Name: 'app/db', SecretString: '{"user":"a"}' }));
    assert.match(created.ARN!, /^arn:aws:secretsmanager:us-east-1:123456789012:secret:app\/db-[A-Za-z0-9]{6}$/);
    const v1 = created.VersionId!;
    clock.advance(1000);
    const put = await c.send(new PutSecretValueCommand({ SecretId: 'app/db', SecretString: '{"user":"b"}' }));
    assert.deepEqual(put.VersionStages, ['AWSCURRENT']);
    const cur = await c.send(new GetSecretValueCommand({ SecretId: 'app/db' }));
    assert.equal(cur.SecretString, '{"user":"b"}');
    assert.deepEqual(cur.VersionStages, ['AWSCURRENT']);
    assert.ok(cur.CreatedDate instanceof Date);
    assert.equal(cur.CreatedDate!.getTime(), clock.now());
    const prev = await c.send(new GetSecretValueCommand({ SecretId: 'app/db', VersionStage: 'AWSPREVIOUS' }));
    assert.equal(prev.SecretString, '{"user":"a"}');
    assert.equal(prev.VersionId, v1);
    const byId = await c.send(new GetSecretValueCommand({ SecretId: 'app/db', VersionId: v1 }));
    assert.equal(byId.SecretString, '{"user":"a"}');
    assert.deepEqual(byId.VersionStages, ['AWSPREVIOUS']);
    // A third value: the first version loses every label.
    await c.send(new PutSecretValueCommand({ SecretId: created.ARN, SecretString: 'c' }));
    const d = await c.send(new DescribeSecretCommand({ SecretId: 'app/db' }));
    assert.deepEqual(d.VersionIdsToStages![put.VersionId!], ['AWSPREVIOUS']);
    assert.equal(d.VersionIdsToStages![v1], undefined);
    await rejects(c.send(new GetSecretValueCommand({ SecretId: 'app/db', VersionStage: 'NOPE' })), 'ResourceNotFoundException', /staging label: NOPE/);
    await rejects(c.send(new GetSecretValueCommand({ SecretId: 'app/db', VersionId: '00000000-0000-0000-0000-000000000000' })), 'ResourceNotFoundException');
  });

  it('moves staging labels (UpdateSecretVersionStage) and lists version ids', async () => {
    const c = client();
    const a = await c.send(new CreateSecretCommand({ Name: 'staged', SecretString: 'a' }));
    const b = await c.send(new PutSecretValueCommand({ SecretId: 'staged', SecretString: 'b', VersionStages: ['AWSPENDING'] }));
    assert.equal((await c.send(new GetSecretValueCommand({ SecretId: 'staged' }))).SecretString, 'a');
    assert.equal((await c.send(new GetSecretValueCommand({ SecretId: 'staged', VersionStage: 'AWSPENDING' }))).SecretString, 'b');
    await rejects(c.send(new UpdateSecretVersionStageCommand({ SecretId: 'staged', VersionStage: 'AWSCURRENT', MoveToVersionId: b.VersionId! })), 'InvalidParameterException');
    await c.send(new UpdateSecretVersionStageCommand({ SecretId: 'staged', VersionStage: 'AWSCURRENT', MoveToVersionId: b.VersionId!, RemoveFromVersionId: a.VersionId! }));
    assert.equal((await c.send(new GetSecretValueCommand({ SecretId: 'staged' }))).SecretString, 'b');
    const ids = await c.send(new ListSecretVersionIdsCommand({ SecretId: 'staged' }));
    assert.deepEqual(Object.fromEntries(ids.Versions!.map((v) => [v.VersionId, v.VersionStages])), {
      [a.VersionId!]: ['AWSPREVIOUS'], [b.VersionId!]: ['AWSPENDING', 'AWSCURRENT'],
    });
    const upd = await c.send(new UpdateSecretCommand({ SecretId: 'staged', SecretString: 'c', Description: 'now c' }));
    assert.equal((await c.send(new GetSecretValueCommand({ SecretId: 'staged' }))).VersionId, upd.VersionId);
    assert.equal((await c.send(new DescribeSecretCommand({ SecretId: 'staged' }))).Description, 'now c');
  });

  it('keeps binary secrets as bytes and accepts a partial ARN', async () => {
    const c = client();
    const bytes = new Uint8Array([0, 1, 2, 255, 254]);
    await c.send(new CreateSecretCommand({ Name: 'bin/one', SecretBinary: bytes }));
    const got = await c.send(new GetSecretValueCommand({ SecretId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:bin/one' }));
    assert.deepEqual(new Uint8Array(got.SecretBinary!), bytes);
    assert.equal(got.SecretString, undefined);
  });

  it('is idempotent on ClientRequestToken and refuses a changed value for it', async () => {
    const c = client();
    const token = 'a'.repeat(32);
    await c.send(new CreateSecretCommand({ Name: 'idem', SecretString: 'x' }));
    const a = await c.send(new PutSecretValueCommand({ SecretId: 'idem', SecretString: 'y', ClientRequestToken: token }));
    const b = await c.send(new PutSecretValueCommand({ SecretId: 'idem', SecretString: 'y', ClientRequestToken: token }));
    assert.equal(a.VersionId, token);
    assert.equal(b.VersionId, token);
    await rejects(c.send(new PutSecretValueCommand({ SecretId: 'idem', SecretString: 'z', ClientRequestToken: token })), 'ResourceExistsException');
    await rejects(c.send(new CreateSecretCommand({ Name: 'idem', SecretString: 'x' })), 'ResourceExistsException');
  });

  it('reports errors the way the SDK models them', async () => {
    const err = await rejects(client().send(new GetSecretValueCommand({ SecretId: 'missing' })), 'ResourceNotFoundException',
      /^Secrets Manager can't find the specified secret\.$/);
    assert.ok(err instanceof ResourceNotFoundException);
    assert.equal(err.$fault, 'client');
    assert.equal((err.$metadata as { httpStatusCode: number }).httpStatusCode, 400);
  });

  it('filters ListSecrets with prefix, case and negation semantics, and paginates', async () => {
    const s = await startAwsServer();
    after(() => s.close());
    s.seed([
      { name: 'prod/db', value: '1', tags: { env: 'prod', team: 'core' }, description: 'Main Database' },
      { name: 'prod/cache', value: '2', tags: { env: 'prod' } },
      { name: 'Prod/upper', value: '3', tags: { env: 'production' } },
      { name: 'dev/db', value: '4', tags: { env: 'dev', team: 'core' }, description: 'dev database' },
    ]);
    const c = smClient(s);
    const names = async (Filters: Array<{ Key: 'name' | 'description' | 'tag-key' | 'tag-value' | 'all'; Values: string[] }>) =>
      ((await c.send(new ListSecretsCommand({ Filters }))).SecretList ?? []).map((x) => x.Name).sort();
    assert.deepEqual(await names([{ Key: 'name', Values: ['prod/'] }]), ['prod/cache', 'prod/db']);
    assert.deepEqual(await names([{ Key: 'name', Values: ['prod', 'Prod'] }]), ['Prod/upper', 'prod/cache', 'prod/db']);
    assert.deepEqual(await names([{ Key: 'description', Values: ['main'] }]), ['prod/db']);
    assert.deepEqual(await names([{ Key: 'description', Values: ['DEV'] }]), ['dev/db']);
    assert.deepEqual(await names([{ Key: 'tag-value', Values: ['prod'] }]), ['Prod/upper', 'prod/cache', 'prod/db']);
    assert.deepEqual(await names([{ Key: 'tag-value', Values: ['Prod'] }]), []);
    assert.deepEqual(await names([{ Key: 'tag-key', Values: ['team'] }, { Key: 'name', Values: ['!dev'] }]), ['prod/db']);
    assert.deepEqual(await names([{ Key: 'all', Values: ['DATABASE'] }]), ['dev/db', 'prod/db']);

    const seen: string[] = [];
    let NextToken: string | undefined;
    let pages = 0;
    do {
      const page = await c.send(new ListSecretsCommand({ MaxResults: 3, ...(NextToken ? { NextToken } : {}) }));
      seen.push(...page.SecretList!.map((x) => x.Name!));
      assert.ok(page.SecretList![0]!.LastChangedDate instanceof Date);
      NextToken = page.NextToken;
      pages++;
    } while (NextToken);
    assert.equal(pages, 2);
    assert.deepEqual(seen, ['prod/db', 'prod/cache', 'Prod/upper', 'dev/db']);
    await rejects(c.send(new ListSecretsCommand({ NextToken: 'bogus' })), 'InvalidNextTokenException');
  });

  it('BatchGetSecretValue by ids (errors per secret) and by filters (paginated)', async () => {
    const s = await startAwsServer();
    after(() => s.close());
    s.seed(Array.from({ length: 25 }, (_, i) => ({ name: `batch/s${String(i).padStart(2, '0')}`, value: `v${i}` })));
    const c = smClient(s);
    const byIds = await c.send(new BatchGetSecretValueCommand({ SecretIdList: ['batch/s01', 'nope'] }));
    assert.deepEqual(byIds.SecretValues!.map((v) => v.SecretString), ['v1']);
    assert.deepEqual(byIds.Errors, [{ SecretId: 'nope', ErrorCode: 'ResourceNotFoundException', Message: "Secrets Manager can't find the specified secret." }]);
    const first = await c.send(new BatchGetSecretValueCommand({ Filters: [{ Key: 'name', Values: ['batch/'] }], MaxResults: 20 }));
    assert.equal(first.SecretValues!.length, 20);
    const second = await c.send(new BatchGetSecretValueCommand({ Filters: [{ Key: 'name', Values: ['batch/'] }], MaxResults: 20, NextToken: first.NextToken! }));
    assert.equal(second.SecretValues!.length, 5);
    assert.equal(second.NextToken, undefined);
    await rejects(c.send(new BatchGetSecretValueCommand({ SecretIdList: ['a'], Filters: [{ Key: 'name', Values: ['x'] }] })), 'InvalidParameterException');
  });

  it('tags a secret and describes it without its value', async () => {
    const c = client();
    await c.send(new CreateSecretCommand({ Name: 'tagged', SecretString: 'v', Tags: [{ Key: 'a', Value: '1' }] }));
    await c.send(new TagResourceCommand({ SecretId: 'tagged', Tags: [{ Key: 'a', Value: '2' }, { Key: 'b', Value: '3' }] }));
    const d = await c.send(new DescribeSecretCommand({ SecretId: 'tagged' }));
    assert.deepEqual(d.Tags, [{ Key: 'a', Value: '2' }, { Key: 'b', Value: '3' }]);
    assert.equal((d as unknown as Record<string, unknown>).SecretString, undefined);
  });

  it('deletes with a recovery window: marked for deletion, hidden from lists, restorable, then gone', async () => {
    const c = client();
    await c.send(new CreateSecretCommand({ Name: 'doomed', SecretString: 'v' }));
    const del = await c.send(new DeleteSecretCommand({ SecretId: 'doomed', RecoveryWindowInDays: 7 }));
    assert.equal(del.DeletionDate!.getTime(), clock.now() + 7 * 86_400_000);
    await rejects(client().send(new GetSecretValueCommand({ SecretId: 'doomed' })), 'InvalidRequestException', /marked for deletion/);
    const listed = await c.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['doomed'] }] }));
    assert.equal(listed.SecretList!.length, 0);
    const planned = await c.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['doomed'] }], IncludePlannedDeletion: true }));
    assert.equal(planned.SecretList!.length, 1);
    assert.ok(planned.SecretList![0]!.DeletedDate instanceof Date);
    await c.send(new RestoreSecretCommand({ SecretId: 'doomed' }));
    assert.equal((await client().send(new GetSecretValueCommand({ SecretId: 'doomed' }))).SecretString, 'v');
    await c.send(new DeleteSecretCommand({ SecretId: 'doomed', RecoveryWindowInDays: 7 }));
    clock.advance(7 * 86_400_000);
    await rejects(client().send(new GetSecretValueCommand({ SecretId: 'doomed' })), 'ResourceNotFoundException');
    await rejects(client().send(new DeleteSecretCommand({ SecretId: 'tagged', RecoveryWindowInDays: 3 })), 'InvalidParameterException');
  });

  it('force-deletes at once', async () => {
    const c = client();
    await c.send(new CreateSecretCommand({ Name: 'gone-now', SecretString: 'v' }));
    await c.send(new DeleteSecretCommand({ SecretId: 'gone-now', ForceDeleteWithoutRecovery: true }));
    await rejects(c.send(new DescribeSecretCommand({ SecretId: 'gone-now' })), 'ResourceNotFoundException');
  });

  it('injects throttling that the SDK retries, then surfaces', async () => {
    const s = await startAwsServer();
    after(() => s.close());
    s.seed([{ name: 't', value: 'v' }]);
    s.hooks.throttle(1, 'GetSecretValue');
    const ok = await smClient(s, { maxAttempts: 2 }).send(new GetSecretValueCommand({ SecretId: 't' }));
    assert.equal(ok.$metadata.attempts, 2);
    s.hooks.throttle(1);
    const err = await rejects(smClient(s).send(new GetSecretValueCommand({ SecretId: 't' })), 'ThrottlingException', /Rate exceeded/);
    assert.equal((err.$metadata as { attempts: number }).attempts, 1);
    assert.equal(s.hooks.count('GetSecretValue'), 3);
  });
});
