// Go's strings/unicode helpers over Go strings (code points; invalid bytes as U+DC80+b).
import { sprint } from '../fmt/print.js';
import { GoNum, bytesToGoString, goStringToBytes, isGoObject, type Value } from '../value.js';

export function isSpaceCp(cp: number): boolean {
  if (cp <= 0xff) return cp === 0x20 || (cp >= 9 && cp <= 13) || cp === 0x85 || cp === 0xa0;
  return cp === 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp === 0x2028 || cp === 0x2029 || cp === 0x202f || cp === 0x205f || cp === 0x3000;
}

export function trimSpace(s: string): string {
  const cps = [...s];
  let a = 0;
  let b = cps.length;
  while (a < b && isSpaceCp(cps[a]!.codePointAt(0)!)) a++;
  while (b > a && isSpaceCp(cps[b - 1]!.codePointAt(0)!)) b--;
  return cps.slice(a, b).join('');
}

export function trimCutset(s: string, cutset: string, left: boolean, right: boolean): string {
  const set = new Set([...cutset]);
  const cps = [...s];
  let a = 0;
  let b = cps.length;
  if (left) while (a < b && set.has(cps[a]!)) a++;
  if (right) while (b > a && set.has(cps[b - 1]!)) b--;
  return cps.slice(a, b).join('');
}

function simpleMap(ch: string, f: (c: string) => string): string {
  const m = f(ch);
  return [...m].length === 1 ? m : ch;
}

export const isUpper = (ch: string) => /\p{Lu}/u.test(ch);
export const isLower = (ch: string) => /\p{Ll}/u.test(ch);
export const isLetter = (ch: string) => /\p{L}/u.test(ch);
export const isNumber = (ch: string) => /\p{N}/u.test(ch);
export const isDigit = (ch: string) => /\p{Nd}/u.test(ch);
export const isPunct = (ch: string) => /\p{P}/u.test(ch);
export const toUpperCp = (ch: string) => simpleMap(ch, (c) => c.toUpperCase());
// simple (one code point) mappings where JavaScript's full mapping differs
const lowerSpecial: Record<string, string> = { '\u0130': 'i' };
export const toLowerCp = (ch: string) => lowerSpecial[ch] ?? simpleMap(ch, (c) => c.toLowerCase());
// title case differs from upper case only for these digraphs
const titleSpecial: Record<string, string> = {
  '\u01c4': '\u01c5', '\u01c5': '\u01c5', '\u01c6': '\u01c5', '\u01c7': '\u01c8', '\u01c8': '\u01c8', '\u01c9': '\u01c8',
  '\u01ca': '\u01cb', '\u01cb': '\u01cb', '\u01cc': '\u01cb', '\u01f1': '\u01f2', '\u01f2': '\u01f2', '\u01f3': '\u01f2',
};
export const toTitleCp = (ch: string) => titleSpecial[ch] ?? toUpperCp(ch);

const invalid = (ch: string) => {
  const c = ch.charCodeAt(0);
  return ch.length === 1 && c >= 0xdc80 && c <= 0xdcff;
};

/** strings.ToUpper / ToLower (invalid bytes become U+FFFD as strings.Map does). */
export function toUpper(s: string): string {
  let out = '';
  for (const ch of s) out += invalid(ch) ? '\uFFFD' : toUpperCp(ch);
  return out;
}
export function toLower(s: string): string {
  let out = '';
  for (const ch of s) out += invalid(ch) ? '\uFFFD' : toLowerCp(ch);
  return out;
}

/** strings.Title (deprecated in Go, still what sprig's title uses). */
export function title(s: string): string {
  let prev = ' ';
  let out = '';
  for (const ch of s) {
    out += isSeparator(prev) ? toTitleCp(ch) : ch;
    prev = ch;
  }
  return out;
}

function isSeparator(ch: string): boolean {
  const cp = ch.codePointAt(0)!;
  if (cp <= 0x7f) {
    if (/[0-9a-zA-Z_]/.test(ch)) return false;
    return true;
  }
  if (isLetter(ch) || isDigit(ch)) return false;
  return isSpaceCp(cp);
}

/** sprig's strval. */
export function strval(v: Value): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return bytesToGoString(v);
  if (isGoObject(v)) return v.format();
  return sprint([v === undefined ? null : v]);
}

/** strings.Split semantics (sep "" splits into UTF-8 sequences). */
export function goSplit(s: string, sep: string, n = -1): string[] {
  if (n === 0) return [];
  if (sep === '') {
    const cps = [...s];
    if (n > 0 && cps.length > n) return [...cps.slice(0, n - 1), cps.slice(n - 1).join('')];
    return cps;
  }
  const parts = s.split(sep);
  if (n > 0 && parts.length > n) return [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)];
  return parts;
}

/** Byte-wise helpers for functions that operate on bytes. */
export function bytesOf(s: string): Buffer {
  return goStringToBytes(s);
}

export { GoNum };
