// Conformance: Debian's boto3/botocore (an independent client and SigV4 signer) against the AWS
// test server. Signed requests must pass; tampered, stale or wrongly keyed ones must fail.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { ACCOUNT_ID, signJwt, startAwsServer, type AwsTestServer } from '../support/aws/index.js';

const script = fileURLToPath(new URL('../../../test/aws/fixtures/botocore_conformance.py', import.meta.url));
// BatchGetSecretValue's model for a botocore older than the operation (Debian's 1.29).
const dataPath = fileURLToPath(new URL('../../../test/aws/fixtures/botocore-data', import.meta.url));
const ROLE = `arn:aws:iam::${ACCOUNT_ID}:role/boto`;
const IRSA = `arn:aws:iam::${ACCOUNT_ID}:role/boto-irsa`;

describe('AWS test server: botocore conformance', () => {
  let server: AwsTestServer;
  let r: Record<string, unknown> = {};
  before(async () => {
    server = await startAwsServer({ region: 'eu-central-1' });
    server.createRole(ROLE);
    const oidc = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    server.createRole(IRSA, { webIdentity: [{ issuer: 'https://oidc.test', audiences: ['sts.amazonaws.com'], publicKey: oidc.publicKey }] });
    const now = Math.floor(Date.now() / 1000);
    const token = signJwt({ iss: 'https://oidc.test', sub: 'system:serviceaccount:a:b', aud: 'sts.amazonaws.com', iat: now, exp: now + 600 }, oidc.privateKey);
    const { stdout } = await promisify(execFile)('/usr/bin/python3', [script], {
      env: {
        PATH: '/usr/bin:/bin', HOME: '/nonexistent', AWS_DATA_PATH: dataPath, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        SERVER_URL: server.url, AKID: server.credentials.accessKeyId, SECRET: server.credentials.secretAccessKey, REGION: server.region,
        ROLE_ARN: ROLE, IRSA_ARN: IRSA, WEB_TOKEN: token,
      },
      timeout: 60_000,
    });
    r = JSON.parse(stdout) as Record<string, unknown>;
  });
  after(() => server.close());

  it('serves boto3 Secrets Manager calls with shapes botocore parses', () => {
    assert.equal(r.create, 'boto/one');
    assert.deepEqual(r.put, ['AWSCURRENT']);
    assert.equal(r.get, '{"a":"2"}');
    assert.equal(r.get_previous, '{"a":"1"}');
    assert.equal(r.created_date_type, 'datetime');
    assert.deepEqual(r.binary, [0, 255]);
    assert.deepEqual(r.describe, [['AWSCURRENT'], ['AWSPREVIOUS']]);
    assert.deepEqual(r.tag, [{ Key: 'env', Value: 'dev' }, { Key: 'team', Value: 'core' }]);
    assert.deepEqual(r.list_filter, ['boto/one', 'boto/bin']);
    assert.deepEqual(r.list_paginator, ['boto/one', 'boto/bin']);
    assert.deepEqual(r.batch, ['boto/one']);
    assert.equal(r.delete, 'datetime');
    assert.equal(r.list_versions, 2);
    assert.equal(r.update, 'boto/one');
    assert.equal(r.restore, 'boto/bin');
  });

  it('sends only members botocore\'s model knows, with the model\'s JSON types (timestamps as numbers)', () => {
    assert.deepEqual(r.schema_problems, []);
    assert.deepEqual(r.schema_checked, ['BatchGetSecretValue', 'CreateSecret', 'DeleteSecret', 'DescribeSecret', 'GetSecretValue', 'ListSecretVersionIds',
      'ListSecrets', 'PutSecretValue', 'RestoreSecret', 'UpdateSecret']);
  });

  it('returns AWS error codes botocore recognises', () => {
    assert.equal(r.missing, 'error:ResourceNotFoundException:400');
    assert.equal(r.get_deleted, 'error:InvalidRequestException:400');
    assert.equal(r.wrong_secret, 'error:InvalidSignatureException:400');
    assert.equal(r.unknown_key, 'error:UnrecognizedClientException:400');
  });

  it('accepts botocore-signed requests, including path and query canonicalisation', () => {
    assert.equal(r.signed_ok, 'ok:200');
    assert.equal(r.signed_path_query, 'ok:200');
  });

  it('rejects tampered, stale, wrongly keyed and unsigned requests', () => {
    assert.equal(r.tampered_body, 'error:InvalidSignatureException:400');
    assert.equal(r.tampered_target, 'error:InvalidSignatureException:400');
    assert.equal(r.signed_wrong_secret, 'error:InvalidSignatureException:400');
    assert.equal(r.signed_old_date, 'error:InvalidSignatureException:400');
    assert.equal(r.unsigned, 'error:MissingAuthenticationTokenException:403');
  });

  it('serves STS to boto3: caller identity, AssumeRole, web identity; temporary credentials work on Secrets Manager', () => {
    assert.equal(r.caller, `arn:aws:iam::${ACCOUNT_ID}:user/cloak-test`);
    assert.equal(r.assume_role, 'datetime');
    assert.equal(r.assumed_read, '{"a":"2"}');
    assert.equal(r.assumed_without_token, 'error:UnrecognizedClientException:400');
    assert.equal(r.assume_unknown_role, 'error:AccessDenied:403');
    assert.equal(r.web_identity, `arn:aws:sts::${ACCOUNT_ID}:assumed-role/boto-irsa/irsa`);
    assert.equal(r.web_identity_bad_token, 'error:InvalidIdentityToken:400');
  });
});
