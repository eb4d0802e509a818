// A port of github.com/tidwall/gjson's Get (v1.14) over raw JSON text, so `property` lookups behave
// exactly like ESO's: first match wins on duplicate keys, raw text is returned as written, `a.0.b`,
// `a\.b`, wildcards `*`/`?`, `#` (length), `#.field` (collect), `#(query)`/`#(query)#` and `|` pipes.
// Not ported: `@modifiers`, `!static` values, `[..]`/`{..}` multipath selectors and `..` JSON lines
// (those characters are treated as plain key text, as gjson does with DisableModifiers).
import { formatFloat, parseGoFloat } from './go-json.js';
import { wildcardMatch } from './wildcard.js';
import { parseArray } from './gjson-array.js';

export type GType = 'Null' | 'False' | 'Number' | 'String' | 'True' | 'JSON';

export interface GResult {
  type: GType;
  raw: string;
  str: string;
  num: number;
  /** Count of an array: a calculated number without raw digits in the source. */
  exists: boolean;
}

export const none = (): GResult => ({ type: 'Null', raw: '', str: '', num: 0, exists: false });

/** gjson `Result.String()`. */
export function resultString(r: GResult): string {
  switch (r.type) {
    case 'False': return 'false';
    case 'True': return 'true';
    case 'String': return r.str;
    case 'JSON': return r.raw;
    case 'Number': {
      if (r.raw.length === 0) return formatFloat(r.num);
      let i = r.raw[0] === '-' ? 1 : 0;
      for (; i < r.raw.length; i++) {
        const c = r.raw.charCodeAt(i);
        if (c < 48 || c > 57) return formatFloat(r.num);
      }
      return r.raw;
    }
    default: return '';
  }
}

export interface Ctx { json: string; value: GResult; pipe: string; piped: boolean }

/** gjson `Get(json, path)`. */
export function gjsonGet(json: string, path: string): GResult {
  const c: Ctx = { json, value: none(), pipe: '', piped: false };
  for (let i = 0; i < json.length; i++) {
    if (json[i] === '{') { parseObject(c, i + 1, path); break; }
    if (json[i] === '[') { parseArray(c, i + 1, path); break; }
  }
  if (c.piped) return resultGet(c.value, c.pipe);
  return c.value;
}

export function resultGet(r: GResult, path: string): GResult {
  return gjsonGet(r.raw, path);
}

function isDigit(c: string): boolean { return c >= '0' && c <= '9'; }

export function unescape(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch < ' ') return out;
    if (ch !== '\\') { out += ch; continue; }
    i++;
    if (i >= s.length) return out;
    switch (s[i]) {
      case '\\': out += '\\'; break;
      case '/': out += '/'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case '"': out += '"'; break;
      case 'u': {
        if (i + 5 > s.length) return out;
        let r = hex4(s.slice(i + 1, i + 5));
        i += 5;
        if (r >= 0xd800 && r < 0xe000) {
          if (s.length - i >= 6 && s[i] === '\\' && s[i + 1] === 'u') {
            const r2 = hex4(s.slice(i + 2, i + 6));
            r = r < 0xdc00 && r2 >= 0xdc00 && r2 < 0xe000 ? 0x10000 + ((r - 0xd800) << 10) + (r2 - 0xdc00) : 0xfffd;
            i += 6;
          } else {
            r = 0xfffd;
          }
        }
        out += String.fromCodePoint(r);
        i--;
        break;
      }
      default: return out;
    }
  }
  return out;
}

function hex4(s: string): number {
  return /^[0-9a-fA-F]{4}$/.test(s) ? parseInt(s, 16) : 0;
}

/** Scans a string whose opening quote is at i-1; returns [next, raw with quotes, escaped, ok]. */
export function parseString(json: string, i: number): [number, string, boolean, boolean] {
  const s = i;
  for (; i < json.length; i++) {
    const ch = json[i]!;
    if (ch > '\\') continue;
    if (ch === '"') return [i + 1, json.slice(s - 1, i + 1), false, true];
    if (ch === '\\') {
      i++;
      for (; i < json.length; i++) {
        const c2 = json[i]!;
        if (c2 > '\\') continue;
        if (c2 === '"') {
          if (json[i - 1] === '\\') {
            let n = 0;
            for (let j = i - 2; j > 0; j--) { if (json[j] !== '\\') break; n++; }
            if (n % 2 === 0) continue;
          }
          return [i + 1, json.slice(s - 1, i + 1), true, true];
        }
      }
      break;
    }
  }
  return [i, json.slice(s - 1), false, false];
}

function parseNumber(json: string, i: number): [number, string] {
  const s = i;
  i++;
  for (; i < json.length; i++) {
    const ch = json[i]!;
    if (ch <= ' ' || ch === ',' || ch === ']' || ch === '}') return [i, json.slice(s, i)];
  }
  return [i, json.slice(s)];
}

function parseLiteral(json: string, i: number): [number, string] {
  const s = i;
  i++;
  for (; i < json.length; i++) {
    const ch = json[i]!;
    if (ch < 'a' || ch > 'z') return [i, json.slice(s, i)];
  }
  return [i, json.slice(s)];
}

