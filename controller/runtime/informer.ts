// List+watch cache over @kubernetes/client-node's Watch. Unlike its ListWatch, this one restarts
// after any error with backoff (1 s doubling to 30 s), exposes a `synced` promise that resolves only
// after a successful list, and relists when no event arrived for `idleTimeoutMs` (watchdog).
import type { Json, KubeClient, WatchHandle } from '../kube/index.js';
import type { Logger } from '../log.js';
import { errorText } from '../log.js';
import { applyEvent, applyList, objectKey, type Store, type StoreEvent } from './store.js';

export interface InformerHandlers {
  add?(o: Readonly<Json>): void;
  update?(old: Readonly<Json>, o: Readonly<Json>): void;
  delete?(o: Readonly<Json>): void;
  /** After every successful (re)list: the level-triggered resync point. */
  relisted?(): void;
}

export interface InformerOptions {
  name: string;
  client: KubeClient;
  /** Collection path, e.g. /api/v1/secrets or /apis/bitnami.com/v1alpha1/namespaces/ns/sealedsecrets. */
  path: string;
  labelSelector?: string;
  fieldSelector?: string;
  log: Logger;
  idleTimeoutMs?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  onError?: () => void;
  /**
   * Shapes each object before it is cached and handed to handlers. The default drops
   * metadata.managedFields, which no reconciler reads and which can be most of an object's size.
   */
  transform?: (o: Json) => Json;
  /** hasSynced turns false when a (re)list has not succeeded for this long (default DEFAULT_STALL_MS). */
  stallMs?: number;
}

/**
 * An informer shared with another controller: it reads the cache and adds handlers; starting, stopping
 * and relisting stay with the owner. One cache in memory instead of one per controller.
 */
export type InformerView = Pick<Informer, 'get' | 'list' | 'on' | 'synced' | 'hasSynced'>;

/** Two default request timeouts: a LIST that never answers, or keeps failing, costs readiness. */
export const DEFAULT_STALL_MS = 60_000;

export class Informer {
  readonly synced: Promise<void>;
  private markSynced!: () => void;
  private isSynced = false;
  private readonly store: Store = new Map();
  private readonly handlers: InformerHandlers[] = [];
  private readonly abort = new AbortController();
  private rv = '';
  private running: Promise<void> | undefined;
  private current: WatchHandle | undefined;
  private relistRequested = false;
  /** When the pending (re)list began; undefined while the cache is current. */
  private listingSince: number | undefined;
  private ended = false;

  constructor(private readonly o: InformerOptions) {
    this.synced = new Promise((r) => { this.markSynced = r; });
  }

  on(h: InformerHandlers): void { this.handlers.push(h); }

  private shape(o: Json): Json {
    return (this.o.transform ?? withoutManagedFields)(o);
  }
  /**
   * Readiness: listed once, and still being kept current. False again while a (re)list has been pending
   * or failing for more than stallMs, or after the loop died (the cache would silently go stale).
   */
  get hasSynced(): boolean {
    if (!this.isSynced || this.ended) return false;
    return this.listingSince === undefined || Date.now() - this.listingSince <= (this.o.stallMs ?? DEFAULT_STALL_MS);
  }
  get(namespace: string, name: string): Readonly<Json> | undefined { return this.store.get(`${namespace}/${name}`); }
  list(): Readonly<Json>[] { return [...this.store.values()]; }
  get size(): number { return this.store.size; }

  start(): void {
    this.running ??= this.run()
      .catch((e: unknown) => this.o.log.error('informer loop ended', { informer: this.o.name, error: errorText(e) }))
      .finally(() => { if (!this.abort.signal.aborted) this.ended = true; });
  }

  /** Forces a fresh list (used by the watchdog and by tests). */
  relist(): void {
    this.relistRequested = true;
    this.current?.abort();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.current?.abort();
    await this.running;
  }

  private async run(): Promise<void> {
    const signal = this.abort.signal;
    const base = this.o.backoffBaseMs ?? 1000;
    const max = this.o.backoffMaxMs ?? 30_000;
    let failures = 0;
    while (!signal.aborted) {
      try {
        if (!this.rv || this.relistRequested) {
          this.relistRequested = false;
          this.listingSince ??= Date.now();
          await this.listNow();
          this.listingSince = undefined;
          failures = 0;
        }
        const { err, events, openedFor } = await this.watchOnce(signal);
        if (signal.aborted) break;
        if (this.relistRequested) continue;
        if (err) {
          const status = (err as { statusCode?: number; code?: number }).statusCode ?? (err as { code?: number }).code;
          if (status === 410) { this.rv = ''; continue; }
          if ((err as { name?: string }).name === 'TimeoutError') continue;
          failures++;
          this.o.onError?.();
          this.o.log.warn('watch failed; restarting', { informer: this.o.name, error: errorText(err), attempt: failures });
          // After repeated failures relist too: the watch position may be the problem.
          if (failures >= 3) this.rv = '';
          await this.sleep(backoff(base, max, failures), signal);
        } else if (events === 0 && openedFor < 1000) {
          failures++;
          await this.sleep(backoff(base, max, failures), signal);
        } else {
          failures = 0;
        }
      } catch (e) {
        if (signal.aborted) break;
        failures++;
        this.relistRequested = true; // the next attempt lists again rather than resuming a stale watch
        this.o.onError?.();
        this.o.log.warn('list failed; retrying', { informer: this.o.name, error: errorText(e), attempt: failures });
        await this.sleep(backoff(base, max, failures), signal);
      }
    }
  }

