// ExternalSecrets backed by the AWS Secrets Manager + STS test server, through the real
// cloak-controller (under the deploy/ RBAC) and the test API server: static credentials from a Secret; web identity (the
// controller mints a token for the annotated ServiceAccount via TokenRequest and exchanges it with
// STS AssumeRoleWithWebIdentity; STS checks the signature against the API server's JWKS, the issuer,
// the audience and the subject); VersionStage; find by name (with and without path) and by tags;
// SecretBinary bytes and JSON values of every type as ESO produces them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { ACCOUNT_ID, startAwsServer } from '../support/aws/index.js';
import {
  bytesOf, createEs, createSecret, createServiceAccount, createStore, getSecret, leakedIn, namespaces,
  startExternalEnv, textOf, waitEs, waitFailed, waitSynced,
} from '../support/controller/external-harness.js';

const ISSUER = 'https://kubernetes.default.svc.cluster.local';
// Spaces inside are kept: extract keeps non-string members as their raw JSON text.
const TYPES_JSON = '{"s":"plain","n":42,"f":1.5,"big":12345678901234567890,"tiny":1e-7,"t":true,"nul":null,' +
  '"obj": {"html": "<a&b>", "n": 1e-7},"arr":["x", 2]}';
// data[].remoteRef.property: gjson Result.String() (all-digit numbers raw, other numbers
// FormatFloat('f', -1), null empty, objects/arrays raw).
const PROPERTY = { s: 'plain', n: '42', f: '1.5', big: '12345678901234567890', tiny: '0.0000001', t: 'true', nul: '', obj: '{"html": "<a&b>", "n": 1e-7}', arr: '["x", 2]', 'obj.html': '<a&b>' };
// dataFrom.extract: map[string]json.RawMessage, strings (and null) unmarshalled, the rest raw.
const EXTRACT = { s: 'plain', n: '42', f: '1.5', big: '12345678901234567890', tiny: '1e-7', t: 'true', nul: '', obj: '{"html": "<a&b>", "n": 1e-7}', arr: '["x", 2]' };
const BINARY = Uint8Array.from([0xff, 0x00, 0x80, 0x0a, 0xc3]);

