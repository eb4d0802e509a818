// Network fetches of the real bin/cloak against servers that never answer or never stop: each fails
// within $CLOAK_TIMEOUT or at the size cap, with one line naming the URL and the fix, exit 4.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCloak } from '../support/cloak-cli.js';
import { hostileServers } from '../support/hostile-server.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir();
const hostile = hostileServers();
const server = (mode: 'silent' | 'endless') => hostile.start(mode);

after(() => hostile.close());

function kubeconfig(url: string): string {
  const file = join(dir, `kc-${url.split(':').pop()}.yaml`);
  writeFileSync(file, `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "${url}", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`);
  return file;
}

function assertOneLine(stderr: string, re: RegExp): void {
  const lines = stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, stderr);
  assert.match(lines[0]!, /^error: /);
  assert.match(lines[0]!, re);
}

describe('certificate URLs', () => {
  it('a server that never answers fails within CLOAK_TIMEOUT, naming the URL and the fix', async () => {
    const url = `${await server('silent')}/v1/cert.pem`;
    const started = Date.now();
    const r = await runCloak(['cert', url], { env: { CLOAK_TIMEOUT: '1s' } });
    assert.ok(Date.now() - started < 10_000);
    assert.equal(r.code, 4);
    assertOneLine(r.stderr, new RegExp(`${url.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: no answer within 1s .*CLOAK_TIMEOUT`));
  });

  it('seal --cert URL obeys the same deadline, --timeout over CLOAK_TIMEOUT', async () => {
    const url = `${await server('silent')}/cert.pem`;
    const r = await runCloak(['seal', '--cert', url, '--timeout', '500ms'], { env: { CLOAK_TIMEOUT: '10m' }, input: 'apiVersion: v1\nkind: Secret\nmetadata: {name: a}\nstringData: {k: v}\n' });
    assert.equal(r.code, 4);
    assertOneLine(r.stderr, /no answer within 500ms fetching the certificate/);
  });

  it('an endless body is cut at 1 MiB', async () => {
    const url = `${await server('endless')}/cert.pem`;
    const r = await runCloak(['cert', url]);
    assert.equal(r.code, 4);
    assertOneLine(r.stderr, /cert\.pem: certificate response exceeds 1 MiB/);
  });

  it('an invalid CLOAK_TIMEOUT or --timeout is a usage error', async () => {
    const r = await runCloak(['cert', 'http://127.0.0.1:1/cert.pem'], { env: { CLOAK_TIMEOUT: 'soon' } });
    assert.equal(r.code, 1);
    assertOneLine(r.stderr, /invalid CLOAK_TIMEOUT or --timeout "soon"/);
    const f = await runCloak(['cert', '--fetch', '--timeout', '0s']);
    assert.equal(f.code, 1);
    assertOneLine(f.stderr, /invalid .*"0s"/);
  });
});

describe('the API server and its service proxy', () => {
  it('an API server that never answers fails within CLOAK_TIMEOUT', async () => {
    const url = await server('silent');
    const started = Date.now();
    const r = await runCloak(['cert', '--fetch', '--kubeconfig', kubeconfig(url), '--timeout', '1s']);
    assert.ok(Date.now() - started < 10_000);
    assert.equal(r.code, 4);
    assertOneLine(r.stderr, /cannot reach the Kubernetes API server: ETIMEDOUT .*CLOAK_TIMEOUT/);
  });

  it('an endless answer is cut at the response cap', async () => {
    const url = await server('endless');
    const r = await runCloak(['cert', '--fetch', '--kubeconfig', kubeconfig(url)]);
    assert.equal(r.code, 4);
    assertOneLine(r.stderr, /exceeds 65536 KiB/);
  });
});
