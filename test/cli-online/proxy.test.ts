// Online commands behind an HTTP proxy, as kubectl behaves: HTTPS_PROXY (CONNECT tunnel, TLS to the
// API server inside it, verified against the kubeconfig's CA), NO_PROXY, the kubeconfig's proxy-url,
// loopback servers never proxied, and a dead proxy named in the one-line error. The kubeconfig names
// the server `kubernetes.default.svc`, which only the proxy can resolve, so success proves the tunnel.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startTestCluster, type TestCluster } from '../support/cli-online/cluster.js';
import { runCloak } from '../support/cloak-cli.js';
import { startStubController, type StubController } from '../support/cli-online/stub-controller.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir('cloak-proxy-');
let cluster: TestCluster;
let stub: StubController;
let proxy: http.Server;
let proxyUrl: string;
const tunnels: string[] = [];
const sockets = new Set<net.Socket>();
let named: string;
let apiPort: string;

before(async () => {
  cluster = await startTestCluster(dir, { https: true });
  stub = await startStubController();
  await cluster.addControllerService({ name: 'cloak-controller', target: stub.handler });
  const original = readFileSync(cluster.kubeconfig, 'utf8');
  apiPort = /server: https:\/\/127\.0\.0\.1:(\d+)/.exec(original)![1]!;
  named = join(dir, 'named.kubeconfig');
  writeFileSync(named, original.replace(`https://127.0.0.1:${apiPort}`, `https://kubernetes.default.svc:${apiPort}`));

  proxy = http.createServer((_q, s) => { s.statusCode = 405; s.end(); });
  proxy.on('connect', (req: http.IncomingMessage, sock: net.Socket, head: Buffer) => {
    tunnels.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    if (host !== 'kubernetes.default.svc') { sock.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'); return; }
    sockets.add(sock);
    const up = net.connect(Number(port), '127.0.0.1', () => {
      sock.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      up.write(head);
      up.pipe(sock);
      sock.pipe(up);
    });
    sockets.add(up);
    up.on('error', () => sock.destroy());
    sock.on('error', () => up.destroy());
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
after(async () => {
  for (const s of sockets) s.destroy();
  proxy?.closeAllConnections();
  await new Promise((r) => proxy?.close(r));
  await cluster?.close();
});

test('HTTPS_PROXY: the API server is reached through a CONNECT tunnel, TLS verified inside it', async () => {
  tunnels.length = 0;
  const r = await runCloak(['cert', '--fetch'], { env: { KUBECONFIG: named, HTTPS_PROXY: proxyUrl } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), stub.newest().key.certPem.trim());
  assert.ok(tunnels.length > 0 && tunnels.every((t) => t === `kubernetes.default.svc:${apiPort}`), tunnels.join(','));
});

test('NO_PROXY excludes the server (then the name does not resolve here: one line naming the server)', async () => {
  tunnels.length = 0;
  const r = await runCloak(['cert', '--fetch'], { env: { KUBECONFIG: named, HTTPS_PROXY: proxyUrl, NO_PROXY: 'example.com,.default.svc' } });
  assert.equal(r.code, 4);
  assert.deepEqual(tunnels, []);
  assert.match(r.stderr, /^error: https:\/\/kubernetes\.default\.svc:\d+ \(context "[^"]+"\): cannot reach the Kubernetes API server: /);
  assert.equal(r.stderr.trimEnd().split('\n').length, 1);
});

test('the kubeconfig\'s proxy-url is used without any environment variable', async () => {
  tunnels.length = 0;
  const withProxy = join(dir, 'proxy-url.kubeconfig');
  const text = readFileSync(named, 'utf8').replace(/(\n\s+)server: (\S+)/, `$1server: $2$1proxy-url: ${proxyUrl}`);
  assert.match(text, /proxy-url:/);
  writeFileSync(withProxy, text);
  const r = await runCloak(['cert', '--fetch'], { env: { KUBECONFIG: withProxy } });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(tunnels.length > 0);
});

test('a loopback server is never sent to HTTPS_PROXY; a dead proxy is named in the error', async () => {
  const dead = 'http://127.0.0.1:9';
  const direct = await runCloak(['cert', '--fetch'], { env: { KUBECONFIG: cluster.kubeconfig, HTTPS_PROXY: dead } });
  assert.equal(direct.code, 0, direct.stderr);
  const r = await runCloak(['cert', '--fetch'], { env: { KUBECONFIG: named, HTTPS_PROXY: dead } });
  assert.equal(r.code, 4);
  assert.match(r.stderr, /cannot reach the Kubernetes API server through proxy http:\/\/127\.0\.0\.1:9 \(HTTPS_PROXY\)/);
  assert.match(r.stderr, /exclude the server with NO_PROXY/);
});
