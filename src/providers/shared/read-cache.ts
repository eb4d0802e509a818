// Remote reads shared across callers: the same store identity + operation + ref is read once per
// refresh window. Each entry records when it was fetched; a caller states the staleness it accepts
// (`maxAgeMs`, normally its refresh interval) and gets the cached value only if it is younger.
// In-flight reads are shared, failures are never cached, and the cache is an LRU bounded by
// `maxEntries`. Values are kept in memory only, never logged. `fetched`, when given, learns when the
// value it gets was fetched (a hit's original fetch time), so a caller knows how old its data is.
interface Entry<T> { at: number; value?: T; pending?: Promise<T> }

export interface ReadCacheStats { hits: number; misses: number; coalesced: number; size: number }

export class ReadCache {
  readonly #entries = new Map<string, Entry<unknown>>();
  readonly #max: number;
  readonly #now: () => number;
  #hits = 0;
  #misses = 0;
  #coalesced = 0;

  constructor(o: { maxEntries?: number; now?: () => number } = {}) {
    this.#max = Math.max(1, o.maxEntries ?? 10_000);
    this.#now = o.now ?? Date.now;
  }

  async read<T>(key: string, maxAgeMs: number, load: () => Promise<T>, fetched?: (at: number) => void): Promise<T> {
    const e = this.#entries.get(key) as Entry<T> | undefined;
    if (e?.pending) {
      this.#coalesced++;
      fetched?.(e.at);
      return e.pending;
    }
    if (e && 'value' in e && this.#now() - e.at <= maxAgeMs) {
      this.#hits++;
      fetched?.(e.at);
      this.#entries.delete(key);
      this.#entries.set(key, e);
      return e.value as T;
    }
    this.#misses++;
    const started = this.#now();
    fetched?.(started);
    const entry: Entry<T> = { at: started };
    const pending = load().then(
      (value) => {
        if (this.#entries.get(key) === entry) {
          delete entry.pending;
          entry.value = value;
          entry.at = started;
        }
        return value;
      },
      (err: unknown) => {
        if (this.#entries.get(key) === entry) this.#entries.delete(key);
        throw err;
      },
    );
    entry.pending = pending;
    this.#entries.delete(key);
    this.#entries.set(key, entry as Entry<unknown>);
    while (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
    return pending;
  }

  /** Forgets every entry whose key starts with `prefix` (a store changed or was deleted). */
  invalidatePrefix(prefix: string): void {
    for (const k of [...this.#entries.keys()]) if (k.startsWith(prefix)) this.#entries.delete(k);
  }

  stats(): ReadCacheStats {
    return { hits: this.#hits, misses: this.#misses, coalesced: this.#coalesced, size: this.#entries.size };
  }
}
