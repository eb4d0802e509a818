// Sprig's string functions.
import { sprintf } from '../fmt/print.js';
import { quote as goQuote } from '../fmt/quote.js';
import { binaryToGoString, goByteLength, goStringToBinary, goStringToBytes, StringMap, typedArray, type CallContext, type GoFunc, type Value } from '../value.js';
import { goSplit, isSpaceCp, strval, title, toLower, toUpper, trimCutset, trimSpace } from './gostrings.js';
import { strslice } from './lists.js';
import { camelCaseToLowerCase, swapCase, toCamelCase, untitle } from './casing.js';
import { b32decode, b32encode, b64decode } from './base-encoding.js';

const s1 = (fn: (s: string) => Value): GoFunc => ({ params: ['string'], fn: (a) => fn(a[0] as string) });
const s2 = (fn: (a: string, b: string) => Value): GoFunc => ({ params: ['string', 'string'], fn: (a) => fn(a[0] as string, a[1] as string) });

function trunc(c: number, s: string): string {
  const b = goStringToBinary(s);
  if (c < 0 && b.length + c > 0) return binaryToGoString(b.slice(b.length + c));
  if (c >= 0 && b.length > c) return binaryToGoString(b.slice(0, c));
  return s;
}

function substring(start: number, end: number, s: string): string {
  const b = goStringToBinary(s);
  const check = (lo: number, hi: number) => {
    if (lo < 0 || hi > b.length || lo > hi) throw new Error(`runtime error: slice bounds out of range [${lo}:${hi}]`);
  };
  if (start < 0) {
    check(0, end);
    return binaryToGoString(b.slice(0, end));
  }
  if (end < 0 || end > b.length) {
    check(start, b.length);
    return binaryToGoString(b.slice(start));
  }
  check(start, end);
  return binaryToGoString(b.slice(start, end));
}

function abbreviateFull(str: string, offset: number, maxWidth: number): string {
  if (str === '') return '';
  if (maxWidth < 4) return '';
  const b = goStringToBinary(str);
  if (b.length <= maxWidth) return str;
  if (offset > b.length) offset = b.length;
  if (b.length - offset < maxWidth - 3) offset = b.length - (maxWidth - 3);
  if (offset <= 4) return `${binaryToGoString(b.slice(0, maxWidth - 3))}...`;
  if (maxWidth < 7) return '';
  if (offset + maxWidth - 3 < b.length) return `...${abbreviateFull(binaryToGoString(b.slice(offset)), 0, maxWidth - 3)}`;
  return `...${binaryToGoString(b.slice(b.length - (maxWidth - 3)))}`;
}

/** goutils' byte-wise DeleteWhiteSpace (bytes ≥ 0x80 are re-encoded as Latin-1 code points, as Go does). */
function deleteWhiteSpace(s: string): string {
  const b = goStringToBytes(s);
  let out = '';
  let count = 0;
  for (const c of b) {
    if (!isSpaceCp(c)) {
      out += String.fromCharCode(c);
      count++;
    }
  }
  return count === b.length ? s : out;
}

function initials(s: string): string {
  if (s === '') return s;
  let out = '';
  let gap = true;
  for (const c of goStringToBytes(s)) {
    if (isSpaceCp(c)) gap = true;
    else if (gap) {
      out += String.fromCharCode(c);
      gap = false;
    }
  }
  return out;
}

function wrapCustom(str: string, wrapLength: number, newLine: string, wrapLong: boolean): string {
  if (str === '') return '';
  if (newLine === '') newLine = '\n';
  if (wrapLength < 1) wrapLength = 1;
  const s = goStringToBinary(str);
  const nl = goStringToBinary(newLine);
  const len = s.length;
  let offset = 0;
  let out = '';
  while (len - offset > wrapLength) {
    if (s[offset] === ' ') {
      offset++;
      continue;
    }
    const end = wrapLength + offset + 1;
    const spaceAt = s.slice(offset, end).lastIndexOf(' ') + offset;
    if (spaceAt >= offset) {
      out += s.slice(offset, spaceAt) + nl;
      offset = spaceAt + 1;
    } else if (wrapLong) {
      out += s.slice(offset, wrapLength + offset) + nl;
      offset += wrapLength;
    } else {
      const e = wrapLength + offset;
      const idx = s.slice(e).indexOf(' ');
      if (idx === -1) {
        out += s.slice(offset);
        offset = len;
      } else {
        out += s.slice(offset, idx + e) + nl;
        offset = idx + e + 1;
      }
    }
  }
  out += s.slice(offset);
  return binaryToGoString(out);
}

function randString(ctx: CallContext, count: number, kind: 'alnum' | 'alpha' | 'numeric' | 'ascii'): string {
  if (count <= 0) return '';
  ctx.checkSize(count, 'random string');
  const alphabet = kind === 'ascii' ? Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('')
    : kind === 'numeric' ? '0123456789'
      : kind === 'alpha' ? 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
        : '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  let out = '';
  while (out.length < count) {
    for (const b of ctx.randomBytes(count * 2)) {
      // rejection sampling keeps the distribution uniform
      if (b < 256 - (256 % alphabet.length)) out += alphabet[b % alphabet.length];
      if (out.length === count) break;
    }
  }
  return out;
}

function splitMap(parts: string[]): StringMap {
  const m = new StringMap();
  parts.forEach((p, i) => m.set(`_${i}`, p));
  return m;
}

const toStringFn: GoFunc = { params: ['any'], fn: (a) => strval(a[0]) };

