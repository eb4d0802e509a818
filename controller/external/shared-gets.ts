// Concurrent reconciles GET the same objects: every ExternalSecret of a store reads that store and
// its credentials Secret. One request answers every caller that asks while it is in flight (Go's
// singleflight). Not a cache: a caller that comes after the answer sends its own GET, so what a
// reconcile reads is never older than its own start. A change seen by the store or credential
// watches starts a new epoch: a caller woken by that change never joins a GET that began before it.
export interface SharedGets {
  get<T>(path: string, load: () => Promise<T>): Promise<T>;
  /** Called on every store or credential watch event. */
  changed(): void;
  /** GETs that joined one already in flight (for tests and metrics). */
  readonly joined: number;
}

export function sharedGets(): SharedGets {
  let epoch = 0;
  let joined = 0;
  const inFlight = new Map<string, Promise<unknown>>();
  return {
    get<T>(path: string, load: () => Promise<T>): Promise<T> {
      const key = `${epoch} ${path}`;
      const running = inFlight.get(key) as Promise<T> | undefined;
      if (running) { joined++; return running; }
      const p = load().then(deepFreeze).finally(() => { if (inFlight.get(key) === p) inFlight.delete(key); });
      inFlight.set(key, p);
      return p;
    },
    changed() { epoch++; },
    get joined() { return joined; },
  };
}

// Several reconciles hold the same object: none may change it under the others.
function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}
