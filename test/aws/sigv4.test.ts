// SigV4 on the AWS test server: the AWS documentation's known-answer vector, temporary
// credentials (session token, expiry) and clock skew as the JS SDK experiences it.
import { GetSecretValueCommand, ListSecretsCommand } from '@aws-sdk/client-secrets-manager';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { smClient, testClock } from '../support/aws/clients.js';
import { ACCOUNT_ID, startAwsServer } from '../support/aws/index.js';
import { verifySigV4 } from '../support/aws/sigv4.js';

describe('AWS test server: SigV4', () => {
  it('verifies the AWS documentation example (GET ListUsers, IAM) and rejects a one-character change', () => {
    const req = {
      method: 'GET',
      url: '/?Action=ListUsers&Version=2010-05-08',
      headers: {
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        host: 'iam.amazonaws.com',
        'x-amz-date': '20150830T123600Z',
        authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
      },
      body: Buffer.alloc(0),
    };
    const o = { lookupSecret: () => 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', services: ['iam'], now: () => Date.UTC(2015, 7, 30, 12, 36) };
    assert.deepEqual(verifySigV4(req, o), { ok: true, accessKeyId: 'AKIDEXAMPLE', region: 'us-east-1', service: 'iam', signedHeaders: ['content-type', 'host', 'x-amz-date'] });
    const tampered = verifySigV4({ ...req, url: '/?Action=ListUsers&Version=2010-05-09' }, o);
    assert.equal(tampered.ok, false);
    assert.equal(!tampered.ok && tampered.type, 'InvalidSignatureException');
    const late = verifySigV4(req, { ...o, now: () => Date.UTC(2015, 7, 30, 12, 42) });
    assert.match(!late.ok ? late.message : '', /^Signature expired: 20150830T123600Z is now earlier than 20150830T123700Z/);
    const wrongService = verifySigV4(req, { ...o, services: ['secretsmanager'] });
    assert.equal(!wrongService.ok && wrongService.type, 'InvalidSignatureException');
  });

  it('accepts STS temporary credentials only with their session token and until they expire', async () => {
    const clock = testClock();
    const server = await startAwsServer({ now: clock.now });
    after(() => server.close());
    server.seed([{ name: 's', value: 'v' }]);
    const role = `arn:aws:iam::${ACCOUNT_ID}:role/r`;
    server.createRole(role);
    const sts = new STSClient({ region: 'us-east-1', endpoint: server.url, credentials: server.credentials, maxAttempts: 1, systemClockOffset: clock.now() - Date.now() });
    after(() => sts.destroy());
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: role, RoleSessionName: 'test', DurationSeconds: 900 }));
    const c = out.Credentials!;
    assert.equal(c.Expiration!.getTime(), clock.now() + 900_000);
    assert.match(c.AccessKeyId!, /^ASIA[A-Z2-7]{16}$/);
    const temp = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey! };
    const offset = () => clock.now() - Date.now();
    assert.equal((await smClient(server, { credentials: { ...temp, sessionToken: c.SessionToken! }, systemClockOffset: offset() }).send(new GetSecretValueCommand({ SecretId: 's' }))).SecretString, 'v');
    await assert.rejects(smClient(server, { credentials: temp, systemClockOffset: offset() }).send(new ListSecretsCommand({})), { name: 'UnrecognizedClientException' });
    clock.advance(900_000);
    await assert.rejects(smClient(server, { credentials: { ...temp, sessionToken: c.SessionToken! }, systemClockOffset: offset() }).send(new ListSecretsCommand({})),
      { name: 'ExpiredTokenException', message: 'The security token included in the request is expired' });
  });

  it('rejects a skewed client clock, and sends a Date header the SDK corrects its clock from', async () => {
    const server = await startAwsServer({ now: () => Date.now() + 3_600_000 });
    after(() => server.close());
    server.seed([{ name: 's', value: 'v' }]);
    await assert.rejects(smClient(server).send(new GetSecretValueCommand({ SecretId: 's' })), { name: 'InvalidSignatureException', message: /^Signature expired: /u });
    const corrected = await smClient(server, { maxAttempts: 2 }).send(new GetSecretValueCommand({ SecretId: 's' }));
    assert.equal(corrected.$metadata.attempts, 2);
    assert.equal(corrected.SecretString, 'v');
  });
});