export const stringFuncs: Record<string, GoFunc> = {
  abbrev: { params: ['int', 'string'], fn: (a) => (Number(a[0]) < 4 ? a[1] : abbreviateFull(a[1] as string, 0, Number(a[0]))) },
  abbrevboth: {
    params: ['int', 'int', 'string'],
    fn: (a) => {
      const l = Number(a[0]);
      const r = Number(a[1]);
      if (r < 4 || (l > 0 && r < 7)) return a[2];
      return abbreviateFull(a[2] as string, l, r);
    },
  },
  trunc: { params: ['int', 'string'], fn: (a) => trunc(Number(a[0]), a[1] as string) },
  trim: s1(trimSpace),
  upper: s1(toUpper),
  lower: s1(toLower),
  title: s1(title),
  untitle: s1(untitle),
  substr: { params: ['int', 'int', 'string'], fn: (a) => substring(Number(a[0]), Number(a[1]), a[2] as string) },
  repeat: {
    params: ['int', 'string'],
    fn: (a, ctx) => {
      const n = Number(a[0]);
      if (n < 0) throw new Error('strings: negative Repeat count');
      ctx.checkSize(n * goByteLength(a[1] as string), 'repeat result');
      return (a[1] as string).repeat(n);
    },
  },
  trimall: s2((a, b) => trimCutset(b, a, true, true)),
  trimAll: s2((a, b) => trimCutset(b, a, true, true)),
  trimSuffix: s2((a, b) => (a !== '' && b.endsWith(a) ? b.slice(0, b.length - a.length) : b)),
  trimPrefix: s2((a, b) => (b.startsWith(a) ? b.slice(a.length) : b)),
  nospace: s1(deleteWhiteSpace),
  initials: s1(initials),
  randAlphaNum: { params: ['int'], fn: (a, ctx) => randString(ctx, Number(a[0]), 'alnum') },
  randAlpha: { params: ['int'], fn: (a, ctx) => randString(ctx, Number(a[0]), 'alpha') },
  randAscii: { params: ['int'], fn: (a, ctx) => randString(ctx, Number(a[0]), 'ascii') },
  randNumeric: { params: ['int'], fn: (a, ctx) => randString(ctx, Number(a[0]), 'numeric') },
  swapcase: s1(swapCase),
  shuffle: {
    params: ['string'],
    fn: (a, ctx) => {
      const cps = [...(a[0] as string)];
      const r = ctx.randomBytes(cps.length * 4);
      for (let i = cps.length - 1; i > 0; i--) {
        const j = new DataView(r.buffer, r.byteOffset + i * 4, 4).getUint32(0) % (i + 1);
        [cps[i], cps[j]] = [cps[j]!, cps[i]!];
      }
      return cps.join('');
    },
  },
  snakecase: s1((s) => camelCaseToLowerCase(s, '_')),
  camelcase: s1(toCamelCase),
  kebabcase: s1((s) => camelCaseToLowerCase(s, '-')),
  wrap: { params: ['int', 'string'], fn: (a) => wrapCustom(a[1] as string, Number(a[0]), '', false) },
  wrapWith: { params: ['int', 'string', 'string'], fn: (a) => wrapCustom(a[2] as string, Number(a[0]), a[1] as string, true) },
  contains: s2((sub, s) => s.includes(sub)),
  hasPrefix: s2((p, s) => s.startsWith(p)),
  hasSuffix: s2((p, s) => s.endsWith(p)),
  quote: { params: [], variadic: 'any', fn: (a) => a.filter((x) => x !== null && x !== undefined).map((x) => goQuote(strval(x))).join(' ') },
  squote: { params: [], variadic: 'any', fn: (a) => a.filter((x) => x !== null && x !== undefined).map((x) => sprintf("'%v'", [x])).join(' ') },
  cat: {
    params: [], variadic: 'any',
    fn: (a) => {
      const v = a.filter((x) => x !== null && x !== undefined);
      return sprintf('%v '.repeat(v.length).trim(), v);
    },
  },
  indent: { params: ['int', 'string'], fn: (a, ctx) => indent(Number(a[0]), a[1] as string, ctx) },
  nindent: { params: ['int', 'string'], fn: (a, ctx) => `\n${indent(Number(a[0]), a[1] as string, ctx)}` },
  replace: { params: ['string', 'string', 'string'], fn: (a) => goReplace(a[2] as string, a[0] as string, a[1] as string) },
  plural: { params: ['string', 'string', 'int'], fn: (a) => (a[2] === 1n ? a[0] : a[1]) },
  toString: toStringFn,
  split: s2((sep, s) => splitMap(goSplit(s, sep))),
  splitList: s2((sep, s) => typedArray(goSplit(s, sep), 'string')),
  splitn: { params: ['string', 'int', 'string'], fn: (a) => splitMap(goSplit(a[2] as string, a[0] as string, Number(a[1]))) },
  toStrings: { params: ['any'], fn: (a) => strslice(a[0]) },
  join: { params: ['string', 'any'], fn: (a) => strslice(a[1]).join(a[0] as string) },
  b64enc: s1((s) => goStringToBytes(s).toString('base64')),
  b64dec: s1(b64decode),
  b32enc: s1(b32encode),
  b32dec: s1(b32decode),
};

function indent(spaces: number, v: string, ctx: CallContext): string {
  if (spaces < 0) throw new Error('strings: negative Repeat count');
  ctx.checkSize(spaces, 'indent');
  const pad = ' '.repeat(spaces);
  return pad + v.replaceAll('\n', `\n${pad}`);
}

/** strings.Replace(s, old, new, -1): an empty old inserts new at every UTF-8 sequence boundary. */
function goReplace(s: string, old: string, nw: string): string {
  if (old === '') return [...s].reduce((acc, ch) => acc + ch + nw, nw);
  return s.split(old).join(nw);
}
