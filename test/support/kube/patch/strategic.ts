// Strategic merge patch for built-in kinds: merge keys from the Go struct tags, and the
// $patch / $retainKeys / $deleteFromPrimitiveList / $setElementOrder directives kubectl sends.
import { badRequest } from '../status.js';
import { clone, isMap } from '../types.js';
import { mergeKeyFor, SET_LISTS } from '../builtins.js';

type Map_ = Record<string, unknown>;

export function applyStrategicMerge(kind: string, target: unknown, patch: unknown): unknown {
  if (!isMap(patch)) throw badRequest('json: cannot unmarshal array into Go value of type map[string]interface {}');
  return mergeMap(kind, [], isMap(target) ? clone(target) : {}, patch);
}

function mergeMap(kind: string, path: string[], target: Map_, patch: Map_): Map_ {
  const directive = patch['$patch'];
  if (directive === 'replace') {
    const rest = { ...patch };
    delete rest['$patch'];
    return stripDirectives(rest) as Map_;
  }
  if (directive === 'delete') return {};
  const retain = patch['$retainKeys'];
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys' || k.startsWith('$setElementOrder/')) continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const field = k.slice('$deleteFromPrimitiveList/'.length);
      const cur = target[field];
      if (Array.isArray(cur) && Array.isArray(v)) target[field] = cur.filter((x) => !v.includes(x));
      continue;
    }
    if (v === null) { delete target[k]; continue; }
    const cur = target[k];
    if (Array.isArray(v)) target[k] = mergeList(kind, [...path, k], k, Array.isArray(cur) ? cur : [], v);
    else if (isMap(v)) {
      if (v['$patch'] === 'delete') { delete target[k]; continue; }
      target[k] = mergeMap(kind, [...path, k], isMap(cur) ? cur : {}, v);
    } else target[k] = v;
  }
  if (Array.isArray(retain)) for (const k of Object.keys(target)) if (!retain.includes(k)) delete target[k];
  return target;
}

function mergeList(kind: string, path: string[], field: string, target: unknown[], patch: unknown[]): unknown[] {
  const key = mergeKeyFor(kind, path.slice(0, -1), field);
  if (patch.some((p) => isMap(p) && p['$patch'] === 'replace')) return stripDirectives(patch.filter((p) => !(isMap(p) && p['$patch'] === 'replace'))) as unknown[];
  if (SET_LISTS.has(field)) {
    const out = [...target];
    for (const v of patch) if (!out.includes(v)) out.push(v);
    return out;
  }
  if (!key) return stripDirectives(patch) as unknown[];
  const out = target.map((x) => clone(x));
  for (const item of patch) {
    if (!isMap(item)) continue;
    const idx = out.findIndex((x) => isMap(x) && x[key] === item[key]);
    if (item['$patch'] === 'delete') { if (idx >= 0) out.splice(idx, 1); continue; }
    if (idx >= 0) out[idx] = mergeMap(kind, path, out[idx] as Map_, item);
    else out.push(stripDirectives(item));
  }
  return out;
}

function stripDirectives(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripDirectives);
  if (!isMap(v)) return v;
  const out: Map_ = {};
  for (const [k, x] of Object.entries(v)) if (!k.startsWith('$')) out[k] = stripDirectives(x);
  return out;
}
