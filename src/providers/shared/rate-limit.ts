// Per-store limits on provider calls: at most `concurrency` calls in flight and a token bucket of
// `ratePerSecond` (burst `burst`). Callers wait in FIFO order; the clock and sleep are injectable.
export interface StoreLimits { concurrency?: number; ratePerSecond?: number; burst?: number }

interface Bucket {
  active: number;
  queue: Array<() => void>;
  tokens: number;
  refilledAt: number;
}

export class StoreLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #concurrency: number;
  readonly #rate: number;
  readonly #burst: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(o: StoreLimits & { now?: () => number; sleep?: (ms: number) => Promise<void> } = {}) {
    this.#concurrency = Math.max(1, o.concurrency ?? 4);
    this.#rate = o.ratePerSecond ?? Infinity;
    this.#burst = Math.max(1, o.burst ?? (Number.isFinite(this.#rate) ? Math.ceil(this.#rate) : 1));
    this.#now = o.now ?? Date.now;
    this.#sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  async run<T>(store: string, fn: () => Promise<T>): Promise<T> {
    const b = this.#bucket(store);
    if (b.active >= this.#concurrency) await new Promise<void>((resolve) => b.queue.push(resolve));
    else b.active++;
    try {
      await this.#take(b);
      return await fn();
    } finally {
      const next = b.queue.shift();
      if (next) next();
      else {
        b.active--;
        if (b.active === 0 && b.tokens >= this.#burst) this.#buckets.delete(store);
      }
    }
  }

  #bucket(store: string): Bucket {
    let b = this.#buckets.get(store);
    if (!b) {
      b = { active: 0, queue: [], tokens: this.#burst, refilledAt: this.#now() };
      this.#buckets.set(store, b);
    }
    return b;
  }

  async #take(b: Bucket): Promise<void> {
    if (!Number.isFinite(this.#rate)) return;
    for (;;) {
      const now = this.#now();
      b.tokens = Math.min(this.#burst, b.tokens + ((now - b.refilledAt) / 1000) * this.#rate);
      b.refilledAt = now;
      if (b.tokens >= 1) { b.tokens -= 1; return; }
      await this.#sleep(Math.ceil(((1 - b.tokens) / this.#rate) * 1000));
    }
  }

  /** Stores with calls in flight or waiting. */
  get busyStores(): number {
    let n = 0;
    for (const b of this.#buckets.values()) if (b.active > 0) n++;
    return n;
  }
}
