// In-memory storage with one global, monotonically increasing resourceVersion (like an etcd revision),
// an event log for watches that start at an exact version, and compaction (forces 410 Expired).
import type { KObject } from './types.js';
import { clone } from './types.js';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  rv: number;
  key: string; // storage key group/resource
  type: EventType;
  obj: KObject;
  old?: KObject;
}

export type Listener = (e: StoreEvent) => void;

const objKey = (ns: string | undefined, name: string): string => `${ns ?? ''}/${name}`;

export class Store {
  private rv = 1;
  private compactedRv = 0;
  private readonly data = new Map<string, Map<string, KObject>>();
  private log: StoreEvent[] = [];
  private readonly listeners = new Set<Listener>();
  /** How many events the log keeps before it drops the oldest (the watch cache window). */
  constructor(private readonly window = 10000) {}

  get resourceVersion(): number { return this.rv; }
  /** Watches from a version older than this get 410 Expired. */
  get oldestWatchable(): number { return this.compactedRv; }

  private bucket(key: string): Map<string, KObject> {
    let b = this.data.get(key);
    if (!b) this.data.set(key, (b = new Map()));
    return b;
  }

  get(key: string, ns: string | undefined, name: string): KObject | undefined {
    const o = this.peek(key, ns, name);
    return o && clone(o);
  }

  /** The stored object itself, for callers that only read it or copy it anyway (no clone). */
  peek(key: string, ns: string | undefined, name: string): Readonly<KObject> | undefined {
    return this.data.get(key)?.get(objKey(ns, name));
  }

  list(key: string, ns?: string): KObject[] {
    const out: KObject[] = [];
    for (const o of this.data.get(key)?.values() ?? []) if (ns === undefined || o.metadata.namespace === ns) out.push(clone(o));
    // etcd returns keys (/registry/<resource>/<namespace>/<name>) in byte order.
    const k = (o: KObject): string => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
    out.sort((a, b) => (k(a) < k(b) ? -1 : k(a) > k(b) ? 1 : 0));
    return out;
  }

  /** Writes obj (create or replace), assigning the next resourceVersion. Returns the stored copy. */
  put(key: string, obj: KObject, type: 'ADDED' | 'MODIFIED'): KObject {
    const k = objKey(obj.metadata.namespace, obj.metadata.name!);
    const old = this.data.get(key)?.get(k);
    this.rv++;
    const stored = clone(obj);
    stored.metadata.resourceVersion = String(this.rv);
    this.bucket(key).set(k, stored);
    this.emit({ rv: this.rv, key, type, obj: clone(stored), ...(old ? { old: clone(old) } : {}) });
    return clone(stored);
  }

  /** Removes an object; the DELETED event carries its final state with a new resourceVersion. */
  remove(key: string, ns: string | undefined, name: string): KObject | undefined {
    const b = this.data.get(key);
    const old = b?.get(objKey(ns, name));
    if (!b || !old) return undefined;
    b.delete(objKey(ns, name));
    this.rv++;
    const last = clone(old);
    last.metadata.resourceVersion = String(this.rv);
    this.emit({ rv: this.rv, key, type: 'DELETED', obj: clone(last), old: clone(old) });
    return last;
  }

  keys(): string[] { return [...this.data.keys()]; }

  private emit(e: StoreEvent): void {
    this.log.push(e);
    if (this.log.length > this.window) {
      const dropped = this.log.splice(0, this.log.length - this.window);
      this.compactedRv = Math.max(this.compactedRv, dropped[dropped.length - 1]!.rv);
    }
    for (const l of this.listeners) l(e);
  }

  /** Events strictly after rv, or undefined when rv is too old (compacted away). */
  eventsAfter(rv: number): StoreEvent[] | undefined {
    if (rv < this.compactedRv) return undefined;
    return this.log.filter((e) => e.rv > rv);
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Drops the whole history, as an etcd compaction would after other writes moved the revision on. */
  compact(): void {
    this.rv++;
    this.compactedRv = this.rv;
    this.log = [];
  }
}
