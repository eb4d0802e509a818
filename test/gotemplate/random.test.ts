// Property tests for functions whose output is random or depends on the clock.
import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { renderTemplateText } from '../../src/gotemplate/index.js';
import { buildOracle, type Oracle } from '../support/gotemplate/oracle.js';

const r = (src: string, o: { now?: () => Date } = {}) => renderTemplateText(src, {}, { funcs: 'sprigBitnami', ...o });

let oracle: Oracle;
before(() => {
  oracle = buildOracle();
});
after(() => oracle?.close());

describe('random functions', () => {
  test('randAlphaNum / randAlpha / randNumeric / randAscii: length and alphabet', () => {
    for (let i = 0; i < 20; i++) {
      const n = i * 7;
      assert.match(r(`{{ randAlphaNum ${n} }}`), new RegExp(`^[A-Za-z0-9]{${n}}$`));
      assert.match(r(`{{ randAlpha ${n} }}`), new RegExp(`^[A-Za-z]{${n}}$`));
      assert.match(r(`{{ randNumeric ${n} }}`), new RegExp(`^[0-9]{${n}}$`));
      assert.match(r(`{{ randAscii ${n} }}`), new RegExp(`^[\\x20-\\x7e]{${n}}$`));
    }
    assert.equal(r('{{ randAlphaNum -3 }}'), '');
    const seen = new Set(Array.from({ length: 50 }, () => r('{{ randAlphaNum 16 }}')));
    assert.equal(seen.size, 50);
    const chars = new Set(r('{{ randAlphaNum 5000 }}'));
    assert.equal(chars.size, 62, 'every alphanumeric character shows up');
  });

  test('uuidv4 is a random version-4 UUID', () => {
    const ids = Array.from({ length: 100 }, () => r('{{ uuidv4 }}'));
    for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(new Set(ids).size, ids.length);
  });

  test('randBytes, randInt, shuffle', () => {
    assert.equal(Buffer.from(r('{{ randBytes 24 }}'), 'base64').length, 24);
    for (let i = 0; i < 50; i++) {
      const v = Number(r('{{ randInt 5 9 }}'));
      assert.ok(v >= 5 && v < 9);
    }
    assert.equal([...r('{{ shuffle "abcdefgh" }}')].sort().join(''), 'abcdefgh');
  });

  test('bcrypt and htpasswd hashes verify with Go\'s golang.org/x/crypto/bcrypt', () => {
    const pws = ['hunter2', '', 'päss wörd', 'x'.repeat(72)];
    const hashes = pws.map((p) => renderTemplateText('{{ bcrypt .p }}', { p }, { funcs: 'sprigBitnami' }));
    const ht = renderTemplateText('{{ htpasswd "admin" .p }}', { p: 'hunter2' }, { funcs: 'sprigBitnami' });
    assert.match(ht, /^admin:\$2a\$10\$[./A-Za-z0-9]{53}$/);
    const cases = [...hashes.map((h, i) => ({ template: h, data: pws[i], verify: 'bcrypt' as const })), { template: ht.slice('admin:'.length), data: 'hunter2', verify: 'bcrypt' as const }];
    const wrong = { template: hashes[0]!, data: 'wrong', verify: 'bcrypt' as const };
    const results = oracle.run([...cases, wrong]);
    for (const [i, res] of results.slice(0, -1).entries()) assert.equal(res.err, undefined, `hash ${i} rejected by Go: ${res.err}`);
    assert.ok(results.at(-1)!.err, 'Go must reject the wrong password');
    assert.notEqual(hashes[0], renderTemplateText('{{ bcrypt "hunter2" }}', {}, { funcs: 'sprigBitnami' }), 'salts differ');
    assert.equal(r('{{ htpasswd "a:b" "x" }}'), 'invalid username: a:b');
  });

  test('encryptAES output decrypts with decryptAES and is randomised', () => {
    const a = r('{{ encryptAES "key" "plain text" }}');
    const b = r('{{ encryptAES "key" "plain text" }}');
    assert.notEqual(a, b);
    assert.equal(renderTemplateText('{{ decryptAES "key" .c }}', { c: a }, { funcs: 'sprigBitnami' }), 'plain text');
    assert.equal(r('{{ encryptAES "key" "" }}'), '');
  });

  test('genPrivateKey produces parseable keys', () => {
    for (const [t, type] of [['ecdsa', 'ec'], ['ed25519', 'ed25519']] as const) {
      const pem = r(`{{ genPrivateKey "${t}" }}`);
      assert.equal(createPrivateKey(pem).asymmetricKeyType, type);
    }
    assert.equal(r('{{ genPrivateKey "nope" }}'), 'Unknown type nope');
  });
});

