// Credentials for the aws provider: role assumption (chained, ExternalId, session tags), web
// identity from a ServiceAccount token or the environment, the env default chain, and reuse of
// temporary credentials until they expire (one STS call per expiry, not per read).
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isCloakError } from '../../src/errors.js';
import { awsProvider, JWT_ROLE_ARN_KEY, type AwsProviderSpec } from '../../src/providers/aws/index.js';
import type { ConnectContext, ProviderClient } from '../../src/providers/types.js';
import { ACCOUNT_ID, signJwt, startAwsServer, type AwsTestServer } from '../support/aws/index.js';
import { tempDir } from '../support/temp-dir.js';

const READER = `arn:aws:iam::${ACCOUNT_ID}:role/reader`;
const HOP = `arn:aws:iam::${ACCOUNT_ID}:role/hop`;
const FINAL = `arn:aws:iam::${ACCOUNT_ID}:role/final`;
const GUARDED = `arn:aws:iam::${ACCOUNT_ID}:role/guarded`;
const IRSA = `arn:aws:iam::${ACCOUNT_ID}:role/irsa`;
const ISSUER = 'https://oidc.eks.test/id/CLOAK';
const SUBJECT = 'system:serviceaccount:team:app';
const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');

describe('aws provider: credentials', () => {
  let server: AwsTestServer;
  const oidc = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const user = `arn:aws:iam::${ACCOUNT_ID}:user/cloak-test`;
  const token = (o: { aud?: string; sub?: string; exp?: number } = {}) =>
    signJwt({ iss: ISSUER, sub: o.sub ?? SUBJECT, aud: o.aud ?? 'sts.amazonaws.com', iat: Math.floor(Date.now() / 1000), exp: o.exp ?? Math.floor(Date.now() / 1000) + 3600 }, oidc.privateKey);

  before(async () => {
    server = await startAwsServer();
    server.seed([{ name: 'app/key', value: 'v1' }]);
    server.createRole(READER, { trustedPrincipals: [user] });
    server.createRole(HOP, { trustedPrincipals: [user] });
    server.createRole(FINAL, { trustedPrincipals: [HOP] });
    server.createRole(GUARDED, { externalId: 'ext-123' });
    server.createRole(IRSA, { webIdentity: [{ issuer: ISSUER, audiences: ['sts.amazonaws.com'], publicKey: oidc.publicKey }], subjects: [SUBJECT] });
  });
  after(() => server.close());

  const store = { kind: 'SecretStore' as const, name: 'aws', namespace: 'team' };
  const staticSecrets = (s = server) => ({
    'auth.secretRef.accessKeyIDSecretRef': Buffer.from(s.credentials.accessKeyId),
    'auth.secretRef.secretAccessKeySecretRef': Buffer.from(s.credentials.secretAccessKey),
  });
  const secretRefAuth = { secretRef: { accessKeyIDSecretRef: { name: 'a', key: 'id' }, secretAccessKeySecretRef: { name: 'a', key: 'secret' } } };
  const spec = (extra: Partial<AwsProviderSpec>): AwsProviderSpec => ({ service: 'SecretsManager', region: 'us-east-1', ...extra });
  async function connect(s: AwsProviderSpec, ctx: Partial<ConnectContext>): Promise<ProviderClient> {
    const c = await awsProvider.connect(s, { store, secrets: {}, env: { AWS_ENDPOINT_URL: server.url, AWS_MAX_ATTEMPTS: '1' }, ...ctx });
    after(() => c.close());
    return c;
  }
  const lastPrincipal = () => server.hooks.requests.filter((r) => r.operation === 'GetSecretValue').at(-1)!.principal;

  it('assumes the role once and reuses the credentials until they expire (one clock for both sides)', async () => {
    let now = Date.now();
    // Server and provider share the clock; the skew allowance lets the SDK keep signing with real time.
    const s = await startAwsServer({ now: () => now, maxSkewMs: 24 * 3_600_000 });
    after(() => s.close());
    s.seed([{ name: 'app/key', value: 'v1' }]);
    s.createRole(READER);
    const c = await awsProvider.connect(spec({ role: READER, auth: secretRefAuth }), {
      store, secrets: staticSecrets(s), env: { AWS_ENDPOINT_URL: s.url, AWS_MAX_ATTEMPTS: '1' }, now: () => now,
    });
    after(() => c.close());
    for (let i = 0; i < 5; i++) assert.equal(text(await c.getSecret({ key: 'app/key' })), 'v1');
    assert.equal(s.hooks.count('AssumeRole'), 1);
    assert.equal(s.hooks.requests.at(-1)!.principal, `arn:aws:sts::${ACCOUNT_ID}:assumed-role/reader/cloak-provider-aws`);
    now += 30 * 60_000; // half-way through the 1-hour session: still reused
    await c.getSecret({ key: 'app/key' });
    assert.equal(s.hooks.count('AssumeRole'), 1);
    now += 26 * 60_000; // inside the 5-minute refresh margin: renewed once, then reused
    for (let i = 0; i < 3; i++) await c.getSecret({ key: 'app/key' });
    assert.equal(s.hooks.count('AssumeRole'), 2);
    now += 2 * 3_600_000; // long past expiry: renewed once more, never a request with expired credentials
    for (let i = 0; i < 3; i++) await c.getSecret({ key: 'app/key' });
    assert.equal(s.hooks.count('AssumeRole'), 3);
    assert.equal(await c.validate(), 'Ready');
    assert.equal(s.hooks.count('AssumeRole'), 3);
    assert.equal(s.hooks.requests.filter((r) => r.status !== 200).length, 0);
    assert.equal(s.hooks.count('GetSecretValue'), 12);
  });

  it('chains additionalRoles before role, and passes ExternalId and session tags', async () => {
    const c = await connect(spec({ additionalRoles: [HOP], role: FINAL, auth: secretRefAuth }), { secrets: staticSecrets() });
    await c.getSecret({ key: 'app/key' });
    assert.equal(lastPrincipal(), `arn:aws:sts::${ACCOUNT_ID}:assumed-role/final/cloak-provider-aws`);

    const tagged = await connect(spec({ role: GUARDED, externalID: 'ext-123', sessionTags: [{ key: 'team', value: 'core' }], auth: secretRefAuth }), { secrets: staticSecrets() });
    await tagged.getSecret({ key: 'app/key' });
    const rec = server.hooks.requests.filter((r) => r.operation === 'GetSecretValue').at(-1)!;
    assert.deepEqual(rec.sessionTags, { team: 'core' });
  });

  it('explains a refused role assumption', async () => {
    const c = await connect(spec({ role: GUARDED, externalID: 'wrong', auth: secretRefAuth }), { secrets: staticSecrets() });
    await assert.rejects(c.getSecret({ key: 'app/key' }), (e: unknown) => {
      assert.ok(isCloakError(e));
      assert.equal(e.code, 'ProviderAuthFailed');
      assert.match(e.line, /STS AssumeRole for arn:aws:iam::123456789012:role\/guarded failed \(AccessDenied\)/);
      assert.match(e.line, /trust policy/);
      return true;
    });
    await assert.rejects(c.validate(), /AccessDenied/);
  });

  it('uses the ServiceAccount token for AssumeRoleWithWebIdentity (auth.jwt), once per expiry', async () => {
    const before = server.hooks.count('AssumeRoleWithWebIdentity');
    const c = await connect(spec({ role: IRSA, auth: { jwt: { serviceAccountRef: { name: 'app' } } } }), { secrets: { 'auth.jwt.serviceAccountRef': Buffer.from(token()) } });
    for (let i = 0; i < 3; i++) await c.getSecret({ key: 'app/key' });
    assert.equal(server.hooks.count('AssumeRoleWithWebIdentity') - before, 1);
    assert.equal(lastPrincipal(), `arn:aws:sts::${ACCOUNT_ID}:assumed-role/irsa/cloak-provider-aws`);
  });

  it('takes the role from the ServiceAccount annotation when the engine passes it', async () => {
    const c = await connect(spec({ auth: { jwt: { serviceAccountRef: { name: 'app' } } } }), {
      secrets: { 'auth.jwt.serviceAccountRef': Buffer.from(token()), [JWT_ROLE_ARN_KEY]: Buffer.from(IRSA) },
    });
    assert.equal(text(await c.getSecret({ key: 'app/key' })), 'v1');
  });

  it('explains a token with the wrong audience or subject', async () => {
    const c = await connect(spec({ role: IRSA, auth: { jwt: { serviceAccountRef: { name: 'app' } } } }), { secrets: { 'auth.jwt.serviceAccountRef': Buffer.from(token({ aud: 'vault' })) } });
    await assert.rejects(c.getSecret({ key: 'app/key' }), /AssumeRoleWithWebIdentity for .*irsa failed \(InvalidIdentityToken(Exception)?\): Incorrect token audience/);
    const d = await connect(spec({ role: IRSA, auth: { jwt: { serviceAccountRef: { name: 'app' } } } }), { secrets: { 'auth.jwt.serviceAccountRef': Buffer.from(token({ sub: 'system:serviceaccount:other:x' })) } });
    await assert.rejects(d.getSecret({ key: 'app/key' }), /AccessDenied/);
  });

  it('falls back to the environment: access keys, or a web identity token file', async () => {
    const c = await connect(spec({}), { env: { AWS_ENDPOINT_URL: server.url, AWS_ACCESS_KEY_ID: server.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey } });
    assert.equal(text(await c.getSecret({ key: 'app/key' })), 'v1');
    assert.equal(lastPrincipal(), user);

    const file = join(tempDir('cloak-aws-'), 'token');
    writeFileSync(file, token() + '\n');
    const w = await connect(spec({}), { env: { AWS_ENDPOINT_URL: server.url, AWS_WEB_IDENTITY_TOKEN_FILE: file, AWS_ROLE_ARN: IRSA } });
    assert.equal(text(await w.getSecret({ key: 'app/key' })), 'v1');
    assert.equal(lastPrincipal(), `arn:aws:sts::${ACCOUNT_ID}:assumed-role/irsa/cloak-provider-aws`);
  });

  it('says which credential is missing', async () => {
    await assert.rejects(connect(spec({ auth: secretRefAuth }), { secrets: {} }), /auth\.secretRef\.accessKeyIDSecretRef was not resolved/);
  });
});
