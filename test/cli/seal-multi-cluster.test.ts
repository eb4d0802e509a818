// `cloak seal --cert NAME=FILE|URL … -w 'clusters/{cluster}/x.yaml'`: one SealedSecret per cluster
// from one Secret in one run, through the real bin/cloak. Every certificate is loaded and checked
// first: a bad one fails the run and nothing is written.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { ROOT, runCloak } from '../support/cloak-cli.js';
import { tempDir } from '../support/temp-dir.js';

const CERT_A = join(ROOT, 'keys-example/tls.crt');
const KEY_A = join(ROOT, 'keys-example/tls.key');
const dir = tempDir('cloak-multi-');
const SECRET = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: team-a\nstringData:\n  password: MULTI-CLUSTER-PLANTED\n';
let CERT_B = '';
let KEY_B = '';
let server: Server;
let base = '';

before(async () => {
  const gen = await runCloak(['keys', 'generate', '--out', join(dir, 'b'), '--bits', '2048']);
  assert.equal(gen.code, 0, gen.stderr);
  CERT_B = join(dir, 'b', 'tls.crt');
  KEY_B = join(dir, 'b', 'tls.key');
  const pem = readFileSync(CERT_B);
  server = createServer((req, res) => {
    if (req.url === '/b.pem') { res.writeHead(200, { 'content-type': 'application/x-pem-file' }); res.end(pem); return; }
    res.writeHead(404); res.end('not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

/** A fresh working directory per case, so "nothing written" is checked on an empty tree. */
function work(name: string): string {
  const d = join(dir, name);
  mkdirSync(d);
  writeFileSync(join(d, 'secret.yaml'), SECRET);
  return d;
}

function tree(d: string): string[] {
  return readdirSync(d, { recursive: true }).map(String).sort();
}

async function unseal(file: string, key: string) {
  return runCloak(['unseal', '--key', key, '-f', file, '-o', 'json']);
}

describe('cloak seal for several clusters', { concurrency: true }, () => {
  it('writes one SealedSecret per cluster, each opening only with its own cluster\'s key', async () => {
    const d = work('two');
    const r = await runCloak(['seal', '-f', 'secret.yaml', '--cert', `prod=${CERT_A}`, '--cert', `staging=${base}/b.pem`, '-w', 'clusters/{cluster}/db.yaml'], { cwd: d });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'sealed for 2 clusters: clusters/prod/db.yaml, clusters/staging/db.yaml\n');
    const prod = join(d, 'clusters/prod/db.yaml');
    const staging = join(d, 'clusters/staging/db.yaml');
    const a = parse(readFileSync(prod, 'utf8'));
    const b = parse(readFileSync(staging, 'utf8'));
    assert.equal(a.kind, 'SealedSecret');
    assert.equal(a.metadata.namespace, 'team-a');
    assert.notEqual(a.metadata.annotations['cloak.dev/sealing-key'], b.metadata.annotations['cloak.dev/sealing-key']);
    for (const [file, key, other] of [[prod, KEY_A, KEY_B], [staging, KEY_B, KEY_A]] as const) {
      const ok = await unseal(file, key);
      assert.equal(ok.code, 0, ok.stderr);
      assert.equal(Buffer.from(JSON.parse(ok.stdout).data.password, 'base64').toString(), 'MULTI-CLUSTER-PLANTED');
      const no = await unseal(file, other);
      assert.equal(no.code, 3);
      assert.match(no.stderr, /no key could decrypt secret \(password\)/);
    }
  });

  it('-o json (or a .json path) gives JSON files; a single named cert with {cluster} works too', async () => {
    const d = work('json');
    const r = await runCloak(['seal', '-f', 'secret.yaml', '--cert', `east=${CERT_A}`, '-w', 'out/{cluster}.json'], { cwd: d });
    assert.equal(r.code, 0, r.stderr);
    const o = JSON.parse(readFileSync(join(d, 'out/east.json'), 'utf8'));
    assert.equal(o.kind, 'SealedSecret');
    assert.deepEqual(tree(d), ['out', 'out/east.json', 'secret.yaml']);
  });

  const badCerts: Array<[string, () => string, RegExp, number]> = [
    ['a missing file', () => 'missing.pem', /^error: missing\.pem: certificate file not found/, 2],
    ['a private key instead of a certificate', () => KEY_B, /expected a PEM CERTIFICATE but found a PEM/, 2],
    ['a URL that answers 404', () => `${base}/nope.pem`, /cannot fetch certificate: HTTP 404/, 4],
  ];
  for (const [what, ref, re, code] of badCerts) {
    it(`a bad certificate (${what}) fails the run before any file is written`, async () => {
      const d = work(`bad-${what.replace(/\W+/g, '-')}`);
      const r = await runCloak(['seal', '-f', 'secret.yaml', '--cert', `prod=${CERT_A}`, '--cert', `staging=${ref()}`, '-w', 'clusters/{cluster}/db.yaml'], { cwd: d });
      assert.equal(r.code, code, r.stderr);
      assert.match(r.stderr, re);
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
      assert.deepEqual(tree(d), ['secret.yaml'], 'nothing written, no directory made');
      assert.ok(!existsSync(join(d, 'clusters')));
    });
  }

  it('an invalid input Secret writes nothing either', async () => {
    const d = work('bad-input');
    writeFileSync(join(d, 'secret.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata: {name: db}\n');
    const r = await runCloak(['seal', '-f', 'secret.yaml', '--cert', `prod=${CERT_A}`, '--cert', `staging=${CERT_B}`, '-w', 'clusters/{cluster}/db.yaml'], { cwd: d });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /secret\.data is empty/);
    assert.deepEqual(tree(d), ['secret.yaml']);
  });

  const usage: Array<[string, string[], RegExp]> = [
    ['several certs, -w without {cluster}', ['--cert', `a=${CERT_A}`, '--cert', `b=${CERT_A}`, '-w', 'x.yaml'], /^error: several --cert need -w with \{cluster\} in the path \(one file per cluster\) \(pass one --cert NAME=FILE\|URL per cluster and -w 'clusters\/\{cluster\}\/FILE\.yaml'\)\n$/],
    ['several certs, no -w', ['--cert', `a=${CERT_A}`, '--cert', `b=${CERT_A}`], /^error: several --cert need -w with \{cluster\}/],
    ['{cluster} with an unnamed cert', ['--cert', CERT_A, '-w', 'c/{cluster}.yaml'], /^error: --cert .*tls\.crt has no cluster name for \{cluster\} \(write it as --cert NAME=FILE\|URL\)\n$/],
    ['{cluster} without any cert', ['-w', 'c/{cluster}.yaml'], /^error: -w with \{cluster\} needs --cert NAME=FILE\|URL/],
    ['the same cluster twice', ['--cert', `a=${CERT_A}`, '--cert', `a=${CERT_A}`, '-w', 'c/{cluster}.yaml'], /^error: --cert names cluster "a" twice/],
    ['with --raw', ['--raw', '--cert', `a=${CERT_A}`, '--cert', `b=${CERT_A}`, '-w', 'c/{cluster}.txt'], /^error: sealing for several clusters cannot be combined with --raw/],
    ['with --merge-into', ['--merge-into', 'x.yaml', '--cert', `a=${CERT_A}`, '--cert', `b=${CERT_A}`, '-w', 'c/{cluster}.yaml'], /^error: sealing for several clusters cannot be combined with --merge-into/],
  ];
  for (const [what, args, re] of usage) {
    it(`usage error: ${what}`, async () => {
      const d = work(`usage-${what.replace(/\W+/g, '-')}`);
      const r = await runCloak(['seal', '-f', 'secret.yaml', ...args], { cwd: d });
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, re);
      assert.deepEqual(tree(d), ['secret.yaml']);
    });
  }

  it('a URL with = in its query is a certificate, not NAME=…', async () => {
    const d = work('query');
    const r = await runCloak(['seal', '-f', 'secret.yaml', '--cert', `${base}/b.pem?x=1`], { cwd: d });
    // The test server serves /b.pem only for the exact path: the query makes it 404, proving the whole value was the URL.
    assert.equal(r.code, 4);
    assert.match(r.stderr, /http:\/\/127\.0\.0\.1:\d+\/b\.pem\?x=1: cannot fetch certificate: HTTP 404/);
  });
});
