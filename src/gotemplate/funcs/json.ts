// encoding/json over the value model: Marshal (with/without HTML escaping, indented) and Unmarshal
// into interface{} (objects → map[string]interface{}, numbers → float64).
import { jsonFloat } from '../fmt/float.js';
import { GoNum, goStringToBytes, isGoObject, type GoFunc, type Value } from '../value.js';
import { GoTime, formatTime } from './time-value.js';
import { compareGoStrings } from '../fmt/print.js';

export class JsonError extends Error {}

function encodeString(s: string, escapeHTML: boolean): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0x22) out += '\\"';
    else if (cp === 0x5c) out += '\\\\';
    else if (cp < 0x20) {
      out += cp === 0x0a ? '\\n' : cp === 0x0d ? '\\r' : cp === 0x09 ? '\\t' : `\\u00${cp.toString(16).padStart(2, '0')}`;
    } else if (escapeHTML && (cp === 0x3c || cp === 0x3e || cp === 0x26)) out += `\\u00${cp.toString(16)}`;
    else if (cp === 0x2028 || cp === 0x2029) out += `\\u${cp.toString(16)}`;
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\\ufffd';
    else out += ch;
  }
  return `${out}"`;
}

export function marshal(v: Value, o: { escapeHTML: boolean; indent?: string }, depth = 0): string {
  const nl = (d: number) => (o.indent === undefined ? '' : `\n${o.indent.repeat(d)}`);
  const colon = o.indent === undefined ? ':' : ': ';
  if (depth > 1000) throw new JsonError('json: unsupported value: encountered a cycle');
  if (v === undefined || v === null) return 'null';
  switch (typeof v) {
    case 'string': return encodeString(v, o.escapeHTML);
    case 'bigint': return v.toString();
    case 'boolean': return String(v);
    case 'number': {
      const s = jsonFloat(v);
      if (s === undefined) throw new JsonError(`json: unsupported value: ${v}`);
      return s;
    }
  }
  if (v instanceof GoNum) {
    if (v.isFloat()) {
      const s = jsonFloat(Math.fround(v.v as number));
      if (s === undefined) throw new JsonError('json: unsupported value');
      return s;
    }
    return (v.v as bigint).toString();
  }
  if (v instanceof Uint8Array) return `"${Buffer.from(v).toString('base64')}"`;
  if (v instanceof GoTime) return `"${formatTime(v, '2006-01-02T15:04:05.999999999Z07:00')}"`;
  if (isGoObject(v)) return encodeString(v.format(), o.escapeHTML);
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[${v.map((e) => nl(depth + 1) + marshal(e, o, depth + 1)).join(',')}${nl(depth)}]`;
  }
  if (v instanceof Map) {
    if (v.size === 0) return '{}';
    const keys = [...v.keys()].sort(compareGoStrings);
    return `{${keys.map((k) => `${nl(depth + 1)}${encodeString(k, o.escapeHTML)}${colon}${marshal(v.get(k), o, depth + 1)}`).join(',')}${nl(depth)}}`;
  }
  throw new JsonError('json: unsupported type');
}

/** Converts JSON.parse output to the Go model (lone surrogates → U+FFFD as Go decodes them). */
export function fromJsValue(v: unknown): Value {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v.replace(/[\uD800-\uDFFF]/gu, '\uFFFD');
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map(fromJsValue);
  const m = new Map<string, Value>();
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) m.set(fromJsValue(k) as string, fromJsValue(x));
  return m;
}

/**
 * json.Unmarshal into interface{}. Syntax errors throw JsonError (no data in the message); numbers out
 * of float64 range decode as nil and are reported in `rangeError`, as Go keeps decoding past them.
 */
export function unmarshalLenient(s: string): { value: Value; rangeError: boolean } {
  let parsed: unknown;
  let rangeError = false;
  try {
    parsed = JSON.parse(s, (_k, val) => {
      if (typeof val === 'number' && !Number.isFinite(val)) {
        rangeError = true;
        return null;
      }
      return val;
    });
  } catch {
    throw new JsonError('invalid JSON');
  }
  return { value: fromJsValue(parsed), rangeError };
}

export function unmarshal(s: string): Value {
  const r = unmarshalLenient(s);
  if (r.rangeError) throw new JsonError('json: cannot unmarshal number into Go value of type float64');
  return r.value;
}

const swallow = (f: () => string): string => {
  try {
    return f();
  } catch {
    return '';
  }
};

export const jsonFuncs: Record<string, GoFunc> = {
  fromJson: {
    params: ['string'],
    fn: (a) => {
      try {
        return unmarshalLenient(a[0] as string).value;
      } catch {
        return null;
      }
    },
  },
  mustFromJson: { params: ['string'], fn: (a) => unmarshal(a[0] as string) },
  toJson: { params: ['any'], fn: (a) => swallow(() => marshal(a[0], { escapeHTML: true })) },
  mustToJson: { params: ['any'], fn: (a) => marshal(a[0], { escapeHTML: true }) },
  toPrettyJson: { params: ['any'], fn: (a) => swallow(() => marshal(a[0], { escapeHTML: true, indent: '  ' })) },
  mustToPrettyJson: { params: ['any'], fn: (a) => marshal(a[0], { escapeHTML: true, indent: '  ' }) },
  toRawJson: { params: ['any'], fn: (a) => marshal(a[0], { escapeHTML: false }) },
  mustToRawJson: { params: ['any'], fn: (a) => marshal(a[0], { escapeHTML: false }) },
};

export { goStringToBytes };
