// text/template's predefined functions: and or not len index slice print printf println html js
// urlquery call eq ne lt le gt ge.
import { sprint, sprintf, sprintln } from '../fmt/print.js';
import { isPrint } from '../fmt/quote.js';
import {
  GoNum, StringMap, basicKind, binaryToGoString, goByteLength, goStringToBinary, goStringToBytes, goTypeName, intOf, isGoObject, isTrue,
  type GoFunc, type Value,
} from '../value.js';

const nilish = (v: Value) => v === undefined || v === null;

function indexArg(index: Value, cap: number): number {
  let x: bigint;
  if (typeof index === 'bigint') x = index;
  else if (index instanceof GoNum && !index.isFloat()) x = index.v as bigint;
  else if (nilish(index)) throw new Error('cannot index slice/array with nil');
  else throw new Error(`cannot index slice/array with type ${goTypeName(index)}`);
  if (x < 0n || x > BigInt(cap)) throw new Error(`index out of range: ${x}`);
  return Number(x);
}

function indexOne(item: Value, index: Value): Value {
  if (item === null) throw new Error('index of nil pointer');
  if (typeof item === 'string') {
    const bin = goStringToBinary(item);
    const x = indexArg(index, bin.length);
    if (x >= bin.length) throw new Error(`reflect: string index out of range`);
    return new GoNum('uint8', BigInt(bin.charCodeAt(x)));
  }
  if (Array.isArray(item) || item instanceof Uint8Array) {
    const x = indexArg(index, item.length);
    if (x >= item.length) throw new Error(`reflect: slice index out of range`);
    return item instanceof Uint8Array ? new GoNum('uint8', BigInt(item[x]!)) : item[x];
  }
  if (item instanceof Map) {
    if (nilish(index)) throw new Error('value is nil; should be of type string');
    if (typeof index !== 'string') throw new Error(`value has type ${goTypeName(index)}; should be string`);
    if (item.has(index)) return item.get(index);
    return item instanceof StringMap ? '' : null;
  }
  throw new Error(`can't index item of type ${goTypeName(item)}`);
}

function index(args: Value[]): Value {
  let item = args[0];
  if (nilish(item)) throw new Error('index of untyped nil');
  for (const i of args.slice(1)) item = indexOne(item, i);
  return item;
}

function slice(args: Value[]): Value {
  const item = args[0];
  if (nilish(item)) throw new Error('slice of untyped nil');
  const idx = args.slice(1);
  if (idx.length > 3) throw new Error(`too many slice indexes: ${idx.length}`);
  let len: number;
  let bin: string | undefined;
  if (typeof item === 'string') {
    if (idx.length === 3) throw new Error('cannot 3-index slice a string');
    bin = goStringToBinary(item);
    len = bin.length;
  } else if (Array.isArray(item) || item instanceof Uint8Array) len = item.length;
  else throw new Error(`can't slice item of type ${goTypeName(item)}`);
  const pos = [0, len];
  for (let i = 0; i < idx.length; i++) pos[i] = indexArg(idx[i], len);
  if (pos[0]! > pos[1]!) throw new Error(`invalid slice index: ${pos[0]} > ${pos[1]}`);
  if (bin !== undefined) return binaryToGoString(bin.slice(pos[0], pos[1]));
  return (item as unknown[]).slice(pos[0], pos[1]);
}

function length(v: Value): bigint {
  if (v === null) throw new Error('len of nil pointer');
  if (typeof v === 'string') return BigInt(goByteLength(v));
  if (Array.isArray(v) || v instanceof Uint8Array) return BigInt(v.length);
  if (v instanceof Map) return BigInt(v.size);
  if (v === undefined) throw new Error('len of untyped nil');
  throw new Error(`len of type ${goTypeName(v)}`);
}

const errBadComparisonType = 'invalid type for comparison';
const errBadComparison = 'incompatible types for comparison';

function numOf(v: Value): bigint | number {
  if (typeof v === 'bigint' || typeof v === 'number') return v;
  return (v as GoNum).v;
}

