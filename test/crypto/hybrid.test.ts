import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { decodeBase64Strict, hybridDecrypt, hybridEncrypt, keyFingerprint, parsePrivateKeyPem, readCertificate } from '../../src/crypto/index.js';
import { FIXTURES } from '../support/cloak-cli.js';

interface Vector { key: string; cert: string; scope: string; label: string; plaintext_b64: string; ciphertext_b64: string }
const vectors = JSON.parse(readFileSync(join(FIXTURES, 'interop/value-vectors.json'), 'utf8')).cases as Vector[];
const keyFile = (f: string) => parsePrivateKeyPem(readFileSync(join(FIXTURES, 'interop/value-keys', f), 'utf8'), f)[0]!;

describe('Bitnami hybrid format', () => {
  it('decrypts all 24 value vectors made by Bitnami\'s own code', () => {
    assert.equal(vectors.length, 24);
    for (const v of vectors) {
      const blob = decodeBase64Strict(v.ciphertext_b64);
      assert.ok(blob, `${v.key} ${v.scope}: strict base64`);
      const plain = hybridDecrypt(keyFile(v.key).privateKey, blob, Buffer.from(v.label, 'utf8'));
      assert.equal(plain.toString('base64'), v.plaintext_b64, `${v.key} ${v.scope} ${v.label}`);
    }
  });

  it('refuses each vector under a different label (scope binding)', () => {
    for (const v of vectors.slice(0, 6)) {
      const blob = decodeBase64Strict(v.ciphertext_b64)!;
      assert.throws(() => hybridDecrypt(keyFile(v.key).privateKey, blob, Buffer.from(`${v.label}x`)), /no key could decrypt secret/);
    }
  });

  it('round-trips binary, empty and large values with the layout u16be(len) || rsa || gcm || tag', () => {
    const cert = readCertificate(readFileSync(join(FIXTURES, 'interop/value-keys/c2048.pem'), 'utf8'), 'c2048.pem');
    const key = keyFile('k2048.pem');
    for (const plain of [Buffer.alloc(0), Buffer.from([0, 255, 1, 254]), Buffer.alloc(1 << 20, 7)]) {
      const blob = hybridEncrypt(cert.publicKey, plain, Buffer.from('ns/name'));
      assert.equal(blob.readUInt16BE(0), 256);
      assert.equal(blob.length, 2 + 256 + plain.length + 16);
      assert.deepEqual(hybridDecrypt(key.privateKey, blob, Buffer.from('ns/name')), plain);
    }
  });

  it('detects tampering with the AES part and reports too-short data', () => {
    const cert = readCertificate(readFileSync(join(FIXTURES, 'interop/value-keys/c2048.pem'), 'utf8'), 'c2048.pem');
    const blob = hybridEncrypt(cert.publicKey, Buffer.from('hunter2'), Buffer.alloc(0));
    blob[blob.length - 1]! ^= 1;
    assert.throws(() => hybridDecrypt(keyFile('k2048.pem').privateKey, blob, Buffer.alloc(0)), /no key could decrypt secret/);
    assert.throws(() => hybridDecrypt(keyFile('k2048.pem').privateKey, Buffer.from([1]), Buffer.alloc(0)), /too short/);
  });
});

describe('strict base64 (Go StdEncoding)', () => {
  it('accepts padded standard base64 and ignores CR/LF', () => {
    assert.equal(decodeBase64Strict('aGk=')?.toString(), 'hi');
    assert.equal(decodeBase64Strict('aG\r\nk=')?.toString(), 'hi');
    assert.equal(decodeBase64Strict('')?.length, 0);
  });
  it('rejects what Node would silently accept', () => {
    for (const bad of ['aGk', 'aG-_', 'aGk=\t', 'a=Gk', 'aGk==', 'QR==', 'aGk= ', 'aG k=']) assert.equal(decodeBase64Strict(bad), undefined, bad);
  });
});

describe('key fingerprint', () => {
  it('equals what ssh-keygen -lf -E sha256 prints (Bitnami\'s form)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cloak-fp-'));
    try {
      for (const bits of [2048, 3072]) {
        const { publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
        const pem = join(dir, `k${bits}.pem`);
        writeFileSync(pem, publicKey.export({ type: 'spki', format: 'pem' }));
        const ssh = execFileSync('ssh-keygen', ['-i', '-m', 'PKCS8', '-f', pem], { encoding: 'utf8' });
        writeFileSync(`${pem}.pub`, ssh);
        const printed = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${pem}.pub`], { encoding: 'utf8' });
        assert.equal(printed.split(' ')[1], keyFingerprint(publicKey));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
