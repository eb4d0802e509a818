// Structural-schema handling of custom resources: pruning, defaulting and validation,
// with kube-openapi's wording for the errors.
import type { Json, JsonMap } from '../types.js';
import { clone, isMap } from '../types.js';
import type { FieldError } from '../status.js';
import { fieldErr } from '../status.js';
import type { ListType } from '../patch/index.js';
import { formatOk } from './formats.js';
import { evalRule } from './cel.js';

type Schema = JsonMap;
const props = (s: Schema): Record<string, Schema> => (isMap(s['properties']) ? (s['properties'] as Record<string, Schema>) : {});
const preserves = (s: Schema): boolean => s['x-kubernetes-preserve-unknown-fields'] === true;
const join = (path: string, k: string): string => (path ? `${path}.${k}` : k);

/** Removes fields the schema does not declare; returns their paths (for fieldValidation=Strict). */
export function prune(obj: JsonMap, schema: Schema): string[] {
  const pruned: string[] = [];
  for (const k of Object.keys(obj)) {
    if (k === 'apiVersion' || k === 'kind' || k === 'metadata') continue;
    const ps = props(schema)[k];
    if (ps) obj[k] = pruneValue(obj[k]!, ps, k, pruned);
    else if (!preserves(schema)) { pruned.push(k); delete obj[k]; }
  }
  return pruned;
}

function pruneValue(v: Json, s: Schema, path: string, pruned: string[]): Json {
  if (isMap(v)) {
    const ps = props(s);
    const ap = s['additionalProperties'];
    for (const k of Object.keys(v)) {
      if (ps[k]) v[k] = pruneValue(v[k]!, ps[k], join(path, k), pruned);
      else if (isMap(ap)) v[k] = pruneValue(v[k]!, ap, join(path, k), pruned);
      else if (s['x-kubernetes-embedded-resource'] === true && ['apiVersion', 'kind', 'metadata'].includes(k)) continue;
      else if (!preserves(s) && ap !== true) { pruned.push(join(path, k)); delete v[k]; }
    }
    return v;
  }
  if (Array.isArray(v) && isMap(s['items'])) return v.map((x, i) => pruneValue(x, s['items'] as Schema, `${path}[${i}]`, pruned));
  return v;
}

/** Fills `default` values of missing properties (the apiserver does this on write and read). */
export function applyDefaults(obj: JsonMap, schema: Schema): void {
  defaultValue(obj, schema);
}

function defaultValue(v: Json | undefined, s: Schema): void {
  if (isMap(v)) {
    for (const [k, ps] of Object.entries(props(s))) {
      if (v[k] === undefined && ps['default'] !== undefined) v[k] = clone(ps['default']!);
      if (v[k] !== undefined) defaultValue(v[k], ps);
    }
    if (isMap(s['additionalProperties'])) for (const k of Object.keys(v)) if (!props(s)[k]) defaultValue(v[k], s['additionalProperties'] as Schema);
  } else if (Array.isArray(v) && isMap(s['items'])) for (const x of v) defaultValue(x, s['items'] as Schema);
}

const typeName = (v: Json): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v === 'object' ? 'object' : typeof v);

/** Validates obj (without metadata) against the schema; returns field errors. */
export function validateSchema(obj: JsonMap, schema: Schema): FieldError[] {
  const errs: FieldError[] = [];
  const root: JsonMap = {};
  for (const [k, v] of Object.entries(obj)) if (k !== 'metadata' && k !== 'apiVersion' && k !== 'kind') root[k] = v;
  // The root without the fields the server owns; a shallow copy, as cloning a large CRD schema on
  // every write made the test server spend most of a 10,000-object bench copying schemas.
  const p = { ...props(schema) };
  delete p['metadata']; delete p['apiVersion']; delete p['kind'];
  const s: Schema = { ...schema, properties: p };
  if (Array.isArray(schema['required'])) s['required'] = (schema['required'] as string[]).filter((r) => !['metadata', 'apiVersion', 'kind'].includes(r));
  check(root, s, '', errs);
  return errs;
}

