// ESO's PKCS#12, JWK and certificate helpers, cross-checked with OpenSSL and node:crypto.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { renderTemplate, renderTemplateText } from '../../src/gotemplate/index.js';

const fx = (name: string) => readFileSync(new URL(`../../../test/gotemplate/fixtures/${name}`, import.meta.url));
const eso = { funcs: 'eso' as const, missingKey: 'error' as const };
const pkcs8 = (pem: string | Buffer) => createPrivateKey(pem).export({ type: 'pkcs8', format: 'pem' }) as string;
const certs = (pem: string) => (pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n/g) ?? []).map((c) => new X509Certificate(c).subject);

describe('ESO PKCS#12 functions', () => {
  const leafKey = fx('leaf.key');
  test('pkcs12keyPass / pkcs12certPass read an OpenSSL 3 (AES-256, PBKDF2) archive', () => {
    const data = { p12: fx('leaf-secret.p12') };
    assert.equal(renderTemplateText('{{ .p12 | pkcs12keyPass "secret" }}', data, eso), pkcs8(leafKey));
    assert.deepEqual(certs(renderTemplateText('{{ .p12 | pkcs12certPass "secret" }}', data, eso)), ['CN=leaf.example.com', 'CN=Test Intermediate']);
  });

  test('pkcs12key / pkcs12cert with an empty password, and legacy (RC2/3DES) archives', () => {
    assert.equal(renderTemplateText('{{ .p12 | pkcs12key }}', { p12: fx('leaf-nopass.p12') }, eso), pkcs8(leafKey));
    assert.deepEqual(certs(renderTemplateText('{{ .p12 | pkcs12cert }}', { p12: fx('leaf-nopass.p12') }, eso)), ['CN=leaf.example.com']);
    assert.equal(renderTemplateText('{{ .p12 | pkcs12keyPass "secret" }}', { p12: fx('leaf-legacy.p12') }, eso), pkcs8(leafKey));
  });

  test('EC keys come out as PKCS#8', () => {
    assert.equal(renderTemplateText('{{ .p12 | pkcs12keyPass "x" }}', { p12: fx('ec.p12') }, eso), pkcs8(fx('ec.key')));
  });

  test('wrong password and garbage are errors', () => {
    assert.throws(() => renderTemplate('{{ .p12 | pkcs12keyPass "nope" }}', { p12: fx('leaf-secret.p12') }, eso), /pkcs12key|password/);
    assert.throws(() => renderTemplate('{{ .p12 | pkcs12cert }}', { p12: 'garbage' }, eso), /pkcs12cert/);
  });

  test('pemToPkcs12 / fullPemToPkcs12(Pass) produce archives OpenSSL reads', () => {
    const data = { crt: fx('leaf.crt'), key: leafKey, chain: fx('chain.pem') };
    for (const [src, pass, n] of [
      ['{{ pemToPkcs12 .crt .key }}', '', 1],
      ['{{ pemToPkcs12Pass .crt .key "pw" }}', 'pw', 1],
      ['{{ fullPemToPkcs12 .chain .key }}', '', 3],
      ['{{ fullPemToPkcs12Pass .chain .key "pw" }}', 'pw', 3],
    ] as const) {
      const pfx = Buffer.from(renderTemplateText(src, data, eso), 'base64');
      const text = execFileSync('openssl', ['pkcs12', '-nodes', '-passin', `pass:${pass}`], { input: pfx }).toString();
      assert.equal(pkcs8(text.slice(text.indexOf('-----BEGIN PRIVATE KEY-----'))), pkcs8(leafKey), src);
      assert.equal(certs(text).length, n, src);
      // and our own reader takes it back
      const back = renderTemplateText(`{{ .p | b64dec | pkcs12keyPass "${pass}" }}`, { p: pfx.toString('base64') }, eso);
      assert.equal(back, pkcs8(leafKey));
    }
  });
});

describe('ESO JWK and certificate functions', () => {
  test('jwkPublicKeyPem / jwkPrivateKeyPem for RSA and EC keys', () => {
    for (const keyFile of ['leaf.key', 'ec.key']) {
      const key = createPrivateKey(fx(keyFile));
      const jwk = JSON.stringify(key.export({ format: 'jwk' }));
      const pubJwk = JSON.stringify(createPublicKey(key).export({ format: 'jwk' }));
      const spki = createPublicKey(key).export({ type: 'spki', format: 'pem' });
      assert.equal(renderTemplateText('{{ .jwk | jwkPublicKeyPem }}', { jwk }, eso), spki);
      assert.equal(renderTemplateText('{{ .jwk | jwkPublicKeyPem }}', { jwk: pubJwk }, eso), spki);
      assert.equal(renderTemplateText('{{ .jwk | jwkPrivateKeyPem }}', { jwk }, eso), pkcs8(fx(keyFile)));
    }
    assert.throws(() => renderTemplate('{{ .jwk | jwkPrivateKeyPem }}', { jwk: '{"kty":"RSA"}' }, eso), /jwkPrivateKeyPem/);
    assert.throws(() => renderTemplate('{{ .jwk | jwkPublicKeyPem }}', { jwk: 'not json' }, eso), /jwkPublicKeyPem/);
  });

  test('certSANs lists the subject alternative names', () => {
    const out = renderTemplateText('{{ range .crt | certSANs }}{{ . }}\n{{ end }}', { crt: fx('leaf.crt') }, eso);
    assert.deepEqual(out.trim().split('\n').sort(), ['10.0.0.1', 'leaf.example.com', 'ops@example.com', 'spiffe://example/ns/x', 'www.example.com']);
    assert.equal(renderTemplateText('{{ .crt | certSANs | len }}', { crt: fx('root.crt') }, eso), '0');
    assert.throws(() => renderTemplate('{{ certSANs "junk" }}', {}, eso), /certSANs/);
  });
});
