// Decrypt worker threads start on the first decrypt (about 16 MB each when idle): a controller that
// never unseals (External Secrets only) holds none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DecryptPool } from '../../controller/sealed/index.js';
import { hybridEncrypt } from '../../src/crypto/index.js';
import { interopKeys } from '../support/controller/interop.js';

test('no worker threads before the first decrypt; all of them after it; close before any use is fine', async () => {
  const idle = new DecryptPool(2);
  assert.equal(idle.workers.length, 0);
  assert.equal(idle.size, 2);
  idle.forget('nothing-loaded');
  await idle.close();

  const pool = new DecryptPool(2);
  try {
    const key = interopKeys()[0]!;
    const label = Buffer.from('ns/name');
    const out = await pool.decrypt(key, Buffer.from(hybridEncrypt(key.publicKey, Buffer.from('value'), label)), label);
    assert.equal(out.toString('utf8'), 'value');
    assert.equal(pool.workers.length, 2);
  } finally {
    await pool.close();
  }
  await assert.rejects(pool.decrypt(interopKeys()[0]!, Buffer.alloc(1), Buffer.alloc(0)), /shut down/);
});
