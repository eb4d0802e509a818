// Authentication and RBAC over HTTPS: a ServiceAccount token from TokenRequest, a Role and RoleBinding,
// allowed and forbidden requests from client-node and kubectl, TokenReview, access and rules reviews.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ApiException, AuthenticationV1Api, AuthorizationV1Api, CoreV1Api, KubeConfig, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { Kubectl, startKubeApiServer } from '../support/kube/index.js';
import type { KubeTestServer } from '../support/kube/index.js';

let server: KubeTestServer;
let offsetMs = 0;
let admin: KubeConfig;
let token: string;
let k: Kubectl;

const clientFor = (t: string): KubeConfig => { const kc = new KubeConfig(); kc.loadFromString(server.kubeconfig({ token: t })); return kc; };
async function failure(p: Promise<unknown>): Promise<{ code: number; body: { message: string; reason: string; details?: unknown } }> {
  try { await p; } catch (e) {
    // client-node's generated clients keep the Status text for most codes, but drop it for 401.
    if (e instanceof ApiException) return { code: e.code, body: (typeof e.body === 'string' ? JSON.parse(e.body) : {}) as { message: string; reason: string } };
    throw e;
  }
  throw new Error('expected the request to fail');
}

before(async () => {
  server = await startKubeApiServer({ https: true, now: () => new Date(Date.now() + offsetMs) });
  admin = clientFor(server.adminToken);
  const core = admin.makeApiClient(CoreV1Api);
  const rbac = admin.makeApiClient(RbacAuthorizationV1Api);
  await core.createNamespace({ body: { metadata: { name: 'team' } } });
  await core.createNamespacedServiceAccount({ namespace: 'team', body: { metadata: { name: 'reader' } } });
  await rbac.createNamespacedRole({ namespace: 'team', body: { metadata: { name: 'secret-reader' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] }] } });
  await rbac.createNamespacedRoleBinding({ namespace: 'team', body: { metadata: { name: 'reader' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'secret-reader' }, subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace: 'team' }] } });
  await core.createNamespacedSecret({ namespace: 'team', body: { metadata: { name: 'db' }, stringData: { password: 'x' } } });
  const tr = await core.createNamespacedServiceAccountToken({ namespace: 'team', name: 'reader', body: { spec: { audiences: [], expirationSeconds: 3600 } } });
  token = tr.status!.token!;
  k = new Kubectl();
  server.writeKubeconfig(k.kubeconfig, { token });
});
after(async () => { await server.close(); k.dispose(); });

test('TokenRequest returns a signed JWT for the ServiceAccount with audiences and expiry', async () => {
  const [, payload] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as Record<string, unknown>;
  assert.equal(claims['sub'], 'system:serviceaccount:team:reader');
  assert.deepEqual(claims['aud'], ['https://kubernetes.default.svc.cluster.local']);
  assert.equal((claims['exp'] as number) - (claims['iat'] as number), 3600);
  const sa = server.stored({ resource: 'serviceaccounts', namespace: 'team', name: 'reader' })!;
  assert.deepEqual(claims['kubernetes.io'], { namespace: 'team', serviceaccount: { name: 'reader', uid: sa.metadata.uid } });
});

test('the Role allows reading Secrets in its namespace and nothing else', async () => {
  const core = clientFor(token).makeApiClient(CoreV1Api);
  assert.deepEqual((await core.listNamespacedSecret({ namespace: 'team' })).items.map((s) => s.metadata?.name), ['db']);
  assert.equal((await core.readNamespacedSecret({ namespace: 'team', name: 'db' })).data?.['password'], 'eA==');
  const create = await failure(core.createNamespacedSecret({ namespace: 'team', body: { metadata: { name: 'new' } } }));
  assert.equal(create.code, 403);
  assert.equal(create.body.message, 'secrets is forbidden: User "system:serviceaccount:team:reader" cannot create resource "secrets" in API group "" in the namespace "team"');
  const other = await failure(core.readNamespacedSecret({ namespace: 'default', name: 'db' }));
  assert.equal(other.body.message, 'secrets "db" is forbidden: User "system:serviceaccount:team:reader" cannot get resource "secrets" in API group "" in the namespace "default"');
  assert.deepEqual(other.body.details, { name: 'db', group: '', kind: 'secrets' });
  const all = await failure(core.listSecretForAllNamespaces());
  assert.equal(all.body.message, 'secrets is forbidden: User "system:serviceaccount:team:reader" cannot list resource "secrets" in API group "" at the cluster scope');
});

