// Per-client rate limit for the unauthenticated decrypt oracles (/v1/verify, /v1/rotate): a token bucket
// per path + peer address. X-Forwarded-For is ignored: any client can write it, so keying on it would let
// every request pick a fresh bucket. Past MAX_CLIENTS the least recently used buckets are evicted (never
// all at once, which would reset every client's budget).
import type { IncomingMessage } from 'node:http';
import { TokenBucket } from '../runtime/index.js';

export const MAX_CLIENTS = 10_000;

export class ClientRateLimiter {
  /** Insertion order is recency order: a bucket is moved to the end on every use. */
  private readonly buckets = new Map<string, TokenBucket>();
  constructor(private readonly qps: number, private readonly burst: number, private readonly now: () => number = Date.now, private readonly maxClients = MAX_CLIENTS) {}

  get size(): number { return this.buckets.size; }

  /** undefined when allowed; otherwise seconds to wait. */
  check(path: string, req: Pick<IncomingMessage, 'socket'>): number | undefined {
    const key = `${path}|${req.socket.remoteAddress ?? ''}`;
    let b = this.buckets.get(key);
    if (b) {
      this.buckets.delete(key);
    } else {
      b = new TokenBucket(this.qps, this.burst, this.now);
      while (this.buckets.size >= this.maxClients) {
        const oldest = this.buckets.keys().next().value;
        if (oldest === undefined) break;
        this.buckets.delete(oldest);
      }
    }
    this.buckets.set(key, b);
    return b.tryTake() ? undefined : b.retryAfterSeconds();
  }
}
