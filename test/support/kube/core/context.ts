// What every storage operation needs: the store, the registry, the clock, and a few shared helpers.
import { randomUUID } from 'node:crypto';
import type { Clock, KObject, ResourceDef } from '../types.js';
import { clone, gv, isMap, storageKey } from '../types.js';
import type { Store } from '../store.js';
import type { Registry } from '../registry.js';
import type { ListType, ListTypeOf } from '../patch/index.js';
import { mergeKeyFor, SET_LISTS } from '../builtins.js';
import { schemaListType } from '../crd/schema.js';
import { Pager } from './pager.js';

export interface Core {
  store: Store;
  registry: Registry;
  now: Clock;
  uid: () => string;
  /** Called after a CRD was stored or removed, to (re)register what it serves. */
  crdChanged: (name: string) => void;
  pager: Pager;
}

export function makeCore(store: Store, registry: Registry, now: Clock, crdChanged: (name: string) => void): Core {
  return { store, registry, now, uid: randomUUID, crdChanged, pager: new Pager() };
}

export interface WriteOptions {
  dryRun: boolean;
  fieldManager?: string;
  fieldValidation: 'Ignore' | 'Warn' | 'Strict';
  warnings: string[];
}

/** RFC 3339 with seconds precision, as metav1.Time marshals. */
export const rfc3339 = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export const keyOf = (d: ResourceDef): string => storageKey(d);

/** The object as a client of version `d` sees it: apiVersion/kind set (no conversion: strategy None). */
export function present(d: ResourceDef, o: KObject): KObject {
  const { apiVersion: _a, kind: _k, ...rest } = clone(o);
  return { apiVersion: gv(d), kind: d.kind, ...rest } as KObject;
}

export function listTypeOf(d: ResourceDef): ListTypeOf {
  return (names: string[]): ListType => {
    const field = names[names.length - 1] ?? '';
    if (names[0] === 'metadata') {
      if (field === 'finalizers') return { type: 'set' };
      if (field === 'ownerReferences') return { type: 'map', keys: ['uid'] };
      return { type: 'atomic' };
    }
    if (d.crd) return schemaListType(d.crd.schema, names);
    if (SET_LISTS.has(field)) return { type: 'set' };
    const k = mergeKeyFor(d.kind, names.slice(0, -1), field);
    if (field === 'conditions') return { type: 'map', keys: ['type'] };
    return k ? { type: 'map', keys: [k] } : { type: 'atomic' };
  };
}

const SUFFIX_CHARS = 'bcdfghjklmnpqrstvwxz2456789';
export function randomSuffix(): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += SUFFIX_CHARS[Math.floor(Math.random() * SUFFIX_CHARS.length)];
  return s;
}

/** Everything but metadata (and status when it has its own subresource), to decide generation bumps. */
export function specPart(d: ResourceDef, o: KObject): string {
  const c: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (k !== 'metadata' && k !== 'apiVersion' && k !== 'kind' && !(d.statusSubresource && k === 'status')) c[k] = v;
  return JSON.stringify(c);
}

/** Comparable form for no-op detection (the apiserver skips writes that change no bytes). */
export function comparable(o: KObject): string {
  const c = clone(o);
  delete c.metadata.managedFields;
  delete c.metadata.resourceVersion;
  return JSON.stringify(c);
}

export const asObject = (v: unknown): KObject | undefined => (isMap(v) ? (v as unknown as KObject) : undefined);
