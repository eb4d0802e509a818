// `cloak kubeseal` (kubeseal's flags), `cloak cert` and `cloak keys generate` through the binary.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { readCertificate } from '../../src/crypto/index.js';
import { ROOT, runCloak } from '../support/cloak-cli.js';
import { tempDir } from '../support/temp-dir.js';

const CERT = join(ROOT, 'keys-example/tls.crt');
const KEY = join(ROOT, 'keys-example/tls.key');
const dir = tempDir();
const secret = JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'mysecret', namespace: 'default' }, data: { foo: Buffer.from('bar').toString('base64') } });

describe('cloak kubeseal', () => {
  it('seals stdin to JSON by default, like kubeseal', async () => {
    const r = await runCloak(['kubeseal', '--cert', CERT], { input: secret });
    assert.equal(r.code, 0, r.stderr);
    const ss = JSON.parse(r.stdout);
    assert.equal(ss.kind, 'SealedSecret');
    assert.deepEqual(Object.keys(ss), ['kind', 'apiVersion', 'metadata', 'spec']);
  });

  it('honours -o yaml, -f/--secret-file, -w/--sealed-secret-file, --scope and $SEALED_SECRETS_CERT', async () => {
    const inFile = join(dir, 'secret.json');
    writeFileSync(inFile, secret);
    const out = join(dir, 'sealed.yaml');
    const r = await runCloak(['kubeseal', '--secret-file', inFile, '--sealed-secret-file', out, '--scope', 'namespace-wide'], { env: { SEALED_SECRETS_CERT: CERT } });
    assert.equal(r.code, 0, r.stderr);
    const ss = parse(readFileSync(out, 'utf8').replace(/^---\n/, ''));
    assert.equal(ss.metadata.annotations['sealedsecrets.bitnami.com/namespace-wide'], 'true');
    const y = await runCloak(['kubeseal', '--cert', CERT, '-o', 'yaml', '-f', inFile]);
    assert.match(y.stdout, /^---\napiVersion: bitnami\.com\/v1alpha1/);
  });

  it('--raw --from-file, --fetch-cert --cert and --recovery-unseal --recovery-private-key', async () => {
    const valueFile = join(dir, 'v.txt');
    writeFileSync(valueFile, 'bar');
    const raw = await runCloak(['kubeseal', '--raw', '--cert', CERT, '--from-file', valueFile, '--namespace', 'default', '--name', 'mysecret']);
    assert.equal(raw.code, 0, raw.stderr);
    const fetched = await runCloak(['kubeseal', '--fetch-cert', '--cert', CERT]);
    assert.equal(fetched.stdout, readFileSync(CERT, 'utf8'));
    const ss = { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name: 'mysecret', namespace: 'default' }, spec: { encryptedData: { foo: raw.stdout } } };
    const rec = await runCloak(['kubeseal', '--recovery-unseal', '--recovery-private-key', KEY], { input: JSON.stringify(ss) });
    assert.equal(rec.code, 0, rec.stderr);
    const out = JSON.parse(rec.stdout);
    assert.equal(out.kind, 'Secret');
    assert.equal(Buffer.from(out.data.foo, 'base64').toString(), 'bar');
    assert.equal(out.metadata.ownerReferences[0].kind, 'SealedSecret');
  });

  it('--recovery-unseal without a key is a usage error', async () => {
    const r = await runCloak(['kubeseal', '--recovery-unseal'], { input: '{}' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /--recovery-private-key/);
  });
});

describe('cloak cert', () => {
  it('prints fingerprint, key size and validity', async () => {
    const r = await runCloak(['cert', CERT]);
    assert.equal(r.code, 0, r.stderr);
    const c = readCertificate(readFileSync(CERT, 'utf8'), CERT);
    assert.match(r.stdout, new RegExp(`^fingerprint: ${c.fingerprint.replace(/[+/]/g, '\\$&')}\n`));
    assert.match(r.stdout, /\nkey: +RSA 4096 bits\n/);
    assert.match(r.stdout, new RegExp(`\nvalid until: ${c.notAfter.toISOString()} \\(\\d+ days left\\)\n`));
    assert.match(r.stdout, /\nstatus: +valid\n/);
  });

  it('says what is wrong with a file that is not a certificate', async () => {
    const r = await runCloak(['cert', KEY]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /tls\.key: expected a PEM CERTIFICATE but found a PEM RSA PRIVATE KEY/);
  });
});

describe('cloak keys generate', () => {
  it('writes a Bitnami-format pair and a key Secret ready for kubectl apply', async () => {
    const out = join(dir, 'keys');
    const r = await runCloak(['keys', 'generate', '--out', out, '--bits', '2048', '-n', 'sealed-secrets']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^SHA256:[A-Za-z0-9+/]{43}\n$/);
    assert.match(readFileSync(join(out, 'tls.key'), 'utf8'), /^-----BEGIN RSA PRIVATE KEY-----/);
    assert.equal(statSync(join(out, 'tls.key')).mode & 0o777, 0o600);
    const manifest = parse(readFileSync(join(out, 'key-secret.yaml'), 'utf8'));
    assert.equal(manifest.type, 'kubernetes.io/tls');
    assert.equal(manifest.metadata.namespace, 'sealed-secrets');
    assert.equal(manifest.metadata.generateName, 'sealed-secrets-key');
    assert.equal(manifest.metadata.labels['sealedsecrets.bitnami.com/sealed-secrets-key'], 'active');
    assert.equal(Buffer.from(manifest.data['tls.crt'], 'base64').toString(), readFileSync(join(out, 'tls.crt'), 'utf8'));
    const sealed = await runCloak(['seal', '--cert', join(out, 'tls.crt')], { input: secret });
    const unsealed = await runCloak(['unseal', '--key', join(out, 'key-secret.yaml')], { input: sealed.stdout });
    assert.equal(unsealed.code, 0, unsealed.stderr);
    const text = execFileSync('openssl', ['x509', '-noout', '-subject'], { input: readFileSync(join(out, 'tls.crt')), encoding: 'utf8' });
    assert.equal(text.trim(), 'subject=');
  });

  it('refuses to overwrite existing keys', async () => {
    const out = join(dir, 'keys-twice');
    assert.equal((await runCloak(['keys', 'generate', '--out', out, '--bits', '2048'])).code, 0);
    const before = readFileSync(join(out, 'tls.key'), 'utf8');
    const r = await runCloak(['keys', 'generate', '--out', out, '--bits', '2048']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /refusing to overwrite an existing key file/);
    assert.equal(readFileSync(join(out, 'tls.key'), 'utf8'), before);
  });
});
