// A token bucket: `qps` tokens per second up to `burst`. `reserve()` says how long to wait for a token.
export class TokenBucket {
  private tokens: number;
  private last: number;
  constructor(private readonly qps: number, private readonly burst: number, private readonly now: () => number = Date.now) {
    this.tokens = burst;
    this.last = now();
  }

  /** Takes a token and returns the delay (ms) before it may be used; 0 when one was available. */
  reserve(): number {
    if (!(this.qps > 0)) return 0;
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.qps);
    this.last = t;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.qps) * 1000);
  }

  /** Takes a token only if one is available now (for HTTP rate limits that reject instead of waiting). */
  tryTake(): boolean {
    if (!(this.qps > 0)) return true;
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.qps);
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Seconds until the next token (for Retry-After). */
  retryAfterSeconds(): number {
    return this.qps > 0 ? Math.max(1, Math.ceil((1 - this.tokens) / this.qps)) : 0;
  }
}