test('kubectl with the ServiceAccount token: allowed and Forbidden', async () => {
  const ok = await k.run(['get', 'secrets', '-n', 'team', '-o', 'name']);
  assert.equal(ok.stdout, 'secret/db\n', ok.stderr);
  const denied = await k.run(['get', 'secrets', '-n', 'default']);
  assert.equal(denied.code, 1);
  assert.equal(denied.stderr, 'Error from server (Forbidden): secrets is forbidden: User "system:serviceaccount:team:reader" cannot list resource "secrets" in API group "" in the namespace "default"\n');
  const del = await k.run(['delete', 'secret', 'db', '-n', 'team']);
  assert.match(del.stderr, /^Error from server \(Forbidden\): secrets "db" is forbidden: User "system:serviceaccount:team:reader" cannot delete resource "secrets" in API group "" in the namespace "team"\n/);
});

test('impersonation: the admin can act as the ServiceAccount (kubectl --as); the ServiceAccount cannot impersonate', async () => {
  const adminConfig = join(k.dir, 'admin.kubeconfig');
  server.writeKubeconfig(adminConfig);
  const as = ['--as=system:serviceaccount:team:reader'];
  const ok = await k.run([...as, 'get', 'secrets', '-n', 'team', '-o', 'name'], { kubeconfig: adminConfig });
  assert.equal(ok.stdout, 'secret/db\n', ok.stderr);
  const denied = await k.run([...as, 'get', 'configmaps', '-n', 'team'], { kubeconfig: adminConfig });
  assert.equal(denied.stderr, 'Error from server (Forbidden): configmaps is forbidden: User "system:serviceaccount:team:reader" cannot list resource "configmaps" in API group "" in the namespace "team"\n');
  const up = await k.run(['--as=kubernetes-admin', 'get', 'secrets'], {});
  assert.equal(up.stderr, 'Error from server (Forbidden): users "kubernetes-admin" is forbidden: User "system:serviceaccount:team:reader" cannot impersonate resource "users" in API group "" at the cluster scope\n');
});

test('SelfSubjectAccessReview and SelfSubjectRulesReview answer for the caller', async () => {
  const authz = clientFor(token).makeApiClient(AuthorizationV1Api);
  const yes = await authz.createSelfSubjectAccessReview({ body: { spec: { resourceAttributes: { namespace: 'team', verb: 'watch', resource: 'secrets' } } } });
  assert.equal(yes.status?.allowed, true);
  const no = await authz.createSelfSubjectAccessReview({ body: { spec: { resourceAttributes: { namespace: 'team', verb: 'delete', resource: 'secrets' } } } });
  assert.equal(no.status?.allowed, false);
  const rules = await authz.createSelfSubjectRulesReview({ body: { spec: { namespace: 'team' } } });
  assert.ok(rules.status?.resourceRules.some((r) => r.resources?.includes('secrets') && r.verbs.includes('list')));
  assert.equal(rules.status?.incomplete, false);
});

test('TokenReview authenticates issued tokens and rejects wrong audiences, deleted accounts and expiry', async () => {
  const authn = admin.makeApiClient(AuthenticationV1Api);
  const ok = await authn.createTokenReview({ body: { spec: { token } } });
  assert.equal(ok.status?.authenticated, true);
  assert.equal(ok.status?.user?.username, 'system:serviceaccount:team:reader');
  assert.deepEqual(ok.status?.user?.groups, ['system:serviceaccounts', 'system:serviceaccounts:team', 'system:authenticated']);
  const aud = await authn.createTokenReview({ body: { spec: { token, audiences: ['vault'] } } });
  assert.notEqual(aud.status?.authenticated, true);
  assert.match(aud.status?.error ?? '', /token audiences \["https:\/\/kubernetes.default.svc.cluster.local"\] is invalid for the target audiences \["vault"\]/);
  const forbiddenReview = await failure(clientFor(token).makeApiClient(AuthenticationV1Api).createTokenReview({ body: { spec: { token } } }));
  assert.equal(forbiddenReview.code, 403, 'creating TokenReviews needs system:auth-delegator');

  const core = admin.makeApiClient(CoreV1Api);
  const short = (await core.createNamespacedServiceAccountToken({ namespace: 'team', name: 'reader', body: { spec: { audiences: ['vault'], expirationSeconds: 600 } } })).status!.token!;
  assert.equal((await authn.createTokenReview({ body: { spec: { token: short, audiences: ['vault'] } } })).status?.authenticated, true);
  offsetMs = 601_000;
  const late = await authn.createTokenReview({ body: { spec: { token: short, audiences: ['vault'] } } });
  assert.equal(late.status?.error, '[invalid bearer token, service account token has expired]');
  offsetMs = 0;
  await core.deleteNamespacedServiceAccount({ namespace: 'team', name: 'reader' });
  const gone = await failure(clientFor(token).makeApiClient(CoreV1Api).listNamespacedSecret({ namespace: 'team' }));
  assert.equal(gone.code, 401);
});
