// First-hour kubectl commands against the test API server (issue 12): `kubectl create token` and
// `kubectl auth whoami` send protobuf bodies (TokenRequest, SelfSubjectReview), and `kubectl apply -f`
// of a `kind: List` fetches /openapi/v2 for client-side validation. All answer as a real API server does.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kubectl, startKubeApiServer } from '../support/kube/index.js';
import type { KubeTestServer } from '../support/kube/index.js';

let server: KubeTestServer;
let k: Kubectl;

before(async () => {
  server = await startKubeApiServer({ https: true });
  k = new Kubectl();
  server.writeKubeconfig(k.kubeconfig);
});
after(async () => { await server.close(); k.dispose(); });

const claimsOf = (jwt: string): Record<string, unknown> => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;

test('kubectl create token issues a ServiceAccount token the server accepts; auth whoami names its user', async () => {
  assert.equal((await k.run(['create', 'serviceaccount', 'bot'])).code, 0);
  const t = await k.run(['create', 'token', 'bot', '--duration=20m', '--audience=vault']);
  assert.equal(t.code, 0, t.stderr);
  const claims = claimsOf(t.stdout.trim());
  assert.deepEqual(claims['aud'], ['vault']);
  assert.equal(claims['sub'], 'system:serviceaccount:default:bot');
  assert.equal(Number(claims['exp']) - Number(claims['iat']), 1200);
  const post = server.hooks.requests.find((q) => q.method === 'POST' && q.path === '/api/v1/namespaces/default/serviceaccounts/bot/token');
  assert.match(String(post?.headers['content-type']), /application\/vnd\.kubernetes\.protobuf/);

  const apiToken = (await k.run(['create', 'token', 'bot'])).stdout.trim();
  const who = await k.run(['auth', 'whoami', `--token=${apiToken}`]);
  assert.equal(who.code, 0, who.stderr);
  assert.match(who.stdout, /^ATTRIBUTE\s+VALUE\nUsername\s+system:serviceaccount:default:bot\nUID\s+\S+\nGroups\s+\[system:serviceaccounts system:serviceaccounts:default system:authenticated\]\n/);
  const admin = await k.run(['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username} {.metadata.creationTimestamp}']);
  assert.equal(admin.code, 0, admin.stderr);
  assert.equal(admin.stdout, 'kubernetes-admin null'); // a zero creationTimestamp, not 1970
});

test('kubectl create token: a missing ServiceAccount and a too-short duration fail in one line, exit 1', async () => {
  const missing = await k.run(['create', 'token', 'nosuch']);
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, 'error: failed to create token: serviceaccounts "nosuch" not found\n');
  const short = await k.run(['create', 'token', 'bot', '--duration=1m']);
  assert.equal(short.code, 1);
  assert.equal(short.stderr, 'error: failed to create token: TokenRequest.authentication.k8s.io "bot" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes\n');
});

test('kubectl apply -f of a v1 List creates each item; an unknown field in an item is refused by strict validation', async () => {
  const list = join(k.dir, 'list.yaml');
  writeFileSync(list, 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a, namespace: default}\n  data: {x: "1"}\n- apiVersion: v1\n  kind: Secret\n  metadata: {name: s, namespace: default}\n  stringData: {p: q}\n');
  const r = await k.run(['apply', '-f', list]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'configmap/a created\nsecret/s created\n');
  assert.deepEqual(server.stored({ resource: 'configmaps', namespace: 'default', name: 'a' })?.['data'], { x: '1' });

  const bad = join(k.dir, 'bad.yaml');
  writeFileSync(bad, 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  bogus: 1\n  metadata: {name: b, namespace: default}\n');
  const b = await k.run(['apply', '-f', bad]);
  assert.equal(b.code, 1);
  assert.equal(b.stderr, `Error from server (BadRequest): error when creating "${bad}": ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "bogus"\n`);
});
