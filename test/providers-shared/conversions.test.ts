// Key conversion, key validation, decoding strategies, NUL policy, Go regexps and rewrite.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { convertKey, convertKeys, validateKeys } from '../../src/providers/shared/keys.js';
import { checkNullBytes, decodeValue, goBase64Decode } from '../../src/providers/shared/decoding.js';
import { compileGoRegexp, goMatch, goReplaceAll } from '../../src/providers/shared/go-regexp.js';
import { rewriteRegexp } from '../../src/external/rewrite.js';

const enc = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');

test('convertKey: Default and Unicode strategies (ESO esutils.convert)', () => {
  const table: Array<[string, 'Default' | 'Unicode' | undefined, string]> = [
    ['dev/config', 'Default', 'dev_config'],
    ['dev/config', undefined, 'dev_config'],
    ['a b@c', 'Default', 'a_b_c'],
    ['ok-._Üñ9', 'Default', 'ok-._Üñ9'],
    ['dev/config', 'Unicode', 'dev_U002f_config'],
    ['a😀', 'Unicode', 'a_U1f600_'],
  ];
  for (const [k, s, want] of table) assert.equal(convertKey(k, s), want, `${k} ${s}`);
});

test('convertKeys reports collisions; validateKeys drops empty keys and rejects bad ones', () => {
  assert.throws(() => convertKeys({ 'a/b': enc('1'), 'a_b': enc('2') }, 'Default', 'spec.dataFrom[0]'), /secret name collision during conversion: a_b/);
  assert.deepEqual(Object.keys(validateKeys({ '': enc('x'), ok: enc('y') }, 's')), ['ok']);
  assert.throws(() => validateKeys({ 'Ü': enc('x') }, 's'), /invalid secret key "Ü"/);
  assert.throws(() => validateKeys({ ['a'.repeat(254)]: enc('x') }, 's'), /invalid secret key/);
});

test('decodingStrategy follows Go base64 rules', () => {
  assert.equal(text(decodeValue(enc('aGVsbG8='), 'Base64', 's')), 'hello');
  assert.equal(text(decodeValue(enc('aGVs\nbG8='), 'Base64', 's')), 'hello');
  assert.throws(() => decodeValue(enc('aGVsbG8'), 'Base64', 'spec.data[0]'), /not valid base64/);
  assert.equal(text(decodeValue(enc('-_8='), 'Base64URL', 's')), Buffer.from([0xfb, 0xff]).toString('utf8'));
  assert.equal(text(decodeValue(enc('aGVsbG8='), 'Auto', 's')), 'hello');
  assert.deepEqual(decodeValue(enc('-_8='), 'Auto', 's'), new Uint8Array([0xfb, 0xff]));
  assert.equal(text(decodeValue(enc('not base64!'), 'Auto', 's')), 'not base64!');
  assert.equal(text(decodeValue(enc('aGVsbG8='), 'None', 's')), 'aGVsbG8=');
  assert.equal(goBase64Decode(enc('abc'), false), undefined);
  assert.deepEqual(goBase64Decode(enc(''), false), new Uint8Array());
});

test('nullBytePolicy Fail rejects NUL, Ignore keeps it', () => {
  assert.throws(() => checkNullBytes(new Uint8Array([1, 0]), 'Fail', 'spec.data[0]'), /NUL byte/);
  checkNullBytes(new Uint8Array([1, 0]), 'Ignore', 's');
  checkNullBytes(new Uint8Array([1, 0]), undefined, 's');
});

test('Go regexps: unanchored match, (?i), (?P<name>), \\z', () => {
  assert.ok(goMatch(compileGoRegexp('secrets', 'x'), 'path/to/my/secrets/a'));
  assert.ok(goMatch(compileGoRegexp('(?i)^TLS-', 'x'), 'tls-cert'));
  assert.ok(!goMatch(compileGoRegexp('a\\z', 'x'), 'a\n'));
  assert.throws(() => compileGoRegexp('(', 'find.name.regexp'), /invalid regular expression "\("/);
});

test('rewrite.regexp uses Go ReplaceAllString template expansion', () => {
  const re = (s: string) => compileGoRegexp(s, 'x', true);
  const table: Array<[string, string, string, string]> = [
    ['path/to/my/secrets/(.*)', '$1', 'path/to/my/secrets/db', 'db'],
    ['path/to/my/secrets/(.*)', '${1}-x', 'path/to/my/secrets/db', 'db-x'],
    ['(a)(b)', '$1x', 'ab', ''], // `$1x` names group "1x", which does not exist
    ['(a)(b)', '${1}x', 'ab', 'ax'],
    ['(?P<first>a)b', '$first.', 'ab', 'a.'],
    ['a', '$$', 'banana', 'b$n$n$'],
    ['^', 'p_', 'key', 'p_key'],
    ['x*', '-', 'abc', '-a-b-c-'],
    ['/', '_', 'a/b/c', 'a_b_c'],
  ];
  for (const [src, tpl, input, want] of table) assert.equal(goReplaceAll(re(src), input, tpl), want, `${src} ${tpl} ${input}`);
  const out = rewriteRegexp('path/to/my/secrets/(.*)', '$1', { 'path/to/my/secrets/a': enc('1'), other: enc('2') }, 'spec.dataFrom[0].rewrite[0]');
  assert.deepEqual(Object.keys(out).sort(), ['a', 'other']);
});

test('rewrite.merge: Extract and JSON strategies, priority, conflicts (ESO RewriteMerge)', async () => {
  const { rewriteMerge } = await import('../../src/external/rewrite.js');
  const input = { b: enc('{"user":"b","port":1}'), a: enc('{"user":"a","nested":{"x":true}}'), c: enc('{"only":"c"}') };
  const strs = (m: Record<string, Uint8Array>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, text(v)]));
  assert.throws(() => rewriteMerge({}, input, 'spec.dataFrom[0].rewrite[0]'), /merge failed with conflicts: user/);
  assert.deepEqual(strs(rewriteMerge({ conflictPolicy: 'Ignore' }, input, 's')), { user: 'b', nested: '{"x":true}', port: '1', only: 'c' });
  assert.deepEqual(strs(rewriteMerge({ conflictPolicy: 'Ignore', priority: ['a'] }, input, 's')).user, 'a');
  assert.throws(() => rewriteMerge({ priority: ['zz'], conflictPolicy: 'Ignore' }, input, 's'), /key "zz" not found in input map/);
  assert.equal(strs(rewriteMerge({ priority: ['zz'], priorityPolicy: 'IgnoreNotFound', conflictPolicy: 'Ignore' }, input, 's')).user, 'b');
  const json = strs(rewriteMerge({ strategy: 'JSON', into: 'all', conflictPolicy: 'Ignore' }, input, 's'));
  assert.equal(json.all, '{"nested":{"x":true},"only":"c","port":1,"user":"b"}');
  assert.equal(json.a, '{"user":"a","nested":{"x":true}}');
  assert.throws(() => rewriteMerge({ strategy: 'JSON' }, { c: enc('{}') }, 's'), /missing 'into' field/);
  assert.throws(() => rewriteMerge({}, { c: enc('"str"') }, 's'), /not a JSON object/);
});
