// Service proxy (URL and in-process targets, RBAC on services/proxy, kubectl get --raw) and the test hooks.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { Kubectl, client, startKubeApiServer } from '../support/kube/index.js';
import type { KubeTestServer } from '../support/kube/index.js';

let server: KubeTestServer;
let upstream: http.Server;
let api: ReturnType<typeof client>;
const seen: string[] = [];

before(async () => {
  server = await startKubeApiServer({ adminToken: 'admin', tokens: { 'dev-token': { username: 'dev', groups: ['devs'] } } });
  api = client(server.url, 'admin');
  upstream = http.createServer((req, res) => { seen.push(`${req.method} ${req.url} auth=${req.headers.authorization ?? '-'}`); res.writeHead(200, { 'content-type': 'text/plain' }); res.end('upstream'); });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
});
after(async () => { await server.close(); upstream.closeAllConnections(); await new Promise((r) => upstream.close(r)); });

test('service proxy forwards to a listener or a URL, in every [scheme:]name[:port] form', async () => {
  await api('POST', '/api/v1/namespaces/kube-system/services', { metadata: { name: 'cloak-controller' }, spec: { ports: [{ name: 'http', port: 8080 }] } });
  await server.registerServiceProxy('kube-system', 'cloak-controller', (req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      if (req.url === '/v1/cert.pem') { res.writeHead(200, { 'content-type': 'application/x-pem-file' }); res.end('PEM'); return; }
      res.writeHead(409, { 'content-type': 'text/plain' });
      res.end(`${req.method} ${req.url} ${body}`);
    });
  });
  const base = '/api/v1/namespaces/kube-system/services';
  for (const seg of ['http:cloak-controller:http', 'cloak-controller', 'cloak-controller:8080', 'http:cloak-controller:']) {
    const r = await fetch(`${server.url}${base}/${seg}/proxy/v1/cert.pem`, { headers: { authorization: 'Bearer admin' } });
    assert.equal(r.status, 200, seg);
    assert.equal(r.headers.get('content-type'), 'application/x-pem-file');
    assert.equal(await r.text(), 'PEM');
  }
  const post = await fetch(`${server.url}${base}/http:cloak-controller:http/proxy/v1/verify?x=1`, { method: 'POST', body: '{"a":1}', headers: { authorization: 'Bearer admin' } });
  assert.equal(post.status, 409);
  assert.equal(await post.text(), 'POST /v1/verify?x=1 {"a":1}');

  await server.registerServiceProxy('default', 'web', `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/base/`);
  const viaUrl = await fetch(`${server.url}/api/v1/namespaces/default/services/web/proxy/healthz`, { headers: { authorization: 'Bearer admin' } });
  assert.equal(await viaUrl.text(), 'upstream');
  assert.deepEqual(seen, ['GET /base/healthz auth=-'], 'the caller\'s credentials are not forwarded');
  const none = await api('GET', '/api/v1/namespaces/default/services/nothing/proxy/');
  assert.equal(none.status, 503);
  assert.equal(none.body.message, 'no endpoints available for service "nothing"');

  const k = new Kubectl();
  try {
    server.writeKubeconfig(k.kubeconfig);
    const raw = await k.run(['get', '--raw', `${base}/http:cloak-controller:http/proxy/v1/cert.pem`]);
    assert.equal(raw.stdout, 'PEM');
  } finally { k.dispose(); }
});

test('services/proxy is authorized like any subresource', async () => {
  const dev = client(server.url, 'dev-token');
  const denied = await dev('GET', '/api/v1/namespaces/kube-system/services/http:cloak-controller:http/proxy/v1/cert.pem');
  assert.equal(denied.status, 403);
  assert.equal(denied.body.message, 'services "http:cloak-controller:http" is forbidden: User "dev" cannot get resource "services/proxy" in API group "" in the namespace "kube-system"');
  await api('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/kube-system/roles', { metadata: { name: 'proxy' }, rules: [{ apiGroups: [''], resources: ['services/proxy'], resourceNames: ['http:cloak-controller:http'], verbs: ['get'] }] });
  await api('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/kube-system/rolebindings', { metadata: { name: 'proxy' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'proxy' }, subjects: [{ kind: 'Group', name: 'devs' }] });
  const allowed = await dev('GET', '/api/v1/namespaces/kube-system/services/http:cloak-controller:http/proxy/v1/cert.pem');
  assert.equal(allowed.status, 200);
  const bad = await client(server.url, 'wrong')('GET', '/api/v1/namespaces');
  assert.equal(bad.status, 401);
  assert.deepEqual(bad.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
});

test('hooks: recorder, injected errors and latency for the next N matching requests', async () => {
  server.hooks.clearRequests();
  server.hooks.inject({ method: 'GET', path: '/api/v1/namespaces/default/secrets', count: 2, status: 500 });
  server.hooks.inject({ path: /configmaps/, status: 429, retryAfterSeconds: 3 });
  const a = await api('GET', '/api/v1/namespaces/default/secrets');
  const b = await api('GET', '/api/v1/namespaces/default/secrets/x');
  const c = await api('GET', '/api/v1/namespaces/default/secrets');
  assert.deepEqual([a.status, b.status, c.status], [500, 500, 200]);
  assert.deepEqual(a.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Internal error occurred: injected by test', reason: 'InternalError', code: 500 });
  const t = await api('GET', '/api/v1/namespaces/default/configmaps');
  assert.equal(t.status, 429);
  assert.equal(t.headers.get('retry-after'), '3');
  assert.equal(t.body.details.retryAfterSeconds, 3);
  assert.equal((await api('GET', '/api/v1/namespaces/default/configmaps')).status, 200);

  const kc = new KubeConfig();
  kc.loadFromString(server.kubeconfig());
  const core = kc.makeApiClient(CoreV1Api);
  server.hooks.inject({ path: '/api/v1/namespaces/default/serviceaccounts', delayMs: 50 });
  const started = process.hrtime.bigint();
  await core.listNamespacedServiceAccount({ namespace: 'default' });
  assert.ok(process.hrtime.bigint() - started >= 45_000_000n, 'the request waited for the injected latency');
  const recorded = server.hooks.requests.filter((r) => r.path.startsWith('/api/v1/namespaces/default/'));
  assert.deepEqual(recorded.map((r) => `${r.method} ${r.path} ${r.status}`), [
    'GET /api/v1/namespaces/default/secrets 500',
    'GET /api/v1/namespaces/default/secrets/x 500',
    'GET /api/v1/namespaces/default/secrets 200',
    'GET /api/v1/namespaces/default/configmaps 429',
    'GET /api/v1/namespaces/default/configmaps 200',
    'GET /api/v1/namespaces/default/serviceaccounts 200',
  ]);
  assert.equal(recorded[5]!.user, 'kubernetes-admin');
  assert.equal(recorded[5]!.headers['authorization'], `Bearer admin`);
});
