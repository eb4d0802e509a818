// Property resolution on a Vault secret (ESO's getSecretValue): whole JSON (HTML-escaped, sorted),
// a literal top-level key first, then a gjson path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { secretValue } from '../../src/providers/vault/read.js';

const data: Record<string, unknown> = {
  user: 'admin',
  'a.b': 'literal-dot-key',
  a: { b: 'nested' },
  n: 42,
  f: 1.5,
  t: true,
  z: null,
  html: '<x&y>',
  list: ['one', 'two'],
  friends: [{ first: 'Dale' }, { first: 'Roger' }],
  obj: { k: 'v', n: 1 },
};
const txt = (v: Uint8Array) => Buffer.from(v).toString('utf8');

test('secretValue table', () => {
  const cases: Array<[string | undefined, string]> = [
    ['user', 'admin'],
    ['a.b', 'literal-dot-key'], // literal key wins over the gjson path
    ['a\\.b', 'literal-dot-key'], // gjson escape reaches the same key
    ['a', '{"b":"nested"}'],
    ['n', '42'],
    ['f', '1.5'],
    ['t', 'true'],
    ['z', ''],
    ['html', '<x&y>'],
    ['list', '["one","two"]'], // a decoded JSON array is []any: GetByteValue json.Marshals it (only a Go []string is joined by newlines)
    ['friends.1.first', 'Roger'],
    ['friends.#', '2'],
    ['obj', '{"k":"v","n":1}'],
    ['obj.n', '1'],
  ];
  for (const [prop, want] of cases) assert.equal(txt(secretValue(data, prop, 's')), want, String(prop));
});

test('whole secret is Go json.Marshal: sorted keys, HTML escaped', () => {
  assert.equal(txt(secretValue({ b: '<', a: 1 }, undefined, 's')), '{"a":1,"b":"\\u003c"}');
});

test('missing property is a clear error, not SecretNotFound', () => {
  assert.throws(() => secretValue(data, 'nope.deep', 'SecretStore ns/vault: key "x"'), (e: Error & { code?: string }) => {
    assert.equal(e.code, 'PropertyNotFound');
    assert.match(e.message, /cannot find secret data for key: "nope.deep"/);
    return true;
  });
});
