// Sprig's list, dict and default/flow functions, and reflection helpers (typeOf, kindIs, deepEqual).
import { GoNum, StringMap, goKindName, goTypeName, isGoObject, typedArray, type GoFunc, type Value } from '../value.js';
import { strval } from './gostrings.js';
import { compareGoStrings } from '../fmt/print.js';
import { toInt64 } from './numbers.js';

const nilish = (v: Value) => v === undefined || v === null;

function kindName(v: Value): string {
  if (nilish(v)) throw new Error('runtime error: invalid memory address or nil pointer dereference');
  return goKindName(v);
}

/** The elements of a Go slice/array, or undefined when the value is not one. */
function listOf(v: Value): Value[] | undefined {
  if (Array.isArray(v)) return v;
  if (v instanceof Uint8Array) return [...v].map((b) => new GoNum('uint8', BigInt(b)));
  return undefined;
}

function needList(v: Value, what: string): Value[] {
  const l = listOf(v);
  if (!l) throw new Error(`Cannot ${what} on type ${kindName(v)}`);
  return l;
}

export function strslice(v: Value): string[] {
  if (Array.isArray(v)) return typedArray(v.filter((x) => !nilish(x)).map(strval), 'string');
  if (v instanceof Uint8Array) return typedArray([...v].map(String), 'string');
  if (nilish(v)) return typedArray([], 'string');
  return typedArray([strval(v)], 'string');
}

/** sprig's empty. */
export function empty(v: Value): boolean {
  if (nilish(v)) return true;
  switch (typeof v) {
    case 'string': return v.length === 0;
    case 'bigint': return v === 0n;
    case 'number': return v === 0;
    case 'boolean': return !v;
  }
  if (v instanceof GoNum) return v.v === 0n || v.v === 0;
  if (Array.isArray(v) || v instanceof Uint8Array) return v.length === 0;
  if (v instanceof Map) return v.size === 0;
  return false;
}

/** reflect.DeepEqual over the value model. */
export function deepEqual(a: Value, b: Value): boolean {
  if (nilish(a) || nilish(b)) return nilish(a) && nilish(b);
  if (goTypeName(a) !== goTypeName(b)) return false;
  if (a instanceof GoNum && b instanceof GoNum) return a.v === b.v;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.compare(a, b) === 0;
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !deepEqual(v, b.get(k))) return false;
    return true;
  }
  if (isGoObject(a) && isGoObject(b)) return a.format() === b.format();
  return a === b;
}

function inList(list: Value[], needle: Value): boolean {
  return list.some((h) => deepEqual(needle, h));
}

function needMap(v: Value, what: string): Map<string, Value> {
  if (v instanceof Map && !(v instanceof StringMap)) return v;
  throw new Error(`interface conversion: interface {} is ${goTypeName(v)}, not map[string]interface {} (${what})`);
}

function mergeInto(dst: Map<string, Value>, src: Map<string, Value>, overwrite: boolean) {
  for (const [k, sv] of src) {
    if (!dst.has(k)) {
      dst.set(k, sv);
      continue;
    }
    const dv = dst.get(k);
    if (dv instanceof Map && sv instanceof Map && !(dv instanceof StringMap)) {
      mergeInto(dv, sv, overwrite);
    } else if (overwrite || empty(dv)) {
      dst.set(k, sv);
    }
  }
}

function deepCopy(v: Value): Value {
  if (Array.isArray(v)) {
    const c = v.map(deepCopy);
    return goTypeName(v) === '[]interface {}' ? c : typedArray(c, goTypeName(v).slice(2));
  }
  if (v instanceof StringMap) return new StringMap(v);
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, deepCopy(x)]));
  if (v instanceof Uint8Array) return Uint8Array.from(v);
  return v;
}

function nonNil(v: Value): Value {
  if (nilish(v)) throw new Error('reflect: call of reflect.Value.Type on zero Value');
  return v;
}

function sliceList(list: Value, idx: Value[]): Value {
  const l = needList(list, 'slice');
  if (l.length === 0) return null;
  const start = idx.length > 0 ? Number(toInt64(idx[0])) : 0;
  const end = idx.length >= 2 ? Number(toInt64(idx[1])) : l.length;
  if (start < 0 || end > l.length || start > end) throw new Error(`reflect: slice index out of range`);
  const out = l.slice(start, end);
  return Array.isArray(list) && goTypeName(list) !== '[]interface {}' ? typedArray(out, goTypeName(list).slice(2)) : out;
}

function chunk(size: number, list: Value): Value[][] {
  const l = needList(list, 'chunk');
  if (size <= 0) throw new Error('runtime error: integer divide by zero');
  const out: Value[][] = [];
  for (let i = 0; i < l.length; i += size) out.push(l.slice(i, i + size));
  return typedArray(out, '[]interface {}');
}

