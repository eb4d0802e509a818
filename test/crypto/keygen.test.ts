import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import { generateSealingKey, hybridDecrypt, hybridEncrypt, parsePrivateKeyPem, readCertificate } from '../../src/crypto/index.js';

describe('controller key generation (Bitnami GeneratePrivateKeyAndCert)', () => {
  it('defaults to RSA-4096 with a 10-year self-signed CA cert, empty subject, KeyUsage Encipher Only', async () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const key = await generateSealingKey({ now });
    const cert = new X509Certificate(key.certPem);
    assert.equal(key.publicKey.asymmetricKeyDetails?.modulusLength, 4096);
    // X509Certificate.ca is false here, as for Bitnami's own certs: OpenSSL's check wants keyCertSign in KeyUsage.
    assert.ok(cert.verify(key.publicKey), 'self-signed with its own key');
    assert.equal(new Date(cert.validFrom).toISOString(), now.toISOString());
    assert.equal(new Date(cert.validTo).toISOString(), new Date(now.getTime() + 3650 * 86_400_000).toISOString());
    assert.match(key.keyPem, /^-----BEGIN RSA PRIVATE KEY-----\n/);
    const text = execFileSync('openssl', ['x509', '-noout', '-text'], { input: key.certPem, encoding: 'utf8' });
    assert.match(text, /Subject: *\n/);
    assert.match(text, /Key Usage: critical\n\s*Encipher Only/);
    assert.match(text, /Basic Constraints: critical\n\s*CA:TRUE/);
    assert.match(text, /Subject Key Identifier/);
    assert.match(text, /Signature Algorithm: sha256WithRSAEncryption/);
  });

  it('makes a key that round-trips and whose fingerprint matches its certificate', async () => {
    const key = await generateSealingKey({ bits: 2048, commonName: 'cloak' });
    const cert = readCertificate(key.certPem, 'generated');
    assert.equal(cert.fingerprint, key.fingerprint);
    assert.match(cert.cert.subject, /CN=cloak/);
    const [parsed] = parsePrivateKeyPem(key.keyPem, 'tls.key');
    assert.equal(parsed?.fingerprint, key.fingerprint);
    const blob = hybridEncrypt(cert.publicKey, Buffer.from('x'), Buffer.from('a/b'));
    assert.equal(hybridDecrypt(parsed!.privateKey, blob, Buffer.from('a/b')).toString(), 'x');
  });

  it('reads PKCS#8 keys too, and rejects non-certificates with a message naming the source', async () => {
    const key = await generateSealingKey({ bits: 2048 });
    const pkcs8 = key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    assert.equal(parsePrivateKeyPem(pkcs8, 'k8.pem')[0]?.fingerprint, key.fingerprint);
    assert.throws(() => readCertificate(key.publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'pub.pem'),
      (e: Error & { line?: string }) => /pub\.pem: expected a PEM CERTIFICATE but found a PEM PUBLIC KEY/.test(e.line ?? ''));
    assert.throws(() => readCertificate('hello', 'x.txt'), /no PEM certificate found/);
  });
});