test('AWS: static credentials and web identity; VersionStage; find by name and tags; every value byte for byte', async () => {
  let aws: Awaited<ReturnType<typeof startAwsServer>> | undefined;
  let env: Awaited<ReturnType<typeof startExternalEnv>> | undefined;
  try {
    aws = await startAwsServer();
    env = await startExternalEnv({ rbac: true, env: { AWS_ENDPOINT_URL: aws.url, AWS_EC2_METADATA_DISABLED: 'true' } });
    const { c } = env;
    const a = aws;
    a.seed([
      { name: 'app/db', history: ['{"password":"old-pw"}'], value: '{"password":"new-pw","user":"svc"}', tags: { team: 'a', env: 'prod' } },
      { name: 'app/api', value: 'api-key-1', tags: { team: 'a', env: 'dev' } },
      { name: 'other/db', value: 'other-db', tags: { team: 'b', env: 'prod' } },
      { name: 'tagged/x', value: 'swapped', tags: { team: 'prod', env: 'a' } },
      { name: 'types', value: TYPES_JSON },
      { name: 'blob', value: BINARY },
    ]);
    // The web identity role trusts the API server's ServiceAccount issuer (its JWKS), audience sts.amazonaws.com.
    const jwks = await c.request<{ keys: JsonWebKey[] }>('GET', '/openid/v1/jwks');
    const roleArn = `arn:aws:iam::${ACCOUNT_ID}:role/eso-reader`;
    a.createRole(roleArn, {
      webIdentity: [{ issuer: ISSUER, audiences: ['sts.amazonaws.com'], publicKey: createPublicKey({ key: jwks.keys[0]!, format: 'jwk' }) }],
      subjects: ['system:serviceaccount:aws-irsa:reader'],
    });

    await namespaces(c, 'aws-static', 'aws-irsa');
    await createSecret(c, 'aws-static', 'aws-creds', { 'access-key': a.credentials.accessKeyId, 'secret-key': a.credentials.secretAccessKey });
    await createStore(c, 'aws-static', 'aws', { aws: { service: 'SecretsManager', region: a.region, auth: { secretRef: {
      accessKeyIDSecretRef: { name: 'aws-creds', key: 'access-key' }, secretAccessKeySecretRef: { name: 'aws-creds', key: 'secret-key' },
    } } } });
    await createServiceAccount(c, 'aws-irsa', 'reader', { 'eks.amazonaws.com/role-arn': roleArn });
    await createServiceAccount(c, 'aws-irsa', 'stranger', { 'eks.amazonaws.com/role-arn': roleArn });
    await createStore(c, 'aws-irsa', 'aws', { aws: { service: 'SecretsManager', region: a.region, auth: { jwt: { serviceAccountRef: { name: 'reader' } } } } });
    await createStore(c, 'aws-irsa', 'aws-stranger', { aws: { service: 'SecretsManager', region: a.region, auth: { jwt: { serviceAccountRef: { name: 'stranger' } } } } });

    const ref = { name: 'aws', kind: 'SecretStore' };
    await createEs(c, 'aws-static', 'db', {
      refreshInterval: '1h', secretStoreRef: ref,
      dataFrom: [{ extract: { key: 'app/db' } }],
      data: [
        { secretKey: 'current', remoteRef: { key: 'app/db', property: 'password' } },
        { secretKey: 'previous', remoteRef: { key: 'app/db', property: 'password', version: 'AWSPREVIOUS' } },
        { secretKey: 'explicit-current', remoteRef: { key: 'app/db', version: 'AWSCURRENT' } },
        { secretKey: 'api', remoteRef: { key: 'app/api' } },
        { secretKey: 'blob', remoteRef: { key: 'blob' } },
      ],
    });
    await createEs(c, 'aws-static', 'types', {
      refreshInterval: '1h', secretStoreRef: ref,
      data: Object.keys(PROPERTY).map((k) => ({ secretKey: `p.${k}`, remoteRef: { key: 'types', property: k } })),
    });
    await createEs(c, 'aws-static', 'types-extract', { refreshInterval: '1h', secretStoreRef: ref, dataFrom: [{ extract: { key: 'types' } }] });
    await createEs(c, 'aws-static', 'found', {
      refreshInterval: '1h', secretStoreRef: ref,
      dataFrom: [
        { find: { name: { regexp: 'db$' } } },
        { find: { path: 'app/', name: { regexp: 'api' } }, rewrite: [{ regexp: { source: '^app/', target: 'path-' } }] },
        { find: { tags: { team: 'a', env: 'prod' } }, rewrite: [{ regexp: { source: '/', target: '.' } }, { regexp: { source: '^', target: 'tag-' } }] },
      ],
    });
    await createEs(c, 'aws-static', 'live', { refreshInterval: '1s', secretStoreRef: ref, data: [{ secretKey: 'api', remoteRef: { key: 'app/api' } }] });
    await createEs(c, 'aws-irsa', 'db', { refreshInterval: '1h', secretStoreRef: ref, data: [{ secretKey: 'password', remoteRef: { key: 'app/db', property: 'password' } }] });
    await createEs(c, 'aws-irsa', 'denied', { refreshInterval: '1h', secretStoreRef: { name: 'aws-stranger', kind: 'SecretStore' }, data: [{ secretKey: 'password', remoteRef: { key: 'app/db', property: 'password' } }] });

    await Promise.all([['aws-static', 'db'], ['aws-static', 'types'], ['aws-static', 'types-extract'], ['aws-static', 'found'], ['aws-static', 'live'], ['aws-irsa', 'db']]
      .map(([ns, n]) => waitSynced(env!, ns!, n!)));

    const db = await getSecret(c, 'aws-static', 'db');
    const { blob, ...text } = bytesOf(db);
    assert.deepEqual(Object.fromEntries(Object.entries(text).map(([k, v]) => [k, v.toString('utf8')])), {
      password: 'new-pw', user: 'svc', current: 'new-pw', previous: 'old-pw', 'explicit-current': '{"password":"new-pw","user":"svc"}', api: 'api-key-1',
    });
    assert.ok(blob && Buffer.compare(blob, Buffer.from(BINARY)) === 0, 'SecretBinary bytes unchanged');

    assert.deepEqual(textOf(await getSecret(c, 'aws-static', 'types')), Object.fromEntries(Object.entries(PROPERTY).map(([k, v]) => [`p.${k}`, v])));
    assert.deepEqual(textOf(await getSecret(c, 'aws-static', 'types-extract')), EXTRACT);

    // find: by name over ListSecrets (keys converted, "/" → "_"), by path + name, by tag PAIRS
    // (tagged/x has the values swapped and must not match).
    assert.deepEqual(textOf(await getSecret(c, 'aws-static', 'found')), {
      app_db: '{"password":"new-pw","user":"svc"}', other_db: 'other-db',
      'path-api': 'api-key-1',
      'tag-app.db': '{"password":"new-pw","user":"svc"}',
    });

    // web identity: TokenRequest for the annotated ServiceAccount (audience sts.amazonaws.com), STS exchange, read.
    assert.deepEqual(textOf(await getSecret(c, 'aws-irsa', 'db')), { password: 'new-pw' });
    const tokenRequests = env.cluster.server.hooks.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/namespaces/aws-irsa/serviceaccounts/reader/token');
    assert.ok(tokenRequests.length >= 1, 'TokenRequest for the ServiceAccount');
    for (const r of tokenRequests) assert.deepEqual((JSON.parse(r.body) as { spec: { audiences?: string[] } }).spec.audiences, ['sts.amazonaws.com'], 'ESO\'s default web identity audience');
    assert.ok(a.hooks.requests.some((r) => r.operation === 'AssumeRoleWithWebIdentity' && r.status === 200), 'STS web identity exchange');
    // A ServiceAccount the role does not trust: Ready=False with STS's reason, naming the entry.
    const denied = await waitFailed(env, 'aws-irsa', 'denied', /AssumeRoleWithWebIdentity/);
    assert.equal(denied.reason, 'SecretSyncedError');
    assert.match(denied.message, /^could not get secret data from provider: /);
    assert.match(denied.message, /spec\.data\[0\] \(secretKey "password", key "app\/db", property "password"\)/);
    assert.match(denied.message, /AssumeRoleWithWebIdentity/);
    assert.match(denied.message, /AccessDenied|not authorized/i);
    assert.equal(await getSecret(c, 'aws-irsa', 'denied'), undefined);

    // Secrets Manager answers 503 for a while (longer than the SDK's own retries): the periodic
    // refresh fails with Ready=False naming the entry and AWS's error, the Secret stays
    // byte-identical; once AWS answers again the ExternalSecret recovers by itself.
    const before = await getSecret(c, 'aws-static', 'live');
    a.hooks.fail(9, 'ServiceUnavailable', 'Service is temporarily unavailable', 503, 'GetSecretValue');
    const down = await waitFailed(env, 'aws-static', 'live', /ServiceUnavailable/);
    assert.equal(down.reason, 'SecretSyncedError');
    assert.match(down.message, /^could not get secret data from provider: .*spec\.data\[0\] \(secretKey "api", key "app\/api"\)/);
    assert.match(down.message, /ServiceUnavailable|503|unavailable/i);
    const kept = await getSecret(c, 'aws-static', 'live');
    assert.equal(kept!.metadata.resourceVersion, before!.metadata.resourceVersion, 'Secret not rewritten');
    assert.deepEqual(bytesOf(kept), bytesOf(before));
    await waitEs(env, 'aws-static', 'live', (r) => r.status === 'True' && r.reason === 'SecretSynced', 'recovered');
    assert.deepEqual(textOf(await getSecret(c, 'aws-static', 'live')), { api: 'api-key-1' });

    assert.equal(leakedIn(env.ctl.logs, ['new-pw', 'old-pw', 'api-key-1', a.credentials.secretAccessKey]), undefined, 'no secret value in logs');
  } finally {
    await env?.close();
    await aws?.close();
  }
});
