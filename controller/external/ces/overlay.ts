// Read-your-writes over an informer cache: after we create, update or delete an object, the cache may
// not have seen the watch event yet. Until it moves past the resourceVersion our write was based on,
// reads return what we wrote, so the next pass neither repeats the write nor acts on stale state.
const rvOf = (o: object | undefined) => ((o as { metadata?: { resourceVersion?: string } } | undefined)?.metadata)?.resourceVersion;

export class WriteOverlay<T extends object> {
  private readonly written = new Map<string, { before: string | undefined; after: T | undefined }>();

  /** `before` is the cached object the write was based on (undefined for a create); `after` undefined for a delete. */
  record(key: string, before: object | undefined, after: T | undefined): void {
    this.written.set(key, { before: rvOf(before), after });
  }

  read(key: string, cached: T | undefined): T | undefined {
    const w = this.written.get(key);
    if (!w) return cached;
    if (rvOf(cached) === w.before) return w.after;
    this.written.delete(key);
    return cached;
  }

  forget(key: string): void { this.written.delete(key); }
}