describe('certificate generators', () => {
  test('genCA / genSignedCert / genSelfSignedCert build verifiable certificates with the asked-for names', () => {
    const out = renderTemplateText(
      '{{ $ca := genCA "my-ca" 365 }}{{ $c := genSignedCert "svc" (list "10.0.0.1") (list "svc.local") 30 $ca }}{{ $s := genSelfSignedCert "self" nil (list "a.example") 7 }}'
      + '{{ $ca.Cert }}|{{ $c.Cert }}|{{ $c.Key }}|{{ $s.Cert }}', {}, { funcs: 'sprigBitnami' });
    const [caPem, certPem, keyPem, selfPem] = out.split('|') as [string, string, string, string];
    const ca = new X509Certificate(caPem);
    const leaf = new X509Certificate(certPem);
    const self = new X509Certificate(selfPem);
    assert.equal(ca.subject, 'CN=my-ca');
    assert.equal(ca.ca, true);
    assert.ok(leaf.verify(ca.publicKey), 'signed by the CA');
    assert.equal(leaf.issuer, 'CN=my-ca');
    assert.equal(leaf.ca, false);
    assert.equal(leaf.subjectAltName, 'DNS:svc.local, IP Address:10.0.0.1');
    assert.ok(leaf.checkPrivateKey(createPrivateKey(keyPem)));
    const days = (Date.parse(leaf.validTo) - Date.parse(leaf.validFrom)) / 86_400_000;
    assert.ok(Math.abs(days - 30) < 1, `valid for ${days} days`);
    assert.ok(self.verify(self.publicKey));
    assert.equal(self.subjectAltName, 'DNS:a.example');
    const custom = renderTemplateText('{{ (buildCustomCert .c .k).Cert }}', { c: Buffer.from(certPem).toString('base64'), k: Buffer.from(keyPem).toString('base64') }, { funcs: 'sprigBitnami' });
    assert.equal(custom, certPem);
    const withKey = renderTemplateText('{{ (genCAWithKey "k" 1 .k).Key }}', { k: keyPem }, { funcs: 'sprigBitnami' });
    assert.equal(withKey, keyPem);
  });
});

describe('clock functions', () => {
  const fixed = new Date('2024-02-29T12:34:56.789Z');
  const now = () => fixed;

  test('now, date, htmlDate and unixEpoch follow the clock', () => {
    process.env.TZ = 'UTC';
    assert.equal(r('{{ now | date "2006-01-02T15:04:05.000Z07:00" }}', { now }), '2024-02-29T12:34:56.789Z');
    assert.equal(r('{{ now | unixEpoch }}', { now }), String(Math.floor(fixed.getTime() / 1000)));
    assert.equal(r('{{ htmlDate now }}', { now }), '2024-02-29');
    assert.match(r('{{ now }}', { now }), /^2024-02-29 12:34:56\.789 \+0000 UTC m=\+\d+\.\d{9}$/);
    assert.equal(r('{{ date "2006" "not a time" }}', { now }), '2024', 'non-times format the current time, as sprig does');
    const real = Number(r('{{ now | unixEpoch }}'));
    assert.ok(Math.abs(real - Date.now() / 1000) < 5);
  });

  test('ago and durationRound measure from the clock', () => {
    const later = () => new Date(fixed.getTime() + 3_725_400);
    const src = '{{ toDate "2006-01-02T15:04:05Z" "2024-02-29T12:34:56Z" | ago }}';
    assert.equal(r(src, { now: later }), '1h2m6s');
    assert.equal(r('{{ toDate "2006-01-02" "2024-02-27" | durationRound }}', { now }), '2d');
  });

  test('dateModify keeps the location and adds durations', () => {
    assert.equal(r('{{ now | dateModify "-1.5h" | date "15:04" }}', { now }), '11:04');
    assert.equal(r('{{ now | mustDateModify "25h" | date "2006-01-02" }}', { now }), '2024-03-01');
  });
});
