// Field sets as server-side apply tracks them (FieldsV1): paths of f:<field>, k:<key json>, v:<value json>.
import type { Json, JsonMap, ManagedFieldsEntry } from '../types.js';
import { isMap } from '../types.js';

export type ListType = { type: 'map'; keys: string[] } | { type: 'set' } | { type: 'atomic' };
/** Tells how a list at `path` (field names only) merges; built-ins use merge keys, CRs their schema. */
export type ListTypeOf = (path: string[]) => ListType;

export type Path = string[];
export const pathKey = (p: Path): string => JSON.stringify(p);
export const parseKey = (k: string): Path => JSON.parse(k) as Path;

const IGNORED_META = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'managedFields', 'selfLink', 'generateName']);

/** Leaf paths of an object. scope 'main' ignores status, 'status' keeps only status. */
export function fieldSet(obj: JsonMap, listType: ListTypeOf, scope: 'main' | 'status' | 'all'): Set<string> {
  const out = new Set<string>();
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'apiVersion' || k === 'kind') continue;
    if (scope === 'main' && k === 'status') continue;
    if (scope === 'status' && k !== 'status') continue;
    if (k === 'metadata' && isMap(v)) {
      for (const [mk, mv] of Object.entries(v)) if (!IGNORED_META.has(mk)) walk(mv, ['f:metadata', `f:${mk}`], ['metadata', mk], listType, out);
      continue;
    }
    walk(v, [`f:${k}`], [k], listType, out);
  }
  return out;
}

function walk(v: Json, path: Path, names: string[], listType: ListTypeOf, out: Set<string>): void {
  if (isMap(v)) {
    const entries = Object.entries(v);
    if (entries.length === 0) out.add(pathKey(path));
    for (const [k, x] of entries) walk(x, [...path, `f:${k}`], [...names, k], listType, out);
    return;
  }
  if (Array.isArray(v)) {
    const lt = listType(names);
    if (lt.type === 'set') { for (const x of v) out.add(pathKey([...path, `v:${JSON.stringify(x)}`])); if (!v.length) out.add(pathKey(path)); return; }
    if (lt.type === 'map' && v.every(isMap)) {
      for (const item of v as JsonMap[]) {
        const kp = [...path, `k:${itemKey(item, lt.keys)}`];
        out.add(pathKey([...kp, '.']));
        for (const [k, x] of Object.entries(item)) walk(x, [...kp, `f:${k}`], [...names, k], listType, out);
      }
      if (!v.length) out.add(pathKey(path));
      return;
    }
  }
  out.add(pathKey(path));
}

export function itemKey(item: JsonMap, keys: string[]): string {
  const o: JsonMap = {};
  for (const k of [...keys].sort()) if (item[k] !== undefined) o[k] = item[k]!;
  return JSON.stringify(o);
}

function matchItem(item: unknown, keyJson: string): boolean {
  if (!isMap(item)) return false;
  const want = JSON.parse(keyJson) as JsonMap;
  return Object.entries(want).every(([k, v]) => JSON.stringify(item[k]) === JSON.stringify(v));
}

/** The value at a field path, or undefined. */
export function getPath(obj: unknown, path: Path): unknown {
  let cur: unknown = obj;
  for (const el of path) {
    if (cur === undefined) return undefined;
    if (el === '.') return cur;
    if (el.startsWith('f:')) cur = isMap(cur) ? cur[el.slice(2)] : undefined;
    else if (el.startsWith('k:')) cur = Array.isArray(cur) ? cur.find((i) => matchItem(i, el.slice(2))) : undefined;
    else if (el.startsWith('v:')) cur = Array.isArray(cur) && cur.some((i) => JSON.stringify(i) === el.slice(2)) ? JSON.parse(el.slice(2)) : undefined;
  }
  return cur;
}

/** Removes the node at a path (a '.' path removes its list item or map). */
export function removePath(obj: unknown, path: Path): void {
  const p = path[path.length - 1] === '.' ? path.slice(0, -1) : path;
  if (!p.length) return;
  const parent = getPath(obj, p.slice(0, -1));
  const last = p[p.length - 1]!;
  if (last.startsWith('f:') && isMap(parent)) delete parent[last.slice(2)];
  else if (Array.isArray(parent)) {
    const i = last.startsWith('k:') ? parent.findIndex((x) => matchItem(x, last.slice(2))) : parent.findIndex((x) => JSON.stringify(x) === last.slice(2));
    if (i >= 0) parent.splice(i, 1);
  }
}

/** Human form used in conflict messages: .spec.containers[name="x"].image */
export function pathText(path: Path): string {
  let s = '';
  for (const el of path) {
    if (el === '.') continue;
    if (el.startsWith('f:')) s += '.' + el.slice(2);
    else if (el.startsWith('k:')) s += '[' + Object.entries(JSON.parse(el.slice(2)) as JsonMap).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',') + ']';
    else if (el.startsWith('v:')) s += `[=${el.slice(2)}]`;
  }
  return s;
}

export function toFieldsV1(set: Set<string>): JsonMap {
  const root: JsonMap = {};
  for (const k of [...set].sort()) {
    let node = root;
    for (const el of parseKey(k)) {
      if (!isMap(node[el])) node[el] = {};
      node = node[el] as JsonMap;
    }
  }
  return root;
}

export function fromFieldsV1(f: JsonMap | undefined): Set<string> {
  const out = new Set<string>();
  const rec = (node: JsonMap, path: Path): void => {
    const entries = Object.entries(node);
    if (!entries.length && path.length) out.add(pathKey(path));
    for (const [k, v] of entries) rec(isMap(v) ? v : {}, [...path, k]);
  };
  if (f) rec(f, []);
  return out;
}

export interface Manager { manager: string; operation: 'Apply' | 'Update'; subresource: string; apiVersion: string; time: string; set: Set<string> }

export function decodeManagers(entries: ManagedFieldsEntry[] | undefined): Manager[] {
  return (entries ?? []).filter((e) => e.manager !== undefined || e.fieldsV1).map((e) => ({
    manager: e.manager ?? '', operation: e.operation ?? 'Update', subresource: e.subresource ?? '', apiVersion: e.apiVersion ?? '', time: e.time ?? '', set: fromFieldsV1(e.fieldsV1),
  }));
}

export function encodeManagers(ms: Manager[]): ManagedFieldsEntry[] {
  return ms.filter((m) => m.set.size > 0).map((m) => ({
    manager: m.manager, operation: m.operation, apiVersion: m.apiVersion, time: m.time, fieldsType: 'FieldsV1', fieldsV1: toFieldsV1(m.set), ...(m.subresource ? { subresource: m.subresource } : {}),
  }));
}
