// The informer cache as plain functions over a Map keyed "namespace/name", and the relist diff.
import type { Json } from '../kube/index.js';

export type Store = Map<string, Json>;
export type StoreEvent =
  | { type: 'add'; object: Json }
  | { type: 'update'; old: Json; object: Json }
  | { type: 'delete'; object: Json };

export function objectKey(o: Json): string {
  const m = (o.metadata ?? {}) as { namespace?: string; name?: string };
  return `${m.namespace ?? ''}/${m.name ?? ''}`;
}

export function resourceVersionOf(o: Json | undefined): string {
  return String(((o?.metadata ?? {}) as { resourceVersion?: string }).resourceVersion ?? '');
}

/** Applies one watch event; same-version updates are dropped. */
export function applyEvent(store: Store, kind: 'ADDED' | 'MODIFIED' | 'DELETED', object: Json): StoreEvent | undefined {
  const key = objectKey(object);
  const old = store.get(key);
  if (kind === 'DELETED') {
    if (!old) return undefined;
    store.delete(key);
    return { type: 'delete', object };
  }
  store.set(key, object);
  if (!old) return { type: 'add', object };
  if (resourceVersionOf(old) === resourceVersionOf(object)) return undefined;
  return { type: 'update', old, object };
}

/** Replaces the store's content with a fresh list: deletes for vanished objects, adds and updates for the rest. */
export function applyList(store: Store, items: readonly Json[]): StoreEvent[] {
  const events: StoreEvent[] = [];
  const fresh = new Map(items.map((o) => [objectKey(o), o] as const));
  for (const [key, old] of [...store]) {
    if (!fresh.has(key)) { store.delete(key); events.push({ type: 'delete', object: old }); }
  }
  for (const [key, object] of fresh) {
    const old = store.get(key);
    store.set(key, object);
    if (!old) events.push({ type: 'add', object });
    else if (resourceVersionOf(old) !== resourceVersionOf(object)) events.push({ type: 'update', old, object });
  }
  return events;
}
