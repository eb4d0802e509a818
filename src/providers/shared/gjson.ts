// A port of github.com/tidwall/gjson's Get (v1.14) over raw JSON text, so `property` lookups behave
// exactly like ESO's: first match wins on duplicate keys, raw text is returned as written, `a.0.b`,
// `a\.b`, wildcards `*`/`?`, `#` (length), `#.field` (collect), `#(query)`/`#(query)#` and `|` pipes.
// Not ported: `@modifiers`, `!static` values, `[..]`/`{..}` multipath selectors and `..` JSON lines
// (those characters are treated as plain key text, as gjson does with DisableModifiers).
import { formatFloat } from './go-json.js';
import { parseString, readValue, unescape, valueStart } from './gjson-scan.js';
import { wildcardMatch } from './wildcard.js';
import { parseArray } from './gjson-array.js';

export { isValueStart, parseSquash, parseString, readValue, unescape, valueStart } from './gjson-scan.js';

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

