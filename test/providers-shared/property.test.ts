// Property lookup (gjson semantics) and ESO's GetByteValue conversions, as tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byteValue, getJsonPath, JsonNumber, marshalGo, parseJsonUseNumber } from '../../src/providers/shared/index.js';
import { formatFloat, parseGoFloat } from '../../src/providers/shared/go-json.js';
import { explodeDecodedJson, explodeRawJson } from '../../src/providers/shared/json-map.js';

const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');

const doc = '{"name":{"first":"Tom","last":"Anderson"},"friends":[{"first":"Dale"},{"first":"Roger"}],' +
  '"a.b":"dotted","a":{"b":"nested"},"n":1.50,"i":12,"big":1e21,"t":true,"z":null,"o":{ "k" : [1, 2] },"s":"x\\"y\\u00e9"}';

test('getJsonPath follows gjson Get().String()', () => {
  const table: Array<[string, string | undefined]> = [
    ['name.first', 'Tom'],
    ['friends.1.first', 'Roger'],
    ['friends.#', '2'],
    ['friends.#.first', '["Dale","Roger"]'],
    ['a\\.b', 'dotted'],
    ['a.b', 'nested'],
    ['n', '1.5'],
    ['i', '12'],
    ['big', '1000000000000000000000'],
    ['t', 'true'],
    ['z', ''],
    ['o', '{ "k" : [1, 2] }'],
    ['o.k', '[1, 2]'],
    ['s', 'x"yé'],
    ['name.fi*', 'Tom'],
    ['name.l?st', 'Anderson'],
    ['friends.#(first=="Roger").first', 'Roger'],
    ['name|last', 'Anderson'],
    ['missing', undefined],
    ['friends.7', undefined],
    ['name.first.x', undefined],
  ];
  for (const [path, want] of table) assert.equal(getJsonPath(doc, path), want, path);
});

test('getJsonPath on non-JSON and top-level arrays', () => {
  assert.equal(getJsonPath('plain text', 'a'), undefined);
  assert.equal(getJsonPath('[1,{"a":"x"}]', '1.a'), 'x');
  assert.equal(getJsonPath('[1,2,3]', '#'), '3');
});

test('byteValue is ESO GetByteValue: raw strings, json.Marshal for objects/arrays, Go number text', () => {
  assert.equal(text(byteValue('s<&>')), 's<&>');
  assert.equal(text(byteValue({ b: '<&>', a: [1, 2.5] })), '{"a":[1,2.5],"b":"\\u003c\\u0026\\u003e"}');
  assert.equal(text(byteValue(12)), '12');
  assert.equal(text(byteValue(1.5)), '1.5');
  assert.equal(text(byteValue(1e21)), '1000000000000000000000');
  assert.equal(text(byteValue(1.5e-7)), '0.00000015');
  assert.equal(text(byteValue(-0.5)), '-0.5');
  assert.equal(text(byteValue(true)), 'true');
  assert.equal(text(byteValue(false)), 'false');
  assert.equal(byteValue(null).length, 0);
  assert.equal(byteValue(undefined).length, 0);
  assert.equal(text(byteValue(new JsonNumber('12345678901234567890'))), '12345678901234567890');
  assert.equal(text(byteValue(parseJsonUseNumber('{"x":1.50}'))), '{"x":1.50}');
  assert.equal(marshalGo({ h: '<a>&' }), '{"h":"\\u003ca\\u003e\\u0026"}');
});

test('byteValue on every type encoding/json decodes into: arrays are []any, so json.Marshal, never joined', () => {
  const decoded = JSON.parse('{"s":"a<b","n":1e21,"f":0.1,"i":-3,"t":true,"z":null,"o":{"k":[1,"x",{"y":null}]},"l":["a","b"],"e":[],"m":{}}') as Record<string, unknown>;
  const got = Object.fromEntries(Object.entries(decoded).map(([k, v]) => [k, text(byteValue(v))]));
  assert.deepEqual(got, {
    s: 'a<b', n: '1000000000000000000000', f: '0.1', i: '-3', t: 'true', z: '',
    o: '{"k":[1,"x",{"y":null}]}', l: '["a","b"]', e: '[]', m: '{}',
  });
  // Nested floats inside a marshalled object use encoding/json's float format (exponent past 1e21).
  assert.equal(text(byteValue({ big: 1e21, small: 1e-7 })), '{"big":1e+21,"small":1e-7}');
  // explodeDecodedJson (ESO's GetSecretMap) sends each top-level value through the same rules.
  assert.deepEqual(Object.fromEntries(Object.entries(explodeDecodedJson('{"h":"<&>","l":["a"],"x":{"a":"<"}}', 's')).map(([k, v]) => [k, text(v)])),
    { h: '<&>', l: '["a"]', x: '{"a":"\\u003c"}' });
});

test('Go float formatting and parsing', () => {
  assert.equal(formatFloat(-0), '-0');
  assert.equal(formatFloat(NaN), 'NaN');
  assert.equal(formatFloat(Infinity), '+Inf');
  assert.equal(formatFloat(123.456), '123.456');
  assert.equal(parseGoFloat('1e3'), 1000);
  assert.equal(parseGoFloat('inf'), Infinity);
  assert.equal(parseGoFloat('0x1p-2'), 0.25);
  assert.equal(parseGoFloat('12abc'), 0);
});

test('explodeRawJson keeps raw JSON for non-strings (fake/AWS extract)', () => {
  const m = explodeRawJson('{"s":"v","n":1.50,"o":{"a": 1},"z":null,"d":1,"d":2}', 'x');
  assert.deepEqual(Object.fromEntries(Object.entries(m).map(([k, v]) => [k, text(v)])),
    { s: 'v', n: '1.50', o: '{"a": 1}', z: '', d: '2' });
  assert.throws(() => explodeRawJson('not json', 'store key "k"'), /unable to unmarshal secret: invalid JSON format/);
  assert.throws(() => explodeRawJson('[1]', 'k'), /not a JSON object/);
});

test('explodeDecodedJson converts like json.Unmarshal into map[string]any (Vault extract)', () => {
  const m = explodeDecodedJson('{"n":1.50,"o":{"b":"<>","a":1},"t":false}', 'x');
  assert.deepEqual(Object.fromEntries(Object.entries(m).map(([k, v]) => [k, text(v)])),
    { n: '1.5', o: '{"a":1,"b":"\\u003c\\u003e"}', t: 'false' }); // GetByteValue's json.Marshal escapes HTML
});
