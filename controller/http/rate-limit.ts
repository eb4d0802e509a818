// Per-client rate limit for the unauthenticated decrypt oracles (/v1/verify, /v1/rotate): a token bucket
// per path + client (X-Forwarded-For as the API-server proxy sets it, else the peer address).
import type { IncomingMessage } from 'node:http';
import { TokenBucket } from '../runtime/index.js';

export class ClientRateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();
  constructor(private readonly qps: number, private readonly burst: number, private readonly now: () => number = Date.now) {}

  /** undefined when allowed; otherwise seconds to wait. */
  check(path: string, req: IncomingMessage): number | undefined {
    const fwd = req.headers['x-forwarded-for'];
    const client = (Array.isArray(fwd) ? fwd[0] : fwd)?.split(',')[0]?.trim() || req.socket.remoteAddress || '';
    const key = `${path}|${client}`;
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size > 10_000) this.buckets.clear();
      b = new TokenBucket(this.qps, this.burst, this.now);
      this.buckets.set(key, b);
    }
    return b.tryTake() ? undefined : b.retryAfterSeconds();
  }
}