function check(v: Json, s: Schema, path: string, errs: FieldError[]): void {
  const t = s['type'] as string | undefined;
  const actual = typeName(v);
  if (v === null) {
    if (s['nullable'] === true) return;
    if (t) { errs.push(fieldErr.invalid(path, 'null', `${path} in body must be of type ${t}: "null"`)); return; }
  }
  if (s['x-kubernetes-int-or-string'] === true) {
    if (actual !== 'integer' && actual !== 'string') errs.push(fieldErr.invalid(path, actual, `${path} in body must be of type integer,string: "${actual}"`));
  } else if (t && !(t === actual || (t === 'number' && actual === 'integer'))) {
    errs.push(fieldErr.invalid(path, actual, `${path} in body must be of type ${t}: "${actual}"`));
    return;
  }
  if (Array.isArray(s['enum']) && !(s['enum'] as Json[]).some((e) => JSON.stringify(e) === JSON.stringify(v))) errs.push(fieldErr.notSupported(path, v, s['enum'] as Json[]));
  if (typeof v === 'string') {
    if (typeof s['format'] === 'string' && !formatOk(s['format'] as string, v)) errs.push(fieldErr.invalid(path, v, `${path} in body must be of type ${s['format']}: ${JSON.stringify(v)}`));
    if (typeof s['pattern'] === 'string' && !new RegExp(s['pattern'] as string, 'u').test(v)) errs.push(fieldErr.invalid(path, v, `${path} in body should match '${s['pattern']}'`));
    const len = [...v].length;
    if (typeof s['minLength'] === 'number' && len < s['minLength']) errs.push(fieldErr.invalid(path, v, `${path} in body should be at least ${s['minLength']} chars long`));
    if (typeof s['maxLength'] === 'number' && len > s['maxLength']) errs.push({ type: 'FieldValueTooLong', field: path, detail: `may not be more than ${s['maxLength']} bytes` });
  }
  if (typeof v === 'number') {
    const min = s['minimum'], max = s['maximum'];
    if (typeof min === 'number' && (s['exclusiveMinimum'] === true ? v <= min : v < min)) errs.push(fieldErr.invalid(path, v, `${path} in body should be greater than ${s['exclusiveMinimum'] === true ? '' : 'or equal to '}${min}`));
    if (typeof max === 'number' && (s['exclusiveMaximum'] === true ? v >= max : v > max)) errs.push(fieldErr.invalid(path, v, `${path} in body should be less than ${s['exclusiveMaximum'] === true ? '' : 'or equal to '}${max}`));
    if (typeof s['multipleOf'] === 'number' && v % s['multipleOf'] !== 0) errs.push(fieldErr.invalid(path, v, `${path} in body should be a multiple of ${s['multipleOf']}`));
  }
  if (Array.isArray(v)) {
    if (typeof s['minItems'] === 'number' && v.length < s['minItems']) errs.push(fieldErr.invalid(path, v.length, `${path} in body should have at least ${s['minItems']} items`));
    if (typeof s['maxItems'] === 'number' && v.length > s['maxItems']) errs.push({ type: 'FieldValueTooMany', field: path, value: v.length, hasValue: true, detail: `must have at most ${s['maxItems']} items` });
    if (isMap(s['items'])) v.forEach((x, i) => check(x, s['items'] as Schema, `${path}[${i}]`, errs));
    const lt = s['x-kubernetes-list-type'];
    if (lt === 'set' || lt === 'map') {
      const keys = (s['x-kubernetes-list-map-keys'] as string[] | undefined) ?? [];
      const seen = new Set<string>();
      v.forEach((x, i) => {
        const k = lt === 'set' ? JSON.stringify(x) : JSON.stringify(keys.map((kk) => (isMap(x) ? x[kk] : undefined)));
        if (seen.has(k)) errs.push({ type: 'FieldValueDuplicate', field: `${path}[${i}]`, value: x, hasValue: true, detail: '' });
        seen.add(k);
      });
    }
  }
  for (const rule of (s['x-kubernetes-validations'] as Array<{ rule?: string; message?: string; fieldPath?: string }> | undefined) ?? []) {
    if (typeof rule.rule !== 'string' || v === null || v === undefined) continue;
    if (evalRule(rule.rule, v) === false) errs.push(fieldErr.invalid(path, actual === 'integer' || actual === 'number' ? v : actual, rule.message ?? `failed rule: ${rule.rule}`));
  }
  if (isMap(v)) {
    for (const r of (s['required'] as string[] | undefined) ?? []) if (v[r] === undefined) errs.push(fieldErr.required(join(path, r)));
    const ps = props(s);
    for (const [k, x] of Object.entries(v)) {
      if (ps[k]) check(x, ps[k], join(path, k), errs);
      else if (isMap(s['additionalProperties'])) check(x, s['additionalProperties'] as Schema, join(path, k), errs);
    }
    if (typeof s['minProperties'] === 'number' && Object.keys(v).length < s['minProperties']) errs.push(fieldErr.invalid(path, Object.keys(v).length, `${path} in body should have at least ${s['minProperties']} properties`));
    if (typeof s['maxProperties'] === 'number' && Object.keys(v).length > s['maxProperties']) errs.push(fieldErr.invalid(path, Object.keys(v).length, `${path} in body should have at most ${s['maxProperties']} properties`));
  }
}

/** How server-side apply merges a list of a custom resource: from x-kubernetes-list-type. */
export function schemaListType(schema: Schema | undefined, names: string[]): ListType {
  let s: Schema | undefined = schema;
  for (const n of names) {
    if (!s) break;
    const ps = props(s);
    if (ps[n]) s = ps[n];
    else if (isMap(s['additionalProperties'])) s = s['additionalProperties'] as Schema;
    else if (isMap(s['items'])) { const it = s['items'] as Schema; s = props(it)[n] ?? (isMap(it['additionalProperties']) ? (it['additionalProperties'] as Schema) : undefined); }
    else s = undefined;
  }
  const lt = s?.['x-kubernetes-list-type'];
  if (lt === 'set') return { type: 'set' };
  if (lt === 'map') return { type: 'map', keys: (s?.['x-kubernetes-list-map-keys'] as string[] | undefined) ?? [] };
  return { type: 'atomic' };
}