  private async listNow(): Promise<void> {
    const query: Record<string, string> = {};
    if (this.o.labelSelector) query.labelSelector = this.o.labelSelector;
    if (this.o.fieldSelector) query.fieldSelector = this.o.fieldSelector;
    const list = await this.o.client.request<{ items?: Json[]; metadata?: { resourceVersion?: string } }>('GET', this.o.path, { query, signal: this.abort.signal });
    const events = applyList(this.store, (list.items ?? []).map((o) => this.shape(o)));
    this.rv = list.metadata?.resourceVersion ?? '';
    this.dispatch(events);
    if (!this.isSynced) { this.isSynced = true; this.markSynced(); }
    for (const h of [...this.handlers]) h.relisted?.();
    this.o.log.debug('listed', { informer: this.o.name, objects: this.store.size, resourceVersion: this.rv });
  }

  private watchOnce(signal: AbortSignal): Promise<{ err: unknown; events: number; openedFor: number }> {
    return new Promise((resolve) => {
      let events = 0;
      const opened = Date.now();
      let idle: NodeJS.Timeout | undefined;
      const idleMs = this.o.idleTimeoutMs ?? 0;
      const arm = () => {
        if (!idleMs) return;
        if (idle) clearTimeout(idle);
        idle = setTimeout(() => {
          this.o.log.info('no watch event for a while; relisting', { informer: this.o.name });
          this.relist();
        }, idleMs);
        idle.unref();
      };
      let finished = false;
      const done = (err: unknown) => {
        if (finished) return;
        finished = true;
        if (idle) clearTimeout(idle);
        this.current = undefined;
        resolve({ err: signal.aborted || this.relistRequested ? null : err, events, openedFor: Date.now() - opened });
      };
      const query: Record<string, string> = { resourceVersion: this.rv, allowWatchBookmarks: 'true' };
      if (this.o.labelSelector) query.labelSelector = this.o.labelSelector;
      if (this.o.fieldSelector) query.fieldSelector = this.o.fieldSelector;
      arm();
      this.o.client.watch(this.o.path, query, (type, object) => {
        events++;
        arm();
        this.onWatchEvent(type, object);
      }, done).then((h) => {
        if (finished) return;
        this.current = h;
        if (signal.aborted || this.relistRequested) h.abort();
      }, done);
    });
  }

  private onWatchEvent(type: string, object: Json): void {
    if (type === 'ERROR') {
      // 410 Expired (or any other error status): the position is gone; relist after the server closes.
      this.rv = '';
      this.o.log.info('watch position expired; relisting', { informer: this.o.name, code: (object as { code?: number }).code });
      return;
    }
    const rv = ((object.metadata ?? {}) as { resourceVersion?: string }).resourceVersion;
    if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') {
      const ev = applyEvent(this.store, type, this.shape(object));
      if (ev) this.dispatch([ev]);
    }
    if (rv && this.rv !== '') this.rv = rv;
  }

  private dispatch(events: StoreEvent[]): void {
    for (const ev of events) {
      for (const h of [...this.handlers]) {
        try {
          if (ev.type === 'add') h.add?.(ev.object);
          else if (ev.type === 'update') h.update?.(ev.old, ev.object);
          else h.delete?.(ev.object);
        } catch (e) {
          this.o.log.error('event handler failed', { informer: this.o.name, object: objectKey(ev.object), error: errorText(e) });
        }
      }
    }
  }

  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    if (this.o.sleep) return this.o.sleep(ms, signal);
    return new Promise((resolve) => {
      const t = setTimeout(finish, ms);
      function finish() { clearTimeout(t); signal.removeEventListener('abort', finish); resolve(); }
      signal.addEventListener('abort', finish, { once: true });
    });
  }
}

export function backoff(baseMs: number, maxMs: number, attempt: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

/** The default transform: the object without metadata.managedFields. */
export function withoutManagedFields(o: Json): Json {
  const m = o.metadata as Record<string, unknown> | undefined;
  if (!m || !('managedFields' in m)) return o;
  const { managedFields: _drop, ...rest } = m;
  return { ...o, metadata: rest };
}

/** Metadata only (no data, stringData or managedFields): for caches that only route events. */
export function metadataOnly(o: Json): Json {
  const { data: _d, stringData: _s, ...rest } = withoutManagedFields(o);
  return rest;
}
