import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resealSealedSecret } from '../../controller/sealed/reseal.js';
import { DecryptPool } from '../../controller/sealed/index.js';
import { unsealItems } from '../../src/sealed/index.js';
import { interopCases, interopKeys } from '../support/controller/interop.js';

test('rotate re-seals to the newest key with the top-level scope; a cluster-wide template annotation cannot widen it', async () => {
  const keys = interopKeys();
  const newest = keys[keys.length - 1]!;
  const c = interopCases().find((x) => x.name.startsWith('01-'))!;
  const attack = structuredClone(c.sealed) as { spec: { template: { metadata: { annotations?: Record<string, string> } } } };
  attack.spec.template.metadata.annotations = { 'sealedsecrets.bitnami.com/cluster-wide': 'true' };
  const out = await resealSealedSecret(attack as never, keys, newest, (k, b, l) => import('../../src/crypto/index.js').then((m) => m.hybridDecrypt(k.privateKey, b, l)));
  assert.equal(out.kind, 'SealedSecret');
  assert.equal((out.metadata as { annotations: Record<string, string> }).annotations['cloak.dev/sealing-key'], newest.fingerprint);
  const tmpl = (out.spec as { template: { metadata: { annotations?: Record<string, string> } } }).template.metadata;
  assert.equal(tmpl.annotations?.['sealedsecrets.bitnami.com/cluster-wide'], undefined, 'template scope follows the top level');
  const opened = await unsealItems(out as never, [newest]);
  assert.deepEqual(Object.fromEntries(Object.entries(opened.data).map(([k, v]) => [k, v.toString('base64')])), c.expect.secret!.data);
  const widened = structuredClone(out) as { metadata: { annotations: Record<string, string>; namespace: string } };
  widened.metadata.annotations['sealedsecrets.bitnami.com/cluster-wide'] = 'true';
  widened.metadata.namespace = 'elsewhere';
  await assert.rejects(unsealItems(widened as never, keys), /no key could decrypt/);
});

test('the worker pool decrypts every interop case like the library does', async () => {
  const pool = new DecryptPool(2);
  try {
    const keys = interopKeys();
    for (const c of interopCases()) {
      if (c.expect.error) {
        await assert.rejects(unsealItems(c.sealed as never, keys, pool.decrypt), new RegExp(c.expect.error), c.name);
        continue;
      }
      const { data } = await unsealItems(c.sealed as never, keys, pool.decrypt);
      for (const [k, v] of Object.entries(c.expect.secret!.data)) assert.equal(data[k]?.toString('base64'), v, `${c.name} ${k}`);
    }
  } finally {
    await pool.close();
  }
});
