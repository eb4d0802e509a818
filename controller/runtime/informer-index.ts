// A secondary index over an informer's cache (client-go's Indexer): objects by a derived value, so
// a reconciler asking "which ExternalSecrets target Secret ns/x" does not scan every cached object.
// Scanning made those look-ups O(n) per event, O(n²) for a first sync of n ExternalSecrets.
// The index keeps cache keys only and reads objects back from the informer, so it never serves an
// object older than the cache; it is rebuilt after every relist.
import type { Json } from '../kube/index.js';
import type { Informer } from './informer.js';
import { objectKey } from './store.js';

export type IndexLookup = (value: string) => Readonly<Json>[];

/** Indexes `informer` by `valuesOf(object)` (an object may have several values, or none). */
export function indexInformer(informer: Informer, valuesOf: (o: Readonly<Json>) => readonly string[]): IndexLookup {
  const keys = new Map<string, Set<string>>();
  const add = (o: Readonly<Json>) => {
    const k = objectKey(o as Json);
    for (const v of valuesOf(o)) {
      let s = keys.get(v);
      if (!s) keys.set(v, (s = new Set()));
      s.add(k);
    }
  };
  const remove = (o: Readonly<Json>) => {
    const k = objectKey(o as Json);
    for (const v of valuesOf(o)) {
      const s = keys.get(v);
      if (!s) continue;
      s.delete(k);
      if (s.size === 0) keys.delete(v);
    }
  };
  informer.on({
    add,
    update: (old, o) => { remove(old); add(o); },
    delete: remove,
    relisted: () => { keys.clear(); for (const o of informer.list()) add(o); },
  });
  return (value) => {
    const out: Readonly<Json>[] = [];
    for (const k of keys.get(value) ?? []) {
      const slash = k.indexOf('/');
      const o = informer.get(k.slice(0, slash), k.slice(slash + 1));
      if (o && valuesOf(o).includes(value)) out.push(o);
    }
    return out;
  };
}