/** Skips a nested value whose opening bracket is at i; returns [next, raw]. */
export function parseSquash(json: string, i: number): [number, string] {
  const s = i;
  i++;
  let depth = 1;
  for (; i < json.length; i++) {
    const ch = json[i]!;
    if (ch >= '"' && ch <= '}') {
      if (ch === '"') {
        i++;
        const s2 = i;
        for (; i < json.length; i++) {
          const c2 = json[i]!;
          if (c2 > '\\') continue;
          if (c2 === '"') {
            if (json[i - 1] === '\\') {
              let n = 0;
              for (let j = i - 2; j > s2 - 1; j--) { if (json[j] !== '\\') break; n++; }
              if (n % 2 === 0) continue;
            }
            break;
          }
        }
      } else if (ch === '{' || ch === '[' || ch === '(') {
        depth++;
      } else if (ch === '}' || ch === ']' || ch === ')') {
        depth--;
        if (depth === 0) { i++; return [i, json.slice(s, i)]; }
      }
    }
  }
  return [i, json.slice(s)];
}

interface ObjectPath { part: string; path: string; pipe: string; piped: boolean; wild: boolean; more: boolean }

function parseObjectPath(path: string): ObjectPath {
  const r: ObjectPath = { part: '', path: '', pipe: '', piped: false, wild: false, more: false };
  for (let i = 0; i < path.length; i++) {
    const ch = path[i];
    if (ch === '|') { r.part = path.slice(0, i); r.pipe = path.slice(i + 1); r.piped = true; return r; }
    if (ch === '.') { r.part = path.slice(0, i); r.path = path.slice(i + 1); r.more = true; return r; }
    if (ch === '*' || ch === '?') { r.wild = true; continue; }
    if (ch === '\\') {
      let epart = path.slice(0, i);
      i++;
      if (i < path.length) {
        epart += path[i];
        i++;
        for (; i < path.length; i++) {
          const c2 = path[i];
          if (c2 === '\\') {
            i++;
            if (i < path.length) epart += path[i];
            continue;
          } else if (c2 === '.') {
            r.part = epart; r.path = path.slice(i + 1); r.more = true; return r;
          } else if (c2 === '|') {
            r.part = epart; r.pipe = path.slice(i + 1); r.piped = true; return r;
          } else if (c2 === '*' || c2 === '?') {
            r.wild = true;
          }
          epart += c2;
        }
      }
      r.part = epart;
      return r;
    }
  }
  r.part = path;
  return r;
}

/** Reads the value starting at or after i; returns [next, result] or undefined at end of input. */
export function readValue(json: string, i: number): [number, GResult] | [number, undefined] {
  for (; i < json.length; i++) {
    const ch = json[i]!;
    switch (ch) {
      case '"': {
        const [n, raw, esc, ok] = parseString(json, i + 1);
        if (!ok) return [n, undefined];
        const inner = raw.slice(1, -1);
        return [n, { type: 'String', raw, str: esc ? unescape(inner) : inner, num: 0, exists: true }];
      }
      case '{': case '[': {
        const [n, raw] = parseSquash(json, i);
        return [n, { type: 'JSON', raw, str: '', num: 0, exists: true }];
      }
      case 'n': case 't': case 'f': {
        if (ch === 'n' && i + 1 < json.length && json[i + 1] !== 'u') return numberAt(json, i);
        const [n, raw] = parseLiteral(json, i);
        const type: GType = ch === 't' ? 'True' : ch === 'f' ? 'False' : 'Null';
        return [n, { type, raw, str: '', num: 0, exists: true }];
      }
      case '+': case '-': case 'i': case 'I': case 'N':
        return numberAt(json, i);
      default:
        if (isDigit(ch)) return numberAt(json, i);
        continue;
    }
  }
  return [i, undefined];
}

function numberAt(json: string, i: number): [number, GResult] {
  const [n, raw] = parseNumber(json, i);
  return [n, { type: 'Number', raw, str: '', num: parseGoFloat(raw), exists: true }];
}

export function parseObject(c: Ctx, i: number, path: string): [number, boolean] {
  const rp = parseObjectPath(path);
  if (!rp.more && rp.piped) { c.pipe = rp.pipe; c.piped = true; }
  const json = c.json;
  while (i < json.length) {
    let key: string | undefined;
    let kesc = false;
    for (; i < json.length; i++) {
      if (json[i] === '"') {
        const [n, raw, esc, ok] = parseString(json, i + 1);
        if (!ok) return [n, false];
        i = n; key = raw.slice(1, -1); kesc = esc;
        break;
      }
      if (json[i] === '}') return [i + 1, false];
    }
    if (key === undefined) return [i, false];
    const k = kesc ? unescape(key) : key;
    const pmatch = rp.wild ? wildcardMatch(k, rp.part) : rp.part === k;
    const hit = pmatch && !rp.more;
    const j = valueStart(json, i);
    if (j >= json.length) return [j, false];
    if (pmatch && !hit && (json[j] === '{' || json[j] === '[')) {
      const [n, found] = json[j] === '{' ? parseObject(c, j + 1, rp.path) : parseArray(c, j + 1, rp.path);
      if (found) return [n, true];
      i = n;
      continue;
    }
    const [n, v] = readValue(json, j);
    if (!v) return [n, false];
    if (hit) { c.value = v; return [n, true]; }
    i = n;
  }
  return [i, false];
}

/** Characters gjson's scanners treat as the start of a value. */
export function isValueStart(ch: string): boolean {
  return ch === '"' || ch === '{' || ch === '[' || ch === 'n' || ch === 't' || ch === 'f' || ch === '+' ||
    ch === '-' || ch === 'i' || ch === 'I' || ch === 'N' || isDigit(ch);
}

/** The index of the next character that can start a JSON value (gjson skips everything else). */
export function valueStart(json: string, i: number): number {
  while (i < json.length && !isValueStart(json[i]!)) i++;
  return i;
}
