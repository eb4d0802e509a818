// Provider clients reused across reconciles. Keyed by store identity (kind/namespace/name, with the
// ExternalSecret's namespace for referent ClusterSecretStores); the version is the store's
// resourceVersion plus a digest of its spec and resolved credentials. A version mismatch is a miss
// that closes the old client; the cache is an LRU bounded by `maxEntries`, and eviction closes too.
// Concurrent callers for the same key share one connect. A client handed out with acquire() is
// closed only after its last lease is released, so a store update never cuts off a read in flight.
import type { ProviderClient } from '../types.js';

interface Entry { version: string; client: Promise<ProviderClient>; leases: number; dropped: boolean }

export interface ClientCacheStats { hits: number; misses: number; evictions: number; size: number }

export class ClientCache {
  readonly #entries = new Map<string, Entry>();
  readonly #max: number;
  readonly #onCloseError: (e: unknown, key: string) => void;
  #hits = 0;
  #misses = 0;
  #evictions = 0;

  constructor(o: { maxEntries?: number; onCloseError?: (e: unknown, key: string) => void } = {}) {
    this.#max = Math.max(1, o.maxEntries ?? 1024);
    this.#onCloseError = o.onCloseError ?? (() => {});
  }

  async get(key: string, version: string, connect: () => Promise<ProviderClient>): Promise<ProviderClient> {
    return this.#entry(key, version, connect).client;
  }

  /** Like get(), but the client stays open until `release()` even if it is evicted meanwhile. */
  async acquire(key: string, version: string, connect: () => Promise<ProviderClient>): Promise<{ client: ProviderClient; release: () => void }> {
    const e = this.#entry(key, version, connect);
    e.leases++;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      e.leases--;
      if (e.dropped && e.leases === 0) this.#close(key, e);
    };
    try {
      return { client: await e.client, release };
    } catch (err) {
      release();
      throw err;
    }
  }

  #entry(key: string, version: string, connect: () => Promise<ProviderClient>): Entry {
    const hit = this.#entries.get(key);
    if (hit && hit.version === version) {
      this.#hits++;
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return hit;
    }
    this.#misses++;
    if (hit) this.#drop(key, hit);
    const entry: Entry = { version, client: connect(), leases: 0, dropped: false };
    this.#entries.set(key, entry);
    // a failed connect is not cached
    entry.client.catch(() => { if (this.#entries.get(key) === entry) this.#entries.delete(key); });
    while (this.#entries.size > this.#max) {
      const [oldestKey, oldest] = this.#entries.entries().next().value as [string, Entry];
      this.#drop(oldestKey, oldest);
    }
    return entry;
  }

  /** Drops one store's client (e.g. the store was deleted), closing it. */
  invalidate(key: string): void {
    const e = this.#entries.get(key);
    if (e) this.#drop(key, e);
  }

  #drop(key: string, e: Entry): void {
    this.#entries.delete(key);
    this.#evictions++;
    e.dropped = true;
    if (e.leases === 0) this.#close(key, e);
  }

  #close(key: string, e: Entry): void {
    e.client.then((c) => c.close()).catch((err: unknown) => this.#onCloseError(err, key));
  }

  stats(): ClientCacheStats {
    return { hits: this.#hits, misses: this.#misses, evictions: this.#evictions, size: this.#entries.size };
  }

  /** Closes every client. */
  async close(): Promise<void> {
    const all = [...this.#entries.entries()];
    this.#entries.clear();
    await Promise.all(all.map(async ([key, e]) => {
      try { await (await e.client).close(); } catch (err) { this.#onCloseError(err, key); }
    }));
  }
}
