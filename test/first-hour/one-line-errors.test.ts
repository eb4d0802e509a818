// First-hour mistakes (issue 12), through the real bin/cloak, bin/cloak-controller and dev servers:
// each fails with its exit code and one line naming the object and the fix, never a stack trace.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, runCloak } from '../support/cloak-cli.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir();
const PINNED_NODE = join(ROOT, 'node_modules/node/bin/node');

function oneLine(stderr: string, expected: string): void {
  assert.equal(stderr, `${expected}\n`);
  assert.doesNotMatch(stderr, /\n\s+at /);
}

function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', HOME: dir, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.on('error', reject);
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code: code ?? -1, stdout, stderr }); });
  });
}

const HINT = 'pass files or directories containing kind: SealedSecret; `cloak seal` makes one from a Secret';
const empty = join(dir, 'empty');
mkdirSync(empty);
const plainDir = join(dir, 'plain');
mkdirSync(plainDir);
const plain = join(plainDir, 'secret.yaml');
writeFileSync(plain, 'apiVersion: v1\nkind: Secret\nmetadata: {name: app}\nstringData: {password: s3cret}\n');

describe('validate and reencrypt: inputs without SealedSecrets fail the same way, before any cluster access', () => {
  for (const cmd of ['validate', 'reencrypt']) {
    it(`${cmd} -f EMPTY_DIR exits 2`, async () => {
      const r = await runCloak([cmd, '-f', empty]);
      assert.equal(r.code, 2);
      oneLine(r.stderr, `error: no SealedSecret documents found under ${empty} (${HINT})`);
    });
    it(`${cmd} -f DIR_OF_PLAIN_SECRETS exits 2`, async () => {
      const r = await runCloak([cmd, '-f', plainDir]);
      assert.equal(r.code, 2);
      oneLine(r.stderr, `error: no SealedSecret documents found under ${plainDir} (${HINT})`);
    });
    it(`${cmd} -f PLAIN_SECRET exits 2 and leaves the file alone`, async () => {
      const r = await runCloak([cmd, '-f', plain]);
      assert.equal(r.code, 2);
      oneLine(r.stderr, `error: ${plain}: no SealedSecret documents in this file (${HINT})`);
      assert.doesNotMatch(r.stderr + r.stdout, /s3cret/);
    });
  }
});

describe('keys generate and unseal: wrong files', () => {
  it('keys generate --out EXISTING_FILE exits 2 naming --out', async () => {
    const file = join(dir, 'taken');
    writeFileSync(file, 'x');
    const r = await runCloak(['keys', 'generate', '--out', file]);
    assert.equal(r.code, 2);
    oneLine(r.stderr, `error: ${file}: is a file, but --out names the directory to write tls.key, tls.crt and key-secret.yaml into (pass a new or existing directory, e.g. --out keys)`);
  });
  it('unseal --key CERTIFICATE says it is a certificate', async () => {
    const r = await runCloak(['unseal', '--key', 'keys-example/tls.crt'], { input: '' });
    assert.equal(r.code, 3);
    oneLine(r.stderr, 'error: keys-example/tls.crt: this is a certificate; pass the private key (e.g. --key tls.key next to it, or a key backup from `cloak keys backup`)');
  });
});

describe('dev servers: a bad --port is a one-line usage error, exit 1 (the usage code, as for cloak)', () => {
  const cases: Array<[string, string]> = [
    ['vault', 'error: dev-vault: --port: "abc" is not a port number (0 to 65535) (usage: npm run dev-vault -- [--port N] [--root-token T])'],
    ['aws', 'error: dev-aws: --port: "abc" is not a port number (0 to 65535) (usage: npm run dev-aws -- [--port N] [--access-key-id ID --secret-access-key KEY] [--region R] [--role ARN]...)'],
    ['kube', 'error: dev-cluster: --port: "abc" is not a port number (0 to 65535)'],
  ];
  for (const [server, line] of cases) {
    it(server, async () => {
      const r = await run(PINNED_NODE, [join(ROOT, `dist/test/support/${server}/cli.js`), '--port', 'abc']);
      assert.equal(r.code, 1);
      oneLine(r.stderr, line);
    });
  }
  it('dev-aws: an unknown option', async () => {
    const r = await run(PINNED_NODE, [join(ROOT, 'dist/test/support/aws/cli.js'), '--bogus']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: dev-aws: Unknown option '--bogus' \(usage: npm run dev-aws -- /);
    assert.equal(r.stderr.split('\n').length, 2);
  });
});

describe('cloak-controller outside a cluster without a kubeconfig', () => {
  it('fails at start in one line saying what to pass, exit 4', async () => {
    const r = await run(join(ROOT, 'bin/cloak-controller'), ['--listen-addr', '127.0.0.1:0', '--listen-metrics-addr', '127.0.0.1:0']);
    assert.equal(r.code, 4, r.stderr + r.stdout);
    const lines = (r.stdout + r.stderr).trim().split('\n');
    const last = JSON.parse(lines.at(-1)!) as Record<string, unknown>;
    assert.equal(last['msg'], 'start failed');
    assert.equal(last['error'], 'not running in a cluster and no kubeconfig given (pass --kubeconfig FILE or set KUBECONFIG)');
    assert.doesNotMatch(r.stdout + r.stderr, /Invalid URL|\n\s+at /);
  });
});

describe('entry points on a Node older than 22.19', () => {
  // The pinned Node made to report 22.18.0 before the entry module loads, as an old install would.
  const OLD = ['--import', 'data:text/javascript,Object.defineProperty(process.versions,"node",{value:"22.18.0"})'];
  const cases: Array<[string, string]> = [
    ['dist/controller/main.js', 'error: cloak-controller needs Node >= 22.19 (this is 22.18.0); run it through bin/cloak-controller after npm ci, or install Node 24 LTS'],
    ['dist/test/support/vault/cli.js', 'error: dev-vault needs Node >= 22.19 (this is 22.18.0); run it through npm run dev-vault after npm ci, or install Node 24 LTS'],
    ['dist/test/support/aws/cli.js', 'error: dev-aws needs Node >= 22.19 (this is 22.18.0); run it through npm run dev-aws after npm ci, or install Node 24 LTS'],
    ['dist/test/support/kube/cli.js', 'error: dev-cluster needs Node >= 22.19 (this is 22.18.0); run it through npm run dev-cluster after npm ci, or install Node 24 LTS'],
  ];
  for (const [entry, line] of cases) {
    it(entry, async () => {
      const r = await run(PINNED_NODE, [...OLD, join(ROOT, entry)]);
      assert.equal(r.code, 1);
      oneLine(r.stderr, line);
    });
  }
});
