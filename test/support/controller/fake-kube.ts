// An in-memory KubeClient for unit tests of the informer: one collection, list + watch, fault switches.
import type { Json, KubeClient, RequestOptions, WatchCallback } from '../../../controller/kube/index.js';
import { KubeApiError } from '../../../controller/kube/index.js';

export class FakeCollection implements KubeClient {
  items = new Map<string, Json>();
  rv = 1;
  listCalls = 0;
  watchCalls = 0;
  failLists = 0;
  failWatchStatus: number | undefined;
  private watchers = new Set<{ onEvent: WatchCallback; done: (e: unknown) => void }>();
  private log: Array<{ rv: number; type: string; object: Json }> = [];

  put(name: string, extra: Record<string, unknown> = {}): Json {
    const o = { metadata: { name, namespace: 'ns', resourceVersion: String(++this.rv) }, ...extra };
    const existed = this.items.has(name);
    this.items.set(name, o);
    this.log.push({ rv: this.rv, type: existed ? 'MODIFIED' : 'ADDED', object: o });
    for (const w of this.watchers) w.onEvent(existed ? 'MODIFIED' : 'ADDED', o);
    return o;
  }

  remove(name: string, silently = false): void {
    const o = this.items.get(name);
    if (!o) return;
    this.items.delete(name);
    const gone = { ...o, metadata: { ...(o.metadata as object), resourceVersion: String(++this.rv) } };
    if (silently) return;
    this.log.push({ rv: this.rv, type: 'DELETED', object: gone });
    for (const w of this.watchers) w.onEvent('DELETED', gone);
  }

  /** Ends every open watch, optionally after an ERROR event (e.g. 410 Expired). */
  closeWatches(errorCode?: number): void {
    for (const w of [...this.watchers]) {
      if (errorCode) w.onEvent('ERROR', { kind: 'Status', code: errorCode, reason: 'Expired' });
      this.watchers.delete(w);
      w.done(null);
    }
  }

  get openWatches(): number { return this.watchers.size; }

  async request<T>(method: string, _path: string, _o?: RequestOptions): Promise<T> {
    if (method !== 'GET') throw new Error('fake supports GET only');
    this.listCalls++;
    if (this.failLists > 0) { this.failLists--; throw new KubeApiError({ status: 500, reason: 'InternalError', message: 'injected', subject: 'list' }); }
    return { items: [...this.items.values()], metadata: { resourceVersion: String(this.rv) } } as T;
  }

  async watch(_path: string, q: Record<string, string>, onEvent: WatchCallback, done: (err: unknown) => void) {
    this.watchCalls++;
    if (this.failWatchStatus) {
      const err = Object.assign(new Error('injected'), { statusCode: this.failWatchStatus });
      queueMicrotask(() => done(err));
      return { abort() {} };
    }
    const w = { onEvent, done };
    this.watchers.add(w);
    // Like the API server: a watch from resourceVersion N first replays every change after N.
    const from = Number(q.resourceVersion ?? 0);
    for (const e of this.log) if (e.rv > from) onEvent(e.type, e.object);
    return { abort: () => { if (this.watchers.delete(w)) done(new DOMException('aborted', 'AbortError')); } };
  }
}
