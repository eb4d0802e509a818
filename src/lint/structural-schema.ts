// A structural-schema (CRD openAPIV3Schema) validator for what the API server checks on create:
// types, int-or-string, enums, formats, required fields, and unknown fields (kubectl's default
// strict field validation). Messages name paths and expected types, never the values.
import { decodeBase64Strict } from '../crypto/base64.js';
import type { Path } from './types.js';

type Schema = Record<string, unknown>;
const REQUIRED = 'required field is missing';

export interface SchemaError {
  /** Where to point: the offending field, or the object missing a required one. */
  path: Path;
  message: string;
}

export interface ValidateOptions {
  /** Values to leave unchecked (e.g. strings filled in by a Helm action). */
  skip?: (v: unknown) => boolean;
  /** Leave out missing-field errors (a Helm action may write the field). */
  ignoreRequired?: boolean;
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const props = (s: Schema): Record<string, Schema> => (isMap(s['properties']) ? (s['properties'] as Record<string, Schema>) : {});

/** Validates a whole object; metadata, apiVersion and kind are the API server's own business. */
export function validateObject(obj: Record<string, unknown>, schema: Schema, o: ValidateOptions = {}): SchemaError[] {
  const errs: SchemaError[] = [];
  const root: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (k !== 'metadata' && k !== 'apiVersion' && k !== 'kind') root[k] = v;
  const p = { ...props(schema) };
  delete p['metadata']; delete p['apiVersion']; delete p['kind'];
  const required = Array.isArray(schema['required']) ? (schema['required'] as string[]).filter((r) => !['metadata', 'apiVersion', 'kind'].includes(r)) : [];
  check(root, { ...schema, properties: p, required }, [], errs, o.skip ?? (() => false));
  return o.ignoreRequired ? errs.filter((e) => !e.message.endsWith(REQUIRED)) : errs;
}

export function pathText(path: Path): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : /^[A-Za-z_][A-Za-z0-9_]*$/.test(seg) ? (out ? `.${seg}` : seg) : `[${JSON.stringify(seg)}]`;
  return out || '(root)';
}

function typeName(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'object') return 'object';
  return typeof v;
}

function check(v: unknown, s: Schema, path: Path, errs: SchemaError[], skip: (v: unknown) => boolean): void {
  // v1 CRDs prune nulls of non-nullable fields before validation: null is never an error.
  if (v === null || v === undefined || skip(v)) return;
  const err = (message: string, at: Path = path) => errs.push({ path: at, message: `${pathText(path)}: ${message}` });
  const t = s['type'] as string | undefined;
  const actual = typeName(v);
  if (s['x-kubernetes-int-or-string'] === true) {
    if (actual !== 'integer' && actual !== 'string') { err(`must be an integer or a string, not ${article(actual)}`); return; }
  } else if (t && !(t === actual || (t === 'number' && actual === 'integer'))) {
    err(`must be ${article(t)}, not ${article(actual)}`);
    return;
  }
  if (Array.isArray(s['enum']) && !(s['enum'] as unknown[]).some((e) => JSON.stringify(e) === JSON.stringify(v))) {
    err(`unsupported value (must be one of: ${(s['enum'] as unknown[]).map((e) => String(e)).join(', ')})`);
  }
  const format = s['format'];
  if (typeof v === 'string' && typeof format === 'string') {
    if (format === 'byte' && !decodeBase64Strict(v)) err('must be base64 (format byte)');
    if (format === 'date-time' && !(/^\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)$/.test(v) && !Number.isNaN(Date.parse(v.replace(' ', 'T'))))) {
      err('must be an RFC 3339 date-time (format date-time)');
    }
  }
  if (typeof v === 'number' && Number.isInteger(v)) {
    if (format === 'int32' && (v < -(2 ** 31) || v > 2 ** 31 - 1)) err('is out of range for int32');
    if (format === 'int64' && !Number.isSafeInteger(v)) err('is out of range for int64');
  }
  if (Array.isArray(v)) {
    if (isMap(s['items'])) v.forEach((x, i) => check(x, s['items'] as Schema, [...path, i], errs, skip));
    return;
  }
  if (!isMap(v)) return;
  for (const r of (s['required'] as string[] | undefined) ?? []) {
    if (v[r] === undefined || v[r] === null) errs.push({ path, message: `${pathText([...path, r])}: ${REQUIRED}` });
  }
  const ps = props(s);
  const ap = s['additionalProperties'];
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  for (const [k, x] of Object.entries(v)) {
    if (ps[k]) check(x, ps[k], [...path, k], errs, skip);
    else if (isMap(ap)) check(x, ap, [...path, k], errs, skip);
    else if (!preserve && ap !== true && !skip(k)) errs.push({ path: [...path, k], message: `${pathText([...path, k])}: unknown field` });
  }
}

function article(t: string): string {
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}
