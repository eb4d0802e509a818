// Hostile inputs through the real bin/cloak: each is refused with one typed line, never a raw
// JavaScript error, a stack trace or silently corrupted output.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, runCloak } from '../support/cloak-cli.js';
import { tempDir } from '../support/temp-dir.js';

const CERT = join(ROOT, 'keys-example/tls.crt');
const KEY = join(ROOT, 'keys-example/tls.key');
const dir = tempDir();

function assertOneLine(stderr: string, re: RegExp): void {
  const lines = stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, stderr);
  assert.match(lines[0]!, /^error: /);
  assert.match(lines[0]!, re);
  assert.doesNotMatch(stderr, /at .*\.js:\d+|Maximum call stack|Converting circular|is not a function|data too large/);
}

const secret = (value: string | Buffer) => Buffer.concat([
  Buffer.from('apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\nstringData:\n  password: "'),
  Buffer.isBuffer(value) ? value : Buffer.from(value),
  Buffer.from('"\n'),
]);

describe('cloak seal: hostile YAML and JSON', () => {
  it('refuses YAML nested 10000 deep', async () => {
    const r = await runCloak(['seal', '--cert', CERT], { input: `a: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n` });
    assert.equal(r.code, 2);
    assertOneLine(r.stderr, /stdin: nesting deeper than 100 levels/);
  });

  it('refuses JSON nested 10000 deep', async () => {
    const r = await runCloak(['seal', '--cert', CERT], { input: `{"a": ${'['.repeat(10_000)}${']'.repeat(10_000)}}` });
    assert.equal(r.code, 2);
    assertOneLine(r.stderr, /nesting deeper than 100 levels/);
  });

  it('refuses a circular alias', async () => {
    const r = await runCloak(['seal', '--cert', CERT], { input: 'apiVersion: v1\nkind: Secret\nmetadata: &m\n  name: x\n  self: *m\nstringData:\n  a: b\n' });
    assert.equal(r.code, 2);
    assertOneLine(r.stderr, /circular/);
  });

  it('refuses an alias bomb', async () => {
    const lines = ['a: &a [1,2,3,4,5,6,7,8,9]'];
    for (const [n, prev] of [['b', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'd'], ['f', 'e']] as const) lines.push(`${n}: &${n} [${Array(9).fill(`*${prev}`).join(',')}]`);
    const r = await runCloak(['seal', '--cert', CERT], { input: `${lines.join('\n')}\n` });
    assert.equal(r.code, 2);
    assertOneLine(r.stderr, /aliases expand too far/);
  });

  it('refuses invalid UTF-8 in a value, naming the key and line', async () => {
    const r = await runCloak(['seal', '--cert', CERT], { input: secret(Buffer.from([0x62, 0xff, 0xfe])) });
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assertOneLine(r.stderr, /stdin: invalid UTF-8 at line 6 in the value of key "password"/);
  });

  it('refuses a raw NUL byte in a YAML string, naming the key', async () => {
    const r = await runCloak(['seal', '--cert', CERT], { input: secret('b\x00c') });
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assertOneLine(r.stderr, /raw control character U\+0000 at line 6 in the value of key "password"/);
  });

  it('still seals an escaped NUL and binary --raw input', async () => {
    const ok = await runCloak(['seal', '--cert', CERT], { input: secret('b\\0c') });
    assert.equal(ok.code, 0, ok.stderr);
    const raw = await runCloak(['seal', '--cert', CERT, '--raw', '--scope', 'cluster-wide'], { input: Buffer.from([0, 0xff, 0xfe]) });
    assert.equal(raw.code, 0, raw.stderr);
  });
});

describe('certificates and manifests of the wrong shape', () => {
  it('refuses a 512-bit certificate, naming the file', async () => {
    const key = join(dir, 'k512.pem');
    const cert = join(dir, 'c512.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:512', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=weak'], { stdio: 'ignore' });
    const r = await runCloak(['seal', '--cert', cert], { input: secret('v') });
    assert.equal(r.code, 3);
    assertOneLine(r.stderr, /c512\.pem: certificate key is 512 bits, below the minimum of 2048/);
    const described = await runCloak(['cert', cert]);
    assert.equal(described.code, 3);
    assert.match(described.stdout, /status: +TOO WEAK/);
    assertOneLine(described.stderr, /below the minimum of 2048/);
  });

  it('refuses an ExternalSecret whose spec.data is not a list', async () => {
    const file = join(dir, 'es.yaml');
    writeFileSync(file, 'apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata:\n  name: x\nspec:\n  data: abc\n---\napiVersion: external-secrets.io/v1\nkind: SecretStore\nmetadata:\n  name: s\nspec:\n  provider:\n    fake: {data: []}\n');
    const r = await runCloak(['external', 'get', '-f', file, '--store', file]);
    assert.equal(r.code, 2);
    assertOneLine(r.stderr, /spec\.data is not a list/);
  });

  it('refuses to unseal a SealedSecret with no spec', async () => {
    const r = await runCloak(['unseal', '--key', KEY], { input: 'apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: x\n' });
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assertOneLine(r.stderr, /SealedSecret has no spec/);
  });
});

describe('a failing stdout', () => {
  it('is one line and a non-zero exit for > /dev/full', async () => {
    // -n: a Secret without a namespace would add seal's one-line namespace warning to stderr.
    const full = openSync('/dev/full', 'w');
    const child = spawn(join(ROOT, 'bin/cloak'), ['seal', '--cert', CERT, '-n', 'default'], { stdio: ['pipe', full, 'pipe'], env: { PATH: process.env['PATH'] ?? '', HOME: '/tmp' } });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.stdin!.end(secret('v'));
    const code = await new Promise<number | null>((res) => child.on('close', res));
    closeSync(full);
    assert.equal(code, 2);
    assertOneLine(stderr, /cannot write to standard output: ENOSPC/);
  });
});
