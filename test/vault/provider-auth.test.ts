// Every Vault auth method through the provider, and the token lifecycle: one login reused across
// reads, renew-self before expiry, re-login at max TTL / after expiry / after revocation, revoke on close.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { startVaultServer, type VaultTestServer } from '../support/vault/index.js';
import { manualClock } from '../support/vault/clock.js';
import { connect, rejectsWith, txt } from '../support/vault/harness.js';

const clock = manualClock();
let vault: VaultTestServer;
let app: { roleId: string; secretId: string };
let shortRole: { roleId: string; secretId: string };

const READER = 'path "secret/data/*" { capabilities = ["read"] }\npath "team-b/secret/data/*" { capabilities = ["read"] }';

before(async () => {
  vault = await startVaultServer({ now: clock.now });
  const r = await vault.seed({
    kv: { 'secret/app/db': { password: 'pw-1' } },
    policies: { reader: READER },
    auth: {
      approle: { type: 'approle', roles: { app: { token_policies: 'reader', token_ttl: '300s', token_max_ttl: '900s' }, short: { token_policies: ['reader'], token_ttl: '60s' } } },
      userpass: { type: 'userpass', roles: { alice: { password: 'alice-pw', token_policies: ['reader'] } } },
      'k8s-static': { type: 'kubernetes', roles: { eso: { bound_service_account_names: ['external-secrets'], bound_service_account_namespaces: ['apps'], token_policies: ['reader'] } } },
    },
  });
  app = r.approle.app!;
  shortRole = r.approle.short!;
  vault.setKubernetesToken('k8s-jwt-for-eso', { namespace: 'apps', name: 'external-secrets' });
  vault.setKubernetesToken('k8s-jwt-for-other', { namespace: 'apps', name: 'intruder' });
});
after(() => vault.close());

const logins = (mount = 'approle') => vault.count('POST', new RegExp(`^auth/${mount}/login`));
const reads = () => vault.count('GET', /^secret\/data\/app\/db$/);
const renewals = () => vault.count('POST', /^auth\/token\/renew-self$/);
const revokes = () => vault.count('POST', /^auth\/token\/revoke-self$/);
const appRoleSpec = (roleId: string) => ({ server: vault.url, path: 'secret', auth: { appRole: { roleId, secretRef: { name: 'approle', key: 'secret-id' } } } });

test('appRole: one login for many reads, renew before expiry, re-login at max TTL, revoke on close', async () => {
  const l0 = logins(); const r0 = reads(); const n0 = renewals(); const v0 = revokes();
  const c = await connect(appRoleSpec(app.roleId), { 'auth.appRole.secretRef': app.secretId }, clock.now);
  for (let i = 0; i < 5; i++) assert.equal(txt(await c.getSecret({ key: 'app/db', property: 'password' })), 'pw-1');
  assert.equal(logins() - l0, 1, 'one login for five reads');
  assert.equal(reads() - r0, 5);
  assert.equal(renewals() - n0, 0);

  clock.advance(210); // past 2/3 of the 300 s lease
  await c.getSecret({ key: 'app/db' });
  assert.equal(renewals() - n0, 1, 'renewed');
  assert.equal(logins() - l0, 1, 'no new login');
  clock.advance(210); await c.getSecret({ key: 'app/db' }); // t=420: renewed to 720
  clock.advance(210); await c.getSecret({ key: 'app/db' }); // t=630: capped at max TTL 900 → 270 s left
  assert.equal(renewals() - n0, 3);
  assert.equal(logins() - l0, 1);
  clock.advance(210); await c.getSecret({ key: 'app/db' }); // t=840: renewal gives 60 s only → fresh login
  assert.equal(renewals() - n0, 4);
  assert.equal(logins() - l0, 2, 're-login when renewal no longer extends the token');
  assert.equal(revokes() - v0, 1, 'the replaced token is revoked');
  assert.equal(c.session.stats.logins, 2);

  await c.close();
  assert.equal(revokes() - v0, 2, 'close revokes the token');
  await rejectsWith(c.getSecret({ key: 'app/db' }), 'ClientClosed');
});

test('concurrent first reads share one login', async () => {
  const l0 = logins();
  const c = await connect(appRoleSpec(app.roleId), { 'auth.appRole.secretRef': app.secretId }, clock.now);
  const values = await Promise.all(Array.from({ length: 20 }, () => c.getSecret({ key: 'app/db', property: 'password' })));
  assert.deepEqual(new Set(values.map(txt)), new Set(['pw-1']));
  assert.equal(logins() - l0, 1);
  await c.close();
});

