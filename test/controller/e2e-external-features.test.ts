// The fake provider (property, version, extract, find), decodingStrategy (Base64, Base64URL, Auto,
// None) and conversionStrategy (Default, Unicode) through the real cloak-controller and the test API
// server, compared byte for byte with what ESO produces (fake extract keeps non-strings as raw JSON).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bytesOf, createEs, createStore, getSecret, leakedIn, namespaces, startExternalEnv, textOf, waitFailed, waitSynced,
} from '../support/controller/external-harness.js';

const RAW = Buffer.from([0xfb, 0xff, 0xbf, 0x00, 0x80]);
const DB = '{"user":"admin","password":"p@ss<>&","port":5432,"nested":{"a":1},"flag":false}';
// Every JSON type, spaces kept: ESO's fake provider reads properties with gjson and explodes extract
// through map[string]json.RawMessage (strings and null unmarshalled, everything else raw).
const TYPES = '{"s":"plain","n":42,"f":1.5,"big":12345678901234567890,"tiny":1e-7,"t":true,"nul":null,"obj": {"html": "<a&b>"},"arr":["x", 2]}';
const PROPERTY = { s: 'plain', n: '42', f: '1.5', big: '12345678901234567890', tiny: '0.0000001', t: 'true', nul: '', obj: '{"html": "<a&b>"}', arr: '["x", 2]', 'obj.html': '<a&b>', 'arr.1': '2' };
const EXTRACT = { s: 'plain', n: '42', f: '1.5', big: '12345678901234567890', tiny: '1e-7', t: 'true', nul: '', obj: '{"html": "<a&b>"}', arr: '["x", 2]' };

test('fake provider: property, version, extract, find, every JSON type; decoding and key conversion byte for byte', async () => {
  const env = await startExternalEnv({ rbac: true });
  try {
    const { c } = env;
    const ns = 'fake-feat';
    await namespaces(c, ns);
    await createStore(c, ns, 'fake', { fake: { data: [
      { key: 'db', value: DB },
      { key: 'types', value: TYPES },
      { key: 'std', value: RAW.toString('base64') },
      // Go's base64.URLEncoding is padded (an unpadded value fails in ESO too)
      { key: 'url', value: RAW.toString('base64').replaceAll('+', '-').replaceAll('/', '_') },
      { key: 'plain', value: 'not base64!' },
      { key: 'keys', value: '{"a/b":"1","c d":"2","ok-key":"3"}' },
      { key: 'versioned', value: 'v-one', version: 'v1' },
      { key: 'versioned', value: 'v-two', version: 'v2' },
    ] } });
    const ref = { name: 'fake', kind: 'SecretStore' };
    await createEs(c, ns, 'values', {
      refreshInterval: '1h', secretStoreRef: ref,
      dataFrom: [{ extract: { key: 'db' } }],
      data: [
        { secretKey: 'whole', remoteRef: { key: 'db' } },
        { secretKey: 'p-port', remoteRef: { key: 'db', property: 'port' } },
        { secretKey: 'p-nested', remoteRef: { key: 'db', property: 'nested' } },
        { secretKey: 'p-nested-a', remoteRef: { key: 'db', property: 'nested.a' } },
        { secretKey: 'v1', remoteRef: { key: 'versioned', version: 'v1' } },
        { secretKey: 'v2', remoteRef: { key: 'versioned', version: 'v2' } },
      ],
    });
    await createEs(c, ns, 'types', {
      refreshInterval: '1h', secretStoreRef: ref,
      data: Object.keys(PROPERTY).map((k) => ({ secretKey: `p.${k}`, remoteRef: { key: 'types', property: k } })),
    });
    await createEs(c, ns, 'types-extract', { refreshInterval: '1h', secretStoreRef: ref, dataFrom: [{ extract: { key: 'types' } }] });
    await createEs(c, ns, 'decoding', {
      refreshInterval: '1h', secretStoreRef: ref,
      data: [
        { secretKey: 'base64', remoteRef: { key: 'std', decodingStrategy: 'Base64' } },
        { secretKey: 'base64url', remoteRef: { key: 'url', decodingStrategy: 'Base64URL' } },
        { secretKey: 'auto-std', remoteRef: { key: 'std', decodingStrategy: 'Auto' } },
        { secretKey: 'auto-url', remoteRef: { key: 'url', decodingStrategy: 'Auto' } },
        { secretKey: 'auto-plain', remoteRef: { key: 'plain', decodingStrategy: 'Auto' } },
        { secretKey: 'none', remoteRef: { key: 'std', decodingStrategy: 'None' } },
      ],
    });
    await createEs(c, ns, 'conversion', {
      refreshInterval: '1h', secretStoreRef: ref,
      dataFrom: [
        { extract: { key: 'keys', conversionStrategy: 'Default' } },
        { extract: { key: 'keys', conversionStrategy: 'Unicode' } },
        { find: { name: { regexp: '^vers' } } },
      ],
    });
    await createEs(c, ns, 'bad-base64', { refreshInterval: '1h', secretStoreRef: ref, data: [{ secretKey: 'x', remoteRef: { key: 'plain', decodingStrategy: 'Base64' } }] });
    await Promise.all(['values', 'types', 'types-extract', 'decoding', 'conversion'].map((n) => waitSynced(env, ns, n)));

    assert.deepEqual(textOf(await getSecret(c, ns, 'values')), {
      user: 'admin', password: 'p@ss<>&', port: '5432', nested: '{"a":1}', flag: 'false',
      whole: DB, 'p-port': '5432', 'p-nested': '{"a":1}', 'p-nested-a': '1', v1: 'v-one', v2: 'v-two',
    });
    assert.deepEqual(textOf(await getSecret(c, ns, 'types')), Object.fromEntries(Object.entries(PROPERTY).map(([k, v]) => [`p.${k}`, v])));
    assert.deepEqual(textOf(await getSecret(c, ns, 'types-extract')), EXTRACT);
    const dec = bytesOf(await getSecret(c, ns, 'decoding'));
    for (const k of ['base64', 'base64url', 'auto-std', 'auto-url']) assert.ok(Buffer.compare(dec[k]!, RAW) === 0, `${k}: ${dec[k]?.toString('hex')}`);
    assert.equal(dec['auto-plain']!.toString('utf8'), 'not base64!');
    assert.equal(dec.none!.toString('utf8'), RAW.toString('base64'));
    // Default: "_" for any other rune; Unicode: _U%04x_; fake find converts too and takes the highest version.
    assert.deepEqual(textOf(await getSecret(c, ns, 'conversion')), {
      a_b: '1', c_d: '2', 'ok-key': '3', a_U002f_b: '1', c_U0020_d: '2', versioned: 'v-two',
    });
    const bad = await waitFailed(env, ns, 'bad-base64', /base64/);
    assert.match(bad.message, /^could not get secret data from provider: .*spec\.data\[0\] \(secretKey "x", key "plain"\)/);
    assert.equal(await getSecret(c, ns, 'bad-base64'), undefined);
    assert.equal(leakedIn(env.ctl.logs, ['p@ss<>&', 'not base64!', 'v-two']), undefined, 'no secret value in logs');
  } finally {
    await env.close();
  }
});
