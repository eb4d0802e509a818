// Watch streams: headers flushed at once, one JSON event per line, start points by resourceVersion,
// selector transitions (ADDED/DELETED when an object starts/stops matching), bookmarks on request,
// ERROR 410 then close for a compacted version, and server-side close after the timeout.
import type { ServerResponse } from 'node:http';
import type { KObject, ResourceDef } from './types.js';
import { gv } from './types.js';
import type { Store, StoreEvent } from './store.js';
import type { FieldSelector, LabelSelector } from './selectors.js';
import { matches } from './core/read.js';
import { keyOf, present } from './core/context.js';

export interface WatchRequest {
  def: ResourceDef;
  ns: string | undefined;
  labels: LabelSelector;
  fields: FieldSelector;
  resourceVersion: string | undefined;
  bookmarks: boolean;
  timeoutSeconds: number | undefined;
  sendInitialEvents: boolean;
}

interface Open { res: ServerResponse; buffer: string[]; end: () => void; def: ResourceDef }

export class WatchHub {
  private readonly open = new Set<Open>();
  private paused = false;
  constructor(private readonly store: Store, private readonly o: { defaultTimeoutSeconds: number; bookmarkIntervalMs: number }) {}

  get count(): number { return this.open.size; }

  serve(res: ServerResponse, w: WatchRequest): void {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache, private', 'transfer-encoding': 'chunked' });
    res.flushHeaders();
    const o: Open = { res, buffer: [], end: () => undefined, def: w.def };
    const write = (type: string, object: unknown): void => {
      if (res.writableEnded || res.destroyed) return;
      const line = JSON.stringify({ type, object }) + '\n';
      if (this.paused) o.buffer.push(line);
      else res.write(line);
    };
    const key = keyOf(w.def);
    const rv = w.resourceVersion;
    if (rv && rv !== '0') {
      const n = Number(rv);
      const events = Number.isFinite(n) ? this.store.eventsAfter(n) : undefined;
      if (!events) {
        write('ERROR', { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `too old resource version: ${rv} (${this.store.oldestWatchable})`, reason: 'Expired', code: 410 });
        res.end();
        return;
      }
      for (const e of events) this.deliver(e, key, w, write);
    } else {
      for (const obj of this.store.list(key, w.def.namespaced ? w.ns : undefined)) if (matches(obj, w.labels, w.fields)) write('ADDED', present(w.def, obj));
      if (w.sendInitialEvents && w.bookmarks) write('BOOKMARK', this.bookmark(w.def, { 'k8s.io/initial-events-end': 'true' }));
    }
    const unsubscribe = this.store.subscribe((e) => this.deliver(e, key, w, write));
    const bm = w.bookmarks ? setInterval(() => write('BOOKMARK', this.bookmark(w.def)), this.o.bookmarkIntervalMs) : undefined;
    const end = (): void => { unsubscribe(); clearInterval(bm); clearTimeout(timeout); if (!res.writableEnded) res.end(); };
    const timeout = setTimeout(end, (w.timeoutSeconds ?? this.o.defaultTimeoutSeconds) * 1000);
    o.end = end;
    this.open.add(o);
    res.on('close', () => {
      unsubscribe();
      clearInterval(bm);
      clearTimeout(timeout);
      this.open.delete(o);
    });
  }

  private bookmark(def: ResourceDef, annotations?: Record<string, string>): object {
    return { kind: def.kind, apiVersion: gv(def), metadata: { resourceVersion: String(this.store.resourceVersion), ...(annotations ? { annotations } : {}) } };
  }

  private deliver(e: StoreEvent, key: string, w: WatchRequest, write: (t: string, o: unknown) => void): void {
    if (e.key !== key) return;
    if (w.def.namespaced && w.ns && e.obj.metadata.namespace !== w.ns) return;
    const now = e.type !== 'DELETED' && matches(e.obj, w.labels, w.fields);
    const before = e.old !== undefined && matches(e.old, w.labels, w.fields);
    const p = (o: KObject) => present(w.def, o);
    if (e.type === 'DELETED') { if (before || matches(e.obj, w.labels, w.fields)) write('DELETED', p(e.obj)); return; }
    if (now && before) write('MODIFIED', p(e.obj));
    else if (now) write('ADDED', p(e.obj));
    else if (before) write('DELETED', p(e.obj));
  }

  closeAll(): void { for (const o of [...this.open]) o.end(); }

  /** Ends watches on resources that are no longer served (their CRD went away). */
  closeWhere(gone: (def: ResourceDef) => boolean): void { for (const o of [...this.open]) if (gone(o.def)) o.end(); }

  pause(): void { this.paused = true; }

  resume(): void {
    this.paused = false;
    for (const o of this.open) { if (!o.res.writableEnded) for (const line of o.buffer) o.res.write(line); o.buffer = []; }
  }
}