test('expired token: a fresh login before the next read, no renewal attempt of a dead token', async () => {
  const c = await connect(appRoleSpec(shortRole.roleId), { 'auth.appRole.secretRef': shortRole.secretId }, clock.now);
  await c.getSecret({ key: 'app/db' });
  const l0 = logins(); const n0 = renewals();
  clock.advance(120); // the 60 s token is gone
  assert.equal(txt(await c.getSecret({ key: 'app/db', property: 'password' })), 'pw-1');
  assert.equal(logins() - l0, 1);
  assert.equal(renewals() - n0, 0);
  await c.close();
});

test('revoked behind our back: 403, lookup-self confirms the token is dead, re-login and retry once', async () => {
  const c = await connect(appRoleSpec(app.roleId), { 'auth.appRole.secretRef': app.secretId }, clock.now);
  await c.getSecret({ key: 'app/db' });
  const list = await fetch(`${vault.url}/v1/auth/token/accessors?list=true`, { headers: { 'X-Vault-Token': vault.rootToken } }).then((r) => r.json()) as { data: { keys: string[] } };
  const self = await fetch(`${vault.url}/v1/auth/token/lookup-self`, { headers: { 'X-Vault-Token': vault.rootToken } }).then((r) => r.json()) as { data: { accessor: string } };
  for (const accessor of list.data.keys.filter((a) => a !== self.data.accessor)) {
    await fetch(`${vault.url}/v1/auth/token/revoke-accessor`, { method: 'POST', headers: { 'X-Vault-Token': vault.rootToken }, body: JSON.stringify({ accessor }) });
  }
  const l0 = logins(); const lk0 = vault.count('GET', /^auth\/token\/lookup-self$/);
  assert.equal(txt(await c.getSecret({ key: 'app/db', property: 'password' })), 'pw-1');
  assert.equal(logins() - l0, 1);
  assert.equal(vault.count('GET', /^auth\/token\/lookup-self$/) - lk0, 1);
  await c.close();
});

test('appRole failures: wrong secret_id and missing credential give clear errors without the secret', async () => {
  const c = await connect(appRoleSpec(app.roleId), { 'auth.appRole.secretRef': 'wrong-secret-id-value' }, clock.now);
  const e = await rejectsWith(c.getSecret({ key: 'app/db' }), 'VaultLoginFailed');
  assert.match(e.line, /appRole login at auth\/approle: login failed: invalid role or secret ID/);
  assert.ok(!e.line.includes('wrong-secret-id-value'));
  await rejectsWith(c.validate(), 'VaultLoginFailed');
  await c.close();
  const m = await connect(appRoleSpec(app.roleId), {}, clock.now);
  await rejectsWith(m.getSecret({ key: 'app/db' }), 'MissingCredential');
  const wrongMount = await connect({ ...appRoleSpec(app.roleId), auth: { appRole: { path: 'nope', roleId: app.roleId, secretRef: { name: 'a' } } } }, { 'auth.appRole.secretRef': app.secretId }, clock.now);
  await rejectsWith(wrongMount.getSecret({ key: 'app/db' }), 'VaultLoginFailed');
});

test('appRole roleRef and auth.namespace: log in at the root namespace, read in a child namespace', async () => {
  await vault.seed({ namespace: 'team-b', mounts: { secret: { version: 2 } }, kv: { 'secret/cfg': { where: 'team-b' } } });
  const c = await connect({ server: vault.url, path: 'secret', namespace: 'team-b', auth: { namespace: '', appRole: { roleRef: { name: 'r', key: 'role-id' }, secretRef: { name: 's', key: 'secret-id' } } } },
    { 'auth.appRole.roleRef': app.roleId, 'auth.appRole.secretRef': app.secretId }, clock.now);
  assert.equal(txt(await c.getSecret({ key: 'cfg', property: 'where' })), 'team-b');
  const login = vault.requests.filter((r) => r.path === 'auth/approle/login').at(-1)!;
  assert.equal(login.namespace, '');
  await c.close();
});

test('userPass', async () => {
  const spec = { server: vault.url, path: 'secret', auth: { userPass: { username: 'alice', secretRef: { name: 'up', key: 'password' } } } };
  const c = await connect(spec, { 'auth.userPass.secretRef': 'alice-pw' }, clock.now);
  assert.equal(txt(await c.getSecret({ key: 'app/db', property: 'password' })), 'pw-1');
  assert.equal(await c.validate(), 'Ready');
  assert.equal(logins('userpass'), 1);
  await c.close();
  const bad = await connect(spec, { 'auth.userPass.secretRef': 'nope' }, clock.now);
  const e = await rejectsWith(bad.getSecret({ key: 'app/db' }), 'VaultLoginFailed');
  assert.match(e.line, /invalid username or password/);
});

