// A work queue of keys (client-go's shape): deduplicated, one in-flight reconcile per key, bounded
// concurrency, per-item exponential backoff with jitter (seconds to minutes), a global token bucket on
// retries, and delayed requeues. Handlers get the key, never an event snapshot.
import type { Logger } from '../log.js';
import { errorText } from '../log.js';
import { TokenBucket } from './token-bucket.js';

export interface HandlerResult {
  /** Reconcile again after this many ms (e.g. a periodic refresh). */
  requeueAfterMs?: number;
}
export type Handler = (key: string, signal: AbortSignal) => Promise<HandlerResult | void>;

export interface WorkQueueOptions {
  name: string;
  concurrency: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Retries before giving up on a key until it is added again. */
  maxRetries: number;
  qps: number;
  burst: number;
  log: Logger;
  now?: () => number;
  random?: () => number;
  onDepth?: (depth: number) => void;
}

export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private readonly bucket: TokenBucket;
  private handler: Handler | undefined;
  private active = 0;
  private paused = true;
  private abort = new AbortController();
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly o: WorkQueueOptions) {
    this.bucket = new TokenBucket(o.qps, o.burst, o.now);
  }

  get depth(): number { return this.queue.length; }
  get inFlight(): number { return this.active; }

  add(key: string): void {
    if (this.processing.has(key)) { this.dirty.add(key); return; }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.queue.push(key);
    this.o.onDepth?.(this.queue.length);
    this.pump();
  }

  /** Adds after a delay; an earlier pending delay for the same key wins. */
  addAfter(key: string, ms: number): void {
    if (ms <= 0) { this.add(key); return; }
    const now = (this.o.now ?? Date.now)();
    const at = now + ms;
    const pending = this.timers.get(key);
    if (pending && pending.at <= at) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(() => { this.timers.delete(key); this.add(key); }, ms);
    timer.unref();
    this.timers.set(key, { at, timer });
  }

  /** Per-item exponential backoff with ±10% jitter, never faster than the global bucket allows. */
  addRateLimited(key: string): number {
    const n = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, n);
    const exp = Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 2 ** (n - 1));
    const jitter = 1 + ((this.o.random ?? Math.random)() * 0.2 - 0.1);
    const delay = Math.max(Math.round(exp * jitter), this.bucket.reserve());
    this.addAfter(key, delay);
    return delay;
  }

  forget(key: string): void { this.failures.delete(key); }
  retries(key: string): number { return this.failures.get(key) ?? 0; }

  /** Starts (or resumes) processing with `handler`. */
  run(handler: Handler): void {
    this.handler = handler;
    if (this.abort.signal.aborted) this.abort = new AbortController();
    this.paused = false;
    this.pump();
  }

  /** Stops taking new work (e.g. leadership lost); in-flight reconciles are aborted and awaited. */
  async pause(): Promise<void> {
    this.paused = true;
    this.abort.abort();
    await this.idle();
  }

  async shutdown(): Promise<void> {
    for (const t of this.timers.values()) clearTimeout(t.timer);
    this.timers.clear();
    await this.pause();
  }

  /** Resolves when nothing is in flight. */
  idle(): Promise<void> {
    if (this.active === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  private pump(): void {
    while (!this.paused && this.handler && this.active < this.o.concurrency && this.queue.length > 0) {
      const key = this.queue.shift() as string;
      this.queued.delete(key);
      this.processing.add(key);
      this.active++;
      this.o.onDepth?.(this.queue.length);
      void this.process(key, this.handler, this.abort.signal);
    }
  }

  private async process(key: string, handler: Handler, signal: AbortSignal): Promise<void> {
    try {
      const result = await handler(key, signal);
      this.forget(key);
      if (result?.requeueAfterMs !== undefined) this.addAfter(key, result.requeueAfterMs);
    } catch (e) {
      if (signal.aborted) {
        this.dirty.add(key);
      } else if (this.retries(key) < this.o.maxRetries) {
        const delay = this.addRateLimited(key);
        this.o.log.warn('reconcile failed; will retry', { queue: this.o.name, key, error: errorText(e), retry: this.retries(key), inMs: delay });
      } else {
        this.o.log.error('reconcile failed; giving up until the object, its Secret or the keys change', { queue: this.o.name, key, error: errorText(e), retries: this.retries(key) });
        this.forget(key);
      }
    } finally {
      this.processing.delete(key);
      this.active--;
      if (this.dirty.delete(key)) this.add(key);
      if (this.active === 0) { const w = this.idleWaiters; this.idleWaiters = []; for (const r of w) r(); }
      this.pump();
    }
  }
}
