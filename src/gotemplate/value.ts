// How Go values are modelled in JavaScript, and their Go type names.
//
//   Go                         JS
//   string                     string (bytes that are not UTF-8 are kept as lone surrogates U+DC80+b)
//   int                        bigint
//   float64                    number
//   bool                       boolean
//   int64, uint8, float32, …   GoNum
//   nil interface              null       (an element of a map/slice of interface{})
//   invalid ("no value")       undefined
//   []interface{} / []T        Array (an optional element type in ELEM)
//   map[string]interface{}     Map<string, Value>
//   map[string]string          StringMap
//   time.Time                  GoTime
//   []byte                     Uint8Array
//   anything with methods      GoObject
export type Value = unknown;

export const ELEM = Symbol('gotemplate.elem');

export type NumKind = 'int8' | 'int16' | 'int32' | 'int64' | 'uint' | 'uint8' | 'uint16' | 'uint32' | 'uint64' | 'float32';

export class GoNum {
  constructor(readonly kind: NumKind, readonly v: bigint | number) {}
  isFloat(): boolean {
    return this.kind === 'float32';
  }
  isUnsigned(): boolean {
    return this.kind.startsWith('u');
  }
}

export const int64 = (v: bigint): GoNum => new GoNum('int64', BigInt.asIntN(64, v));

/** A map[string]string: missingkey=zero gives "" and it is not assignable to map[string]interface{}. */
export class StringMap extends Map<string, Value> {}

/** Parameter types a template function declares; arguments are checked and converted as Go does. */
export type ParamType = 'any' | 'value' | 'string' | 'int' | 'int64' | 'uint32' | 'float64' | 'bool' | 'map' | 'list' | 'time' | 'certificate';

export interface CallContext {
  now(): Date;
  maxOutputBytes: number;
  randomBytes(n: number): Uint8Array;
  /** Throws when a value of this many bytes/elements would exceed the output budget. */
  checkSize(n: number, what: string): void;
}

export interface GoFunc {
  params: ParamType[];
  /** Element type of a trailing ...variadic parameter. */
  variadic?: ParamType;
  fn: (args: Value[], ctx: CallContext) => Value;
}

/** Something with methods callable as `.Method args` (e.g. a semver version or a time). */
export interface GoObject {
  readonly goType: string;
  method(name: string): GoFunc | undefined;
  /** What fmt prints for %v / %s. */
  format(): string;
}

export function isGoObject(v: Value): v is GoObject {
  return typeof v === 'object' && v !== null && typeof (v as GoObject).method === 'function' && typeof (v as GoObject).goType === 'string';
}

export function typedArray<T>(items: T[], elem: string): T[] {
  (items as unknown as Record<symbol, string>)[ELEM] = elem;
  return items;
}

export function elemType(a: unknown[]): string {
  return (a as unknown as Record<symbol, string | undefined>)[ELEM] ?? 'interface {}';
}

export function goTypeName(v: Value): string {
  if (v === undefined || v === null) return '<nil>';
  switch (typeof v) {
    case 'string': return 'string';
    case 'bigint': return 'int';
    case 'number': return 'float64';
    case 'boolean': return 'bool';
  }
  if (v instanceof GoNum) return v.kind;
  if (Array.isArray(v)) return `[]${elemType(v)}`;
  if (v instanceof StringMap) return 'map[string]string';
  if (v instanceof Map) return 'map[string]interface {}';
  if (v instanceof Uint8Array) return '[]uint8';
  if (isGoObject(v)) return v.goType;
  return 'interface {}';
}

/** reflect.Kind name as sprig's kindIs/kindOf report it. */
export function goKindName(v: Value): string {
  if (v === undefined || v === null) return 'invalid';
  switch (typeof v) {
    case 'string': return 'string';
    case 'bigint': return 'int';
    case 'number': return 'float64';
    case 'boolean': return 'bool';
  }
  if (v instanceof GoNum) return v.kind;
  if (Array.isArray(v) || v instanceof Uint8Array) return 'slice';
  if (v instanceof Map) return 'map';
  if (isGoObject(v)) return v.goType.startsWith('*') ? 'ptr' : 'struct';
  return 'invalid';
}

export type BasicKind = 'bool' | 'int' | 'uint' | 'float' | 'string' | 'invalid';

export function basicKind(v: Value): BasicKind {
  switch (typeof v) {
    case 'string': return 'string';
    case 'bigint': return 'int';
    case 'number': return 'float';
    case 'boolean': return 'bool';
  }
  if (v instanceof GoNum) return v.isFloat() ? 'float' : v.isUnsigned() ? 'uint' : 'int';
  return 'invalid';
}

/** The integer value of an int-like Go value, or undefined. */
export function intOf(v: Value): bigint | undefined {
  if (typeof v === 'bigint') return v;
  if (v instanceof GoNum && !v.isFloat()) return v.v as bigint;
  return undefined;
}

export function floatOf(v: Value): number | undefined {
  if (typeof v === 'number') return v;
  if (v instanceof GoNum && v.isFloat()) return v.v as number;
  return undefined;
}

/** Go's truthiness (text/template isTrue); undefined when the value has no truth (never here). */
export function isTrue(v: Value): boolean {
  if (v === undefined || v === null) return false;
  switch (typeof v) {
    case 'string': return v.length > 0;
    case 'bigint': return v !== 0n;
    case 'number': return v !== 0;
    case 'boolean': return v;
  }
  if (v instanceof GoNum) return v.v !== 0n && v.v !== 0;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Map) return v.size > 0;
  if (v instanceof Uint8Array) return v.length > 0;
  return true;
}

// ---- strings as bytes ----

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Bytes → Go string: valid UTF-8 decodes normally; each invalid byte becomes U+DC80+b. */
export function bytesToGoString(b: Uint8Array): string {
  try {
    return utf8.decode(b);
  } catch {
    return decodeLossless(b);
  }
}

function decodeLossless(b: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      out += String.fromCharCode(c);
      i++;
      continue;
    }
    const n = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
    if (n > 0 && i + n <= b.length) {
      try {
        const s = utf8.decode(b.subarray(i, i + n));
        out += s;
        i += n;
        continue;
      } catch {
        /* fall through: escape one byte */
      }
    }
    out += String.fromCharCode(0xdc00 + c);
    i++;
  }
  return out;
}

const escaped = /[\uDC80-\uDCFF]/u;
const escapedAll = /[\uDC80-\uDCFF]/gu;

/** Go string → bytes (inverse of bytesToGoString). */
export function goStringToBytes(s: string): Buffer {
  if (!escaped.test(s)) return Buffer.from(s, 'utf8');
  const parts: Buffer[] = [];
  let last = 0;
  for (const m of s.matchAll(escapedAll)) {
    parts.push(Buffer.from(s.slice(last, m.index), 'utf8'), Buffer.from([m[0].charCodeAt(0) - 0xdc00]));
    last = m.index + m[0].length;
  }
  parts.push(Buffer.from(s.slice(last), 'utf8'));
  return Buffer.concat(parts);
}

/** len(s) in bytes. */
export function goByteLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else if (c >= 0xdc80 && c <= 0xdcff) n += 1;
    else n += 3;
  }
  return n;
}

/** Latin-1 view where each char is one byte: for byte-indexed operations (substr, trunc, index). */
export function goStringToBinary(s: string): string {
  return goStringToBytes(s).toString('latin1');
}

export function binaryToGoString(b: string): string {
  return bytesToGoString(Buffer.from(b, 'latin1'));
}