function dig(ps: Value[]): Value {
  if (ps.length < 3) throw new Error('dig needs at least three arguments');
  let dict = needMap(ps[ps.length - 1], 'dig');
  const def = ps[ps.length - 2];
  const keys = ps.slice(0, -2).map((k) => {
    if (typeof k !== 'string') throw new Error(`interface conversion: interface {} is ${goTypeName(k)}, not string`);
    return k;
  });
  for (let i = 0; i < keys.length; i++) {
    if (!dict.has(keys[i]!)) return def;
    const step = dict.get(keys[i]!);
    if (i === keys.length - 1) return step;
    dict = needMap(step, 'dig');
  }
  return def;
}

export const listFuncs: Record<string, GoFunc> = {
  list: { params: [], variadic: 'any', fn: (a) => a },
  tuple: { params: [], variadic: 'any', fn: (a) => a },
  append: { params: ['any', 'any'], fn: (a) => [...needList(a[0], 'push'), a[1]] },
  push: { params: ['any', 'any'], fn: (a) => [...needList(a[0], 'push'), a[1]] },
  mustAppend: { params: ['any', 'any'], fn: (a) => [...needList(a[0], 'push'), a[1]] },
  mustPush: { params: ['any', 'any'], fn: (a) => [...needList(a[0], 'push'), a[1]] },
  prepend: { params: ['any', 'any'], fn: (a) => [a[1], ...needList(a[0], 'prepend')] },
  mustPrepend: { params: ['any', 'any'], fn: (a) => [a[1], ...needList(a[0], 'prepend')] },
  first: { params: ['any'], fn: (a) => needList(a[0], 'find first')[0] ?? null },
  mustFirst: { params: ['any'], fn: (a) => needList(a[0], 'find first')[0] ?? null },
  last: { params: ['any'], fn: (a) => needList(a[0], 'find last').at(-1) ?? null },
  mustLast: { params: ['any'], fn: (a) => needList(a[0], 'find last').at(-1) ?? null },
  rest: { params: ['any'], fn: (a) => needList(a[0], 'find rest').slice(1) },
  mustRest: { params: ['any'], fn: (a) => needList(a[0], 'find rest').slice(1) },
  initial: { params: ['any'], fn: (a) => needList(a[0], 'find initial').slice(0, -1) },
  mustInitial: { params: ['any'], fn: (a) => needList(a[0], 'find initial').slice(0, -1) },
  reverse: { params: ['any'], fn: (a) => [...needList(a[0], 'find reverse')].reverse() },
  mustReverse: { params: ['any'], fn: (a) => [...needList(a[0], 'find reverse')].reverse() },
  uniq: { params: ['any'], fn: (a) => needList(a[0], 'find uniq').reduce<Value[]>((acc, x) => (inList(acc, x) ? acc : [...acc, x]), []) },
  mustUniq: { params: ['any'], fn: (a) => needList(a[0], 'find uniq').reduce<Value[]>((acc, x) => (inList(acc, x) ? acc : [...acc, x]), []) },
  without: { params: ['any'], variadic: 'any', fn: (a) => needList(a[0], 'find without').filter((x) => !inList(a.slice(1), x)) },
  mustWithout: { params: ['any'], variadic: 'any', fn: (a) => needList(a[0], 'find without').filter((x) => !inList(a.slice(1), x)) },
  has: { params: ['any', 'any'], fn: (a) => (nilish(a[1]) ? false : inList(needList(a[1], 'find has'), a[0])) },
  mustHas: { params: ['any', 'any'], fn: (a) => (nilish(a[1]) ? false : inList(needList(a[1], 'find has'), a[0])) },
  compact: { params: ['any'], fn: (a) => needList(a[0], 'compact').filter((x) => !empty(x)) },
  mustCompact: { params: ['any'], fn: (a) => needList(a[0], 'compact').filter((x) => !empty(x)) },
  slice: { params: ['any'], variadic: 'any', fn: (a) => sliceList(a[0], a.slice(1)) },
  mustSlice: { params: ['any'], variadic: 'any', fn: (a) => sliceList(a[0], a.slice(1)) },
  concat: {
    params: [], variadic: 'any',
    fn: (a) => {
      const out: Value[] = [];
      for (const l of a) out.push(...needList(l, 'concat'));
      return a.length === 0 ? null : out;
    },
  },
  chunk: { params: ['int', 'any'], fn: (a) => chunk(Number(a[0]), a[1]) },
  mustChunk: { params: ['int', 'any'], fn: (a) => chunk(Number(a[0]), a[1]) },
  sortAlpha: {
    params: ['any'],
    fn: (a) => (listOf(a[0]) ? typedArray(strslice(a[0]).sort(compareGoStrings), 'string') : typedArray([strval(a[0])], 'string')),
  },
  dig: { params: [], variadic: 'any', fn: dig },

  dict: {
    params: [], variadic: 'any',
    fn: (a) => {
      const m = new Map<string, Value>();
      for (let i = 0; i < a.length; i += 2) m.set(strval(a[i]), i + 1 < a.length ? a[i + 1] : '');
      return m;
    },
  },
  get: { params: ['map', 'string'], fn: (a) => ((a[0] as Map<string, Value>).has(a[1] as string) ? (a[0] as Map<string, Value>).get(a[1] as string) : '') },
  set: {
    params: ['map', 'string', 'any'],
    fn: (a) => {
      (a[0] as Map<string, Value>).set(a[1] as string, a[2]);
      return a[0];
    },
  },
  unset: {
    params: ['map', 'string'],
    fn: (a) => {
      (a[0] as Map<string, Value>).delete(a[1] as string);
      return a[0];
    },
  },
  hasKey: { params: ['map', 'string'], fn: (a) => (a[0] as Map<string, Value>).has(a[1] as string) },
  pluck: {
    params: ['string'], variadic: 'map',
    fn: (a) => (a.slice(1) as Map<string, Value>[]).filter((d) => d.has(a[0] as string)).map((d) => d.get(a[0] as string)),
  },
  keys: { params: [], variadic: 'map', fn: (a) => typedArray((a as Map<string, Value>[]).flatMap((d) => [...d.keys()]), 'string') },
  values: { params: ['map'], fn: (a) => [...(a[0] as Map<string, Value>).values()] },
  pick: {
    params: ['map'], variadic: 'string',
    fn: (a) => {
      const d = a[0] as Map<string, Value>;
      const res = new Map<string, Value>();
      for (const k of a.slice(1) as string[]) if (d.has(k)) res.set(k, d.get(k));
      return res;
    },
  },
  omit: {
    params: ['map'], variadic: 'string',
    fn: (a) => {
      const omit = new Set(a.slice(1) as string[]);
      return new Map([...(a[0] as Map<string, Value>)].filter(([k]) => !omit.has(k)));
    },
  },
  merge: { params: ['map'], variadic: 'map', fn: (a) => mergeAll(a, false) },
  mustMerge: { params: ['map'], variadic: 'map', fn: (a) => mergeAll(a, false) },
  mergeOverwrite: { params: ['map'], variadic: 'map', fn: (a) => mergeAll(a, true) },
  mustMergeOverwrite: { params: ['map'], variadic: 'map', fn: (a) => mergeAll(a, true) },
  deepCopy: { params: ['any'], fn: (a) => deepCopy(nonNil(a[0])) },
  mustDeepCopy: { params: ['any'], fn: (a) => deepCopy(nonNil(a[0])) },

  default: { params: ['any'], variadic: 'any', fn: (a) => (a.length < 2 || empty(a[1]) ? a[0] : a[1]) },
  empty: { params: ['any'], fn: (a) => empty(a[0]) },
  coalesce: { params: [], variadic: 'any', fn: (a) => a.find((v) => !empty(v)) ?? null },
  all: { params: [], variadic: 'any', fn: (a) => a.every((v) => !empty(v)) },
  any: { params: [], variadic: 'any', fn: (a) => a.some((v) => !empty(v)) },
  ternary: { params: ['any', 'any', 'bool'], fn: (a) => (a[2] ? a[0] : a[1]) },
  fail: {
    params: ['string'],
    fn: (a) => {
      throw new Error(a[0] as string);
    },
  },

  typeOf: { params: ['any'], fn: (a) => (nilish(a[0]) ? '<nil>' : goTypeName(a[0])) },
  typeIs: { params: ['string', 'any'], fn: (a) => a[0] === (nilish(a[1]) ? '<nil>' : goTypeName(a[1])) },
  typeIsLike: {
    params: ['string', 'any'],
    fn: (a) => {
      const t = nilish(a[1]) ? '<nil>' : goTypeName(a[1]);
      return a[0] === t || a[0] === `*${t}`;
    },
  },
  kindOf: { params: ['any'], fn: (a) => goKindName(a[0]) },
  kindIs: { params: ['string', 'any'], fn: (a) => a[0] === goKindName(a[1]) },
  deepEqual: { params: ['any', 'any'], fn: (a) => deepEqual(a[0], a[1]) },
};

function mergeAll(a: Value[], overwrite: boolean): Value {
  const dst = a[0] as Map<string, Value>;
  for (const src of a.slice(1) as Map<string, Value>[]) mergeInto(dst, src, overwrite);
  return dst;
}
