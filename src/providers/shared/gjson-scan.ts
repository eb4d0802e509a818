// gjson's byte scanners over raw JSON text (strings, numbers, literals, nested values), ported from
// tidwall/gjson v1.14 so positions and raw text match Go exactly.
import { parseGoFloat } from './go-json.js';
import type { GResult, GType } from './gjson.js';

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
