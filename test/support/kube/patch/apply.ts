// Server-side apply and managedFields bookkeeping for ordinary writes.
import type { JsonMap, KObject } from '../types.js';
import { clone, isMap } from '../types.js';
import { ApiError } from '../status.js';
import type { ListTypeOf, Manager, Path } from './fieldset.js';
import { decodeManagers, encodeManagers, fieldSet, getPath, itemKey, parseKey, pathText, removePath } from './fieldset.js';

export interface ApplyInput {
  current: KObject | undefined;
  config: KObject;
  manager: string;
  force: boolean;
  subresource: string; // '' or 'status'
  apiVersion: string;
  time: string;
  listType: ListTypeOf;
  /** Group-qualified resource for the conflict Status details. */
  details: { name: string; group: string; kind: string };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const scopeOf = (sub: string): 'main' | 'status' => (sub === 'status' ? 'status' : 'main');

/** Returns the merged object (managedFields set) or throws a 409 FieldManagerConflict. */
export function serverSideApply(i: ApplyInput): KObject {
  const base: KObject = i.current ? clone(i.current) : { metadata: {} };
  const managers = decodeManagers(base.metadata.managedFields);
  const configSet = fieldSet(i.config as unknown as JsonMap, i.listType, scopeOf(i.subresource));
  const self = (m: Manager): boolean => m.manager === i.manager && m.operation === 'Apply' && m.subresource === i.subresource;

  const conflicts: Array<{ m: Manager; path: Path }> = [];
  for (const m of managers) {
    if (self(m)) continue;
    for (const k of m.set) {
      if (!configSet.has(k)) continue;
      const p = parseKey(k);
      if (!same(getPath(base, p), getPath(i.config, p))) conflicts.push({ m, path: p });
    }
  }
  if (conflicts.length && !i.force) throw conflictError(conflicts, i.details);
  for (const c of conflicts) c.m.set.delete(JSON.stringify(c.path));

  const prev = managers.find(self);
  if (prev) {
    const removed = [...prev.set].filter((k) => !configSet.has(k) && !managers.some((m) => m !== prev && m.set.has(k)));
    // Whole list items ('.') first, so their fields are not removed one by one (which would lose the item's key).
    const depth = (k: string): number => { const p = parseKey(k); return p[p.length - 1] === '.' ? p.length - 1.5 : p.length; };
    removed.sort((a, b) => depth(a) - depth(b));
    for (const k of removed) removePath(base, parseKey(k));
  }

  const merged = mergeApply(base as unknown as JsonMap, stripIdentity(i.config, i.subresource), [], i.listType) as unknown as KObject;
  const mine: Manager = { manager: i.manager, operation: 'Apply', subresource: i.subresource, apiVersion: i.apiVersion, time: i.time, set: configSet };
  const next = managers.filter((m) => !self(m));
  next.push(mine);
  merged.metadata.managedFields = encodeManagers(next);
  return merged;
}

function stripIdentity(config: KObject, sub: string): JsonMap {
  const c = clone(config) as unknown as JsonMap;
  if (sub === 'status') return { status: c['status'] ?? {} } as JsonMap;
  delete c['status'];
  const md = isMap(c['metadata']) ? c['metadata'] : {};
  for (const k of ['resourceVersion', 'uid', 'creationTimestamp', 'generation', 'managedFields', 'deletionTimestamp']) delete md[k];
  c['metadata'] = md;
  return c;
}

function mergeApply(base: unknown, cfg: unknown, names: string[], listType: ListTypeOf): unknown {
  if (isMap(cfg)) {
    const out: JsonMap = isMap(base) ? clone(base) : {};
    for (const [k, v] of Object.entries(cfg)) out[k] = mergeApply(out[k], v, [...names, k], listType) as JsonMap[string];
    return out;
  }
  if (Array.isArray(cfg) && Array.isArray(base)) {
    const lt = listType(names);
    if (lt.type === 'set') return [...base, ...cfg.filter((x) => !base.some((y) => same(x, y)))];
    if (lt.type === 'map' && cfg.every(isMap)) {
      const out = clone(base);
      for (const item of cfg as JsonMap[]) {
        const key = itemKey(item, lt.keys);
        const idx = out.findIndex((x) => isMap(x) && itemKey(x, lt.keys) === key);
        if (idx >= 0) out[idx] = mergeApply(out[idx], item, names, listType) as JsonMap;
        else out.push(clone(item));
      }
      return out;
    }
  }
  return clone(cfg);
}

function conflictError(cs: Array<{ m: Manager; path: Path }>, d: ApplyInput['details']): ApiError {
  const byManager = new Map<Manager, Path[]>();
  for (const c of cs) byManager.set(c.m, [...(byManager.get(c.m) ?? []), c.path]);
  const who = (m: Manager): string => `"${m.manager}"` + (m.operation === 'Update' ? ` using ${m.apiVersion}` : '');
  const parts = [...byManager].map(([m, ps]) => (ps.length === 1 ? `conflict with ${who(m)}: ${pathText(ps[0]!)}` : `conflicts with ${who(m)}:\n${ps.map((p) => '- ' + pathText(p)).join('\n')}`));
  const n = cs.length;
  return new ApiError(409, 'Conflict', `Apply failed with ${n} conflict${n === 1 ? '' : 's'}: ${parts.join('\n')}`, {
    ...d, causes: cs.map((c) => ({ type: 'FieldManagerConflict', message: `conflict with ${who(c.m)}`, field: pathText(c.path) })),
  });
}

/**
 * Ownership for create/update/patch: fields that changed go to (manager, Update); fields that
 * disappeared leave every manager. A request that rewrote managedFields itself is taken as given.
 */
export function trackUpdate(o: { old: KObject | undefined; next: KObject; manager: string; subresource: string; apiVersion: string; time: string; listType: ListTypeOf; requested?: unknown }): void {
  const oldMf = o.old?.metadata.managedFields;
  // An empty list means "leave them alone"; [{}] clears them (the documented reset).
  if (o.requested !== undefined && !(Array.isArray(o.requested) && o.requested.length === 0) && !same(o.requested, oldMf)) {
    const req = Array.isArray(o.requested) ? o.requested.filter((e) => isMap(e) && Object.keys(e).length) : [];
    o.next.metadata.managedFields = req as KObject['metadata']['managedFields'];
    if (!req.length) delete o.next.metadata.managedFields;
    return;
  }
  const scope = scopeOf(o.subresource);
  const managers = decodeManagers(oldMf);
  const before = o.old ? fieldSet(o.old as unknown as JsonMap, o.listType, scope) : new Set<string>();
  const after = fieldSet(o.next as unknown as JsonMap, o.listType, scope);
  const changed = [...after].filter((k) => !before.has(k) || !same(getPath(o.old, parseKey(k)), getPath(o.next, parseKey(k))));
  const gone = [...before].filter((k) => !after.has(k));
  for (const m of managers) { for (const k of changed) m.set.delete(k); for (const k of gone) m.set.delete(k); }
  if (changed.length) {
    let mine = managers.find((m) => m.manager === o.manager && m.operation === 'Update' && m.subresource === o.subresource);
    if (!mine) managers.push((mine = { manager: o.manager, operation: 'Update', subresource: o.subresource, apiVersion: o.apiVersion, time: o.time, set: new Set() }));
    for (const k of changed) mine.set.add(k);
    mine.time = o.time;
    mine.apiVersion = o.apiVersion;
  }
  const enc = encodeManagers(managers);
  if (enc.length) o.next.metadata.managedFields = enc;
  else delete o.next.metadata.managedFields;
}