function eq(args: Value[]): boolean {
  const a = args[0];
  if (args.length < 2) throw new Error('missing argument for comparison');
  const k1 = basicKind(a);
  for (const b of args.slice(1)) {
    const k2 = basicKind(b);
    let truth = false;
    if (k1 !== k2) {
      if (k1 === 'int' && k2 === 'uint') truth = (numOf(a) as bigint) >= 0n && numOf(a) === numOf(b);
      else if (k1 === 'uint' && k2 === 'int') truth = (numOf(b) as bigint) >= 0n && numOf(a) === numOf(b);
      else if (!nilish(a) && !nilish(b)) throw new Error(errBadComparison);
    } else {
      switch (k1) {
        case 'bool': case 'string': truth = a === b; break;
        case 'int': case 'uint': case 'float': truth = numOf(a) === numOf(b); break;
        default:
          if (nilish(a) || nilish(b)) truth = nilish(a) === nilish(b);
          else if (Array.isArray(a) || a instanceof Map || Array.isArray(b) || b instanceof Map || a instanceof Uint8Array) {
            throw new Error(`non-comparable type ${goTypeName(b)}`);
          } else if (goTypeName(a) !== goTypeName(b)) throw new Error(`non-comparable types ${goTypeName(a)}, ${goTypeName(b)}`);
          else truth = isGoObject(a) && isGoObject(b) ? a.format() === b.format() : a === b;
      }
    }
    if (truth) return true;
  }
  return false;
}

function lt(a: Value, b: Value): boolean {
  const k1 = basicKind(a);
  if (k1 === 'invalid') throw new Error(errBadComparisonType);
  const k2 = basicKind(b);
  if (k2 === 'invalid') throw new Error(errBadComparisonType);
  if (k1 !== k2) {
    if (k1 === 'int' && k2 === 'uint') return (numOf(a) as bigint) < 0n || (numOf(a) as bigint) < (numOf(b) as bigint);
    if (k1 === 'uint' && k2 === 'int') return (numOf(b) as bigint) >= 0n && (numOf(a) as bigint) < (numOf(b) as bigint);
    throw new Error(errBadComparison);
  }
  switch (k1) {
    case 'bool': throw new Error(errBadComparisonType);
    case 'string': return Buffer.compare(goStringToBytes(a as string), goStringToBytes(b as string)) < 0;
  }
  return numOf(a) < numOf(b);
}

function le(a: Value, b: Value): boolean {
  if (lt(a, b)) return true;
  return eq([a, b]);
}

// text/template's HTMLEscapeString / JSEscapeString / URLQueryEscaper
export function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) => ({ '\0': '\uFFFD', '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
}

export function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    switch (ch) {
      case '\\': out += '\\\\'; continue;
      case "'": out += "\\'"; continue;
      case '"': out += '\\"'; continue;
      case '<': out += '\\u003C'; continue;
      case '>': out += '\\u003E'; continue;
      case '&': out += '\\u0026'; continue;
      case '=': out += '\\u003D'; continue;
    }
    if (cp < 0x20) out += `\\u00${cp.toString(16).toUpperCase().padStart(2, '0')}`;
    else if (cp < 0x80 || isPrint(cp)) out += ch;
    else if (cp >= 0xdc80 && cp <= 0xdcff) out += '\\uFFFD';
    else out += `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return out;
}

export function queryEscape(s: string): string {
  let out = '';
  for (const b of goStringToBytes(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** text/template's evalArgs: one string as is, otherwise Sprint with "<no value>" for missing values. */
function evalArgs(args: Value[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args.map((a) => (nilish(a) ? '<no value>' : a)));
}

export const builtins: Record<string, GoFunc> = {
  and: { params: ['value'], variadic: 'value', fn: () => undefined },
  or: { params: ['value'], variadic: 'value', fn: () => undefined },
  not: { params: ['value'], fn: (a) => !isTrue(a[0]) },
  len: { params: ['value'], fn: (a) => length(a[0]) },
  index: { params: ['value'], variadic: 'value', fn: index },
  slice: { params: ['value'], variadic: 'value', fn: slice },
  print: { params: [], variadic: 'any', fn: (a) => sprint(a) },
  printf: { params: ['string'], variadic: 'any', fn: (a) => sprintf(a[0] as string, a.slice(1)) },
  println: { params: [], variadic: 'any', fn: (a) => sprintln(a) },
  html: { params: [], variadic: 'any', fn: (a) => htmlEscape(evalArgs(a)) },
  js: { params: [], variadic: 'any', fn: (a) => jsEscape(evalArgs(a)) },
  urlquery: { params: [], variadic: 'any', fn: (a) => queryEscape(evalArgs(a)) },
  call: {
    params: ['value'], variadic: 'value',
    fn: (a) => {
      if (nilish(a[0])) throw new Error('call of nil');
      throw new Error(`non-function of type ${goTypeName(a[0])}`);
    },
  },
  eq: { params: ['value'], variadic: 'value', fn: eq },
  ne: { params: ['value', 'value'], fn: (a) => !eq(a) },
  lt: { params: ['value', 'value'], fn: (a) => lt(a[0], a[1]) },
  le: { params: ['value', 'value'], fn: (a) => le(a[0], a[1]) },
  gt: { params: ['value', 'value'], fn: (a) => !le(a[0], a[1]) },
  ge: { params: ['value', 'value'], fn: (a) => !lt(a[0], a[1]) },
};

export { intOf };
