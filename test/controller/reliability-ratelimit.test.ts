// The /v1/verify and /v1/rotate limiter keys on the peer address (X-Forwarded-For is client-supplied)
// and evicts the least recently used buckets past its capacity instead of resetting every client.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { ClientRateLimiter } from '../../controller/http/index.js';

const peer = (remoteAddress: string, xff?: string) => ({ socket: { remoteAddress }, headers: xff ? { 'x-forwarded-for': xff } : {} }) as unknown as IncomingMessage;

test('a forged X-Forwarded-For does not buy a fresh bucket; another peer address does', () => {
  const t = 1_000_000;
  const l = new ClientRateLimiter(0.001, 1, () => t);
  assert.equal(l.check('/v1/verify', peer('10.0.0.1', '1.1.1.1')), undefined);
  assert.ok((l.check('/v1/verify', peer('10.0.0.1', '2.2.2.2')) ?? 0) >= 1);
  assert.ok((l.check('/v1/verify', peer('10.0.0.1')) ?? 0) >= 1);
  assert.equal(l.check('/v1/verify', peer('10.0.0.2', '1.1.1.1')), undefined);
  assert.equal(l.check('/v1/rotate', peer('10.0.0.1')), undefined, 'per path');
});

test('past capacity the least recently used bucket is evicted, not every bucket', () => {
  const t = 1_000_000;
  const l = new ClientRateLimiter(0.001, 1, () => t, 100);
  assert.equal(l.check('/v1/verify', peer('attacker')), undefined);
  for (let i = 0; i < 1_000; i++) {
    l.check('/v1/verify', peer(`other-${i}`));
    // The attacker keeps hitting the endpoint: its bucket stays recent and stays empty.
    assert.ok(l.check('/v1/verify', peer('attacker')) !== undefined, `attacker limited after ${i} other clients`);
  }
  assert.equal(l.size, 100);
  // A client idle for the whole flood was evicted (it starts again with a full bucket).
  assert.equal(l.check('/v1/verify', peer('other-0')), undefined);
});