test('kubernetes with a static JWT map: bound ServiceAccount logs in, others are refused', async () => {
  const spec = { server: vault.url, path: 'secret', auth: { kubernetes: { mountPath: 'k8s-static', role: 'eso', serviceAccountRef: { name: 'external-secrets' } } } };
  const c = await connect(spec, { 'auth.kubernetes.serviceAccountRef': 'k8s-jwt-for-eso' }, clock.now);
  assert.equal(txt(await c.getSecret({ key: 'app/db', property: 'password' })), 'pw-1');
  await c.close();
  const other = await connect(spec, { 'auth.kubernetes.serviceAccountRef': 'k8s-jwt-for-other' }, clock.now);
  const e = await rejectsWith(other.getSecret({ key: 'app/db' }), 'VaultLoginFailed');
  assert.match(e.line, /service account name not authorized/);
  assert.match(e.hint ?? '', /binds this ServiceAccount/);
  const unknown = await connect({ ...spec, auth: { kubernetes: { ...spec.auth.kubernetes, serviceAccountRef: undefined, secretRef: { name: 'sa-token' } } } }, { 'auth.kubernetes.secretRef': 'garbage' }, clock.now);
  const e2 = await rejectsWith(unknown.getSecret({ key: 'app/db' }), 'VaultLoginFailed');
  assert.match(e2.line, /permission denied/);
});

function makeJwt(key: KeyObject, claims: Record<string, unknown>, kid = 'k1'): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = enc({ alg: 'ES256', typ: 'JWT', kid });
  const body = enc(claims);
  const sig = sign('sha256', Buffer.from(`${head}.${body}`), { key, dsaEncoding: 'ieee-p1363' });
  return `${head}.${body}.${sig.toString('base64url')}`;
}

test('jwt with a validation public key and with a JWKS endpoint', async () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwks = { keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k1', use: 'sig', alg: 'ES256' }] };
  const jwksServer = http.createServer((_q, s) => { s.setHeader('Content-Type', 'application/json'); s.end(JSON.stringify(jwks)); });
  await new Promise<void>((r) => jwksServer.listen(0, '127.0.0.1', r));
  try {
    const role = { role_type: 'jwt', bound_audiences: ['vault'], user_claim: 'sub', token_policies: ['reader'] };
    await vault.seed({
      auth: {
        jwt: { type: 'jwt', config: { jwt_validation_pubkeys: [publicKey.export({ type: 'spki', format: 'pem' })], bound_issuer: 'https://issuer.test' }, roles: { ci: role } },
        'jwt-jwks': { type: 'jwt', config: { jwks_url: `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/keys`, default_role: 'ci' }, roles: { ci: role } },
      },
    });
    const now = Math.floor(clock.now() / 1000);
    const good = makeJwt(privateKey, { iss: 'https://issuer.test', aud: 'vault', sub: 'system:serviceaccount:apps:ci', exp: now + 600 });
    const c = await connect({ server: vault.url, path: 'secret', auth: { jwt: { role: 'ci', secretRef: { name: 'jwt', key: 'token' } } } }, { 'auth.jwt.secretRef': good }, clock.now);
    assert.equal(txt(await c.getSecret({ key: 'app/db', property: 'password' })), 'pw-1');
    await c.close();
    const k = await connect({ server: vault.url, path: 'secret', auth: { jwt: { path: 'jwt-jwks', kubernetesServiceAccountToken: { serviceAccountRef: { name: 'ci' } } } } }, { 'auth.jwt.kubernetesServiceAccountToken.serviceAccountRef': good }, clock.now);
    assert.equal(txt(await k.getSecret({ key: 'app/db', property: 'password' })), 'pw-1');
    await k.close();
    const expired = makeJwt(privateKey, { iss: 'https://issuer.test', aud: 'vault', sub: 'x', exp: now - 3600 });
    const x = await connect({ server: vault.url, path: 'secret', auth: { jwt: { role: 'ci', secretRef: { name: 'jwt' } } } }, { 'auth.jwt.secretRef': expired }, clock.now);
    assert.match((await rejectsWith(x.getSecret({ key: 'app/db' }), 'VaultLoginFailed')).line, /token is expired/);
    const wrongAud = makeJwt(privateKey, { iss: 'https://issuer.test', aud: 'other', sub: 'x', exp: now + 600 });
    const y = await connect({ server: vault.url, path: 'secret', auth: { jwt: { role: 'ci', secretRef: { name: 'jwt' } } } }, { 'auth.jwt.secretRef': wrongAud }, clock.now);
    assert.match((await rejectsWith(y.getSecret({ key: 'app/db' }), 'VaultLoginFailed')).line, /audience/);
    const forged = makeJwt(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, { iss: 'https://issuer.test', aud: 'vault', sub: 'x', exp: now + 600 });
    const z = await connect({ server: vault.url, path: 'secret', auth: { jwt: { role: 'ci', secretRef: { name: 'jwt' } } } }, { 'auth.jwt.secretRef': forged }, clock.now);
    assert.match((await rejectsWith(z.getSecret({ key: 'app/db' }), 'VaultLoginFailed')).line, /signature/);
  } finally {
    await new Promise((r) => jwksServer.close(r));
  }
});
