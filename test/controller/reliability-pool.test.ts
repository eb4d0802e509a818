// A decrypt worker that exits (crash, OOM kill, terminate) fails its pending jobs with a clear error and
// is replaced: later decrypts work instead of waiting forever on a dead thread.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hybridEncrypt } from '../../src/crypto/index.js';
import { DecryptPool } from '../../controller/sealed/index.js';
import { unsealItems } from '../../src/sealed/index.js';
import { interopCases, interopKeys } from '../support/controller/interop.js';

const within = <T>(p: Promise<T>, ms: number, what: string) => Promise.race([
  p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms).unref()),
]);

test('a worker exit fails its pending decrypts and the pool keeps working', async () => {
  const pool = new DecryptPool(1);
  try {
    const key = interopKeys()[0]!;
    const label = Buffer.from('ns/name');
    const blob = Buffer.from(hybridEncrypt(key.publicKey, Buffer.from('value'), label));
    // Queued on a worker that is still starting: none can have been answered when it is terminated.
    const pending = Array.from({ length: 20 }, () => pool.decrypt(key, blob, label));
    const dead = pool.workers[0]!;
    await dead.terminate();
    const settled = await within(Promise.allSettled(pending), 5_000, 'the pending decrypts');
    const failed = settled.filter((r) => r.status === 'rejected');
    assert.ok(failed.length > 0, 'some decrypts were pending on the terminated worker');
    for (const f of failed) assert.match(String((f as PromiseRejectedResult).reason), /decrypt worker failed: exited with code \d+/);
    assert.notEqual(pool.workers[0], dead, 'the worker was replaced');
    const out = await within(pool.decrypt(key, blob, label), 5_000, 'a decrypt after the exit');
    assert.equal(out.toString('utf8'), 'value');
    // And a whole SealedSecret still unseals through the replacement worker.
    const c = interopCases().find((x) => !x.expect.error)!;
    const { data } = await within(unsealItems(c.sealed as never, interopKeys(), pool.decrypt), 5_000, 'an unseal after the exit');
    for (const [k, v] of Object.entries(c.expect.secret!.data)) assert.equal(data[k]?.toString('base64'), v, k);
  } finally {
    await pool.close();
  }
});
