// The service proxy reaches a controller started by hand (issue 12): `npm run dev-cluster -- --service
// NS/NAME=URL`, or an Endpoints/EndpointSlice with a loopback address, routed as the apiserver routes to
// pod IPs (service port by name or number, then the endpoint port of that name). kubectl and
// `kubeseal`-style paths go through it unmodified. `kill` of `npm run dev-cluster` stops the server.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ROOT } from '../support/cloak-cli.js';
import { Kubectl, startKubeApiServer } from '../support/kube/index.js';
import type { KubeTestServer } from '../support/kube/index.js';

const CLI = fileURLToPath(new URL('../support/kube/cli.js', import.meta.url));

let upstream: http.Server;
let upstreamPort = 0;
before(async () => {
  upstream = http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/plain' }); res.end(`upstream ${req.method} ${req.url}`); });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
  upstreamPort = (upstream.address() as AddressInfo).port;
});
after(async () => { upstream.closeAllConnections(); await new Promise((r) => upstream.close(r)); });

const CERT_PATH = '/api/v1/namespaces/kube-system/services/http:cloak-controller:http/proxy/v1/cert.pem';

test('dev-cluster --service NS/NAME=URL routes the service proxy there, for kubectl', async () => {
  const k = new Kubectl();
  const child = spawn(process.execPath, [CLI, '--kubeconfig', k.kubeconfig, '--service', `kube-system/cloak-controller=http://127.0.0.1:${upstreamPort}`, '--service', `default/web=http://127.0.0.1:${upstreamPort}/base/`], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  try {
    const out = await new Promise<string>((resolve, reject) => {
      let text = '';
      child.stdout.on('data', (c: Buffer) => { text += c.toString(); if (text.includes('default/web')) resolve(text); });
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${text}`)));
    });
    assert.match(out, new RegExp(`^service kube-system/cloak-controller → http://127.0.0.1:${upstreamPort}$`, 'm'));
    const r = await k.run(['get', '--raw', CERT_PATH]);
    assert.equal(r.stdout, 'upstream GET /v1/cert.pem', r.stderr);
    const web = await k.run(['get', '--raw', '/api/v1/namespaces/default/services/web:80/proxy/healthz?x=1']);
    assert.equal(web.stdout, 'upstream GET /base/healthz?x=1', web.stderr);
  } finally {
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    k.dispose();
  }
});

test('dev-cluster --service with a malformed value fails in one line, exit 1', async () => {
  const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [CLI, '--service', 'cloak-controller=127.0.0.1:8080'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.on('exit', (code) => resolve({ code, stderr }));
  });
  assert.equal(r.code, 1);
  assert.equal(r.stderr, 'error: dev-cluster: --service: "cloak-controller=127.0.0.1:8080" is not NAMESPACE/NAME=http://127.0.0.1:PORT\n');
});

test('kill of `npm run dev-cluster` (npm, then its sh -c) leaves nothing listening', async () => {
  const child = spawn('npm', ['run', '--silent', 'dev-cluster', '--', '--port', '0'], { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', HOME: tmpdir() }, stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (c: Buffer) => { text += c.toString(); const m = /listening on (http:\/\/\S+)/.exec(text); if (m) resolve(m[1]!); });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${text}`)));
  });
  const port = Number(new URL(url).port);
  const open = (): Promise<boolean> => new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
    s.on('error', () => resolve(false));
  });
  assert.ok(await open());
  const exited = new Promise((r) => child.on('exit', r));
  child.kill('SIGTERM');
  await exited;
  for (let i = 0; i < 150 && (await open()); i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(await open(), false, `the dev-cluster server still listens on ${url} after npm was killed`);
});

let server: KubeTestServer;
let k: Kubectl;
before(async () => {
  server = await startKubeApiServer({ https: true });
  k = new Kubectl();
  server.writeKubeconfig(k.kubeconfig);
});
after(async () => { await server.close(); k.dispose(); });

const apply = async (yaml: string): Promise<void> => {
  const r = await k.run(['apply', '-f', '-'], { input: yaml });
  assert.equal(r.code, 0, r.stderr);
};
const service = (name: string, ports: string): string => `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: kube-system}\nspec:\n  selector: {app: ${name}}\n  ports: ${ports}\n`;

test('an Endpoints object with a loopback address is routed to, by service port name or number', async () => {
  await apply(service('cloak-controller', '[{name: http, port: 8080, targetPort: 8080}]') +
    `---\napiVersion: v1\nkind: Endpoints\nmetadata: {name: cloak-controller, namespace: kube-system}\nsubsets:\n- addresses: [{ip: 127.0.0.1}]\n  ports: [{name: http, port: ${upstreamPort}}]\n`);
  for (const seg of ['http:cloak-controller:http', 'cloak-controller:8080', 'cloak-controller:http']) {
    const r = await k.run(['get', '--raw', `/api/v1/namespaces/kube-system/services/${seg}/proxy/v1/cert.pem`]);
    assert.equal(r.stdout, 'upstream GET /v1/cert.pem', `${seg}: ${r.stderr}`);
  }
  const wrongPort = await k.run(['get', '--raw', '/api/v1/namespaces/kube-system/services/cloak-controller:9999/proxy/']);
  assert.equal(wrongPort.code, 1);
  assert.match(wrongPort.stderr, /no service port 9999 found for service "cloak-controller"/);
});

test('EndpointSlices (no Endpoints object) are routed to; a non-loopback address is refused with a clear 503', async () => {
  await apply(service('sealed-secrets-controller', '[{name: http, port: 8080}]') +
    `---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: sealed-secrets-controller-abc\n  namespace: kube-system\n  labels: {kubernetes.io/service-name: sealed-secrets-controller}\naddressType: IPv4\nendpoints:\n- addresses: [127.0.0.1]\n  conditions: {ready: true}\nports: [{name: http, port: ${upstreamPort}}]\n`);
  const r = await k.run(['get', '--raw', '/api/v1/namespaces/kube-system/services/http:sealed-secrets-controller:/proxy/v1/cert.pem']);
  assert.equal(r.stdout, 'upstream GET /v1/cert.pem', r.stderr);

  await apply(service('remote', '[{name: http, port: 8080}]') +
    `---\napiVersion: v1\nkind: Endpoints\nmetadata: {name: remote, namespace: kube-system}\nsubsets:\n- addresses: [{ip: 10.1.2.3}]\n  ports: [{name: http, port: 8080}]\n`);
  const remote = await k.run(['get', '--raw', '/api/v1/namespaces/kube-system/services/remote:http/proxy/']);
  assert.equal(remote.code, 1);
  assert.match(remote.stderr, /dial tcp 10\.1\.2\.3:8080: the test API server reaches only loopback addresses/);

  await apply(service('empty', '[{name: http, port: 8080}]'));
  const empty = await k.run(['get', '--raw', '/api/v1/namespaces/kube-system/services/empty:http/proxy/']);
  assert.equal(empty.code, 1);
  assert.match(empty.stderr, /no endpoints available for service "empty:http"/);
});
