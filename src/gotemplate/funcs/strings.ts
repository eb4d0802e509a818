// Sprig's string functions.
import { sprintf } from '../fmt/print.js';
import { quote as goQuote } from '../fmt/quote.js';
import { binaryToGoString, goByteLength, goStringToBinary, goStringToBytes, bytesToGoString, StringMap, typedArray, type CallContext, type GoFunc, type Value } from '../value.js';
import {
  goSplit, isLetter, isLower, isNumber, isPunct, isSpaceCp, isUpper, strval, title, toLower, toLowerCp, toUpper, toUpperCp, trimCutset, trimSpace,
} from './gostrings.js';
import { strslice } from './lists.js';

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

function swapCase(s: string): string {
  let out = '';
  for (const ch of s) out += isUpper(ch) ? toLowerCp(ch) : isLower(ch) ? toUpperCp(ch) : ch;
  return out;
}

function untitle(s: string): string {
  let next = true;
  let out = '';
  for (const ch of s) {
    if (isSpaceCp(ch.codePointAt(0)!)) {
      next = true;
      out += ch;
    } else if (next) {
      out += toLowerCp(ch);
      next = false;
    } else out += ch;
  }
  return out;
}

// ---- huandu/xstrings case conversions ----
const isConnector = (ch: string) => ch === '-' || ch === '_' || isSpaceCp(ch.codePointAt(0)!);
const isAlphabet = (ch: string) => isLetter(ch);

export function toCamelCase(str: string): string {
  if (str === '') return '';
  const cps = [...str];
  let out = '';
  let i = 0;
  let r0 = '';
  for (; i < cps.length; ) {
    r0 = cps[i++]!;
    if (!isConnector(r0)) {
      r0 = toUpperCp(r0);
      break;
    }
    out += r0;
  }
  if (i >= cps.length) return out + r0;
  let r1: string;
  while (i < cps.length) {
    r1 = r0;
    r0 = cps[i++]!;
    if (isConnector(r0) && isConnector(r1)) {
      out += r1;
      continue;
    }
    if (isConnector(r1)) r0 = toUpperCp(r0);
    else {
      r0 = toLowerCp(r0);
      out += r1;
    }
  }
  return out + r0;
}

type WordType = 'invalid' | 'number' | 'upper' | 'alphabet' | 'connector' | 'punct' | 'other';

function nextWord(cps: string[], at: number): [WordType, number] {
  // returns type and end index of the word starting at `at`
  if (at >= cps.length) return ['invalid', at];
  const r = cps[at]!;
  let i = at + 1;
  const n = cps.length;
  if (isConnector(r)) {
    while (i < n && isConnector(cps[i]!)) i++;
    return ['connector', i];
  }
  if (isPunct(r)) {
    while (i < n && isPunct(cps[i]!)) i++;
    return ['punct', i];
  }
  if (isUpper(r)) {
    if (i >= n) return ['upper', i];
    const c = cps[i]!;
    if (isUpper(c)) {
      while (i < n && isUpper(cps[i]!)) i++;
      if (i < n && isAlphabet(cps[i]!)) i--;
    } else if (isAlphabet(c)) {
      while (i < n && isAlphabet(cps[i]!) && !isUpper(cps[i]!)) i++;
    }
    return ['upper', i];
  }
  if (isAlphabet(r)) {
    while (i < n && isAlphabet(cps[i]!) && !isUpper(cps[i]!)) i++;
    return ['alphabet', i];
  }
  if (isNumber(r)) {
    while (i < n && isNumber(cps[i]!)) i++;
    return ['number', i];
  }
  while (i < n && !isConnector(cps[i]!) && !isAlphabet(cps[i]!) && !isNumber(cps[i]!) && !isPunct(cps[i]!)) i++;
  return ['other', i];
}

function camelCaseToLowerCase(str: string, connector: string): string {
  if (str === '') return '';
  const cps = [...str];
  let out = '';
  let pos = 0;
  const take = (): [WordType, string[]] => {
    const [t, end] = nextWord(cps, pos);
    const w = cps.slice(pos, end);
    pos = end;
    return [t, w];
  };
  const lower = (wt: WordType, w: string[]) => {
    if (wt !== 'upper' && wt !== 'connector') {
      out += w.join('');
      return;
    }
    for (const r of w) out += isConnector(r) ? connector : isUpper(r) ? toLowerCp(r) : r;
  };
  let [wt, word] = take();
  while (pos < cps.length) {
    if (wt !== 'connector') lower(wt, word);
    const prev = wt;
    const last = word;
    [wt, word] = take();
    switch (prev) {
      case 'number':
        while (wt === 'alphabet' || wt === 'number') {
          lower(wt, word);
          [wt, word] = take();
        }
        if (wt !== 'invalid' && wt !== 'punct' && wt !== 'connector') out += connector;
        break;
      case 'connector':
        lower(prev, last);
        break;
      case 'punct':
        break;
      default: {
        if (wt !== 'number') {
          if (wt !== 'connector' && wt !== 'punct') out += connector;
          break;
        }
        if (pos >= cps.length) break;
        const last2 = word;
        [wt, word] = take();
        if (wt !== 'alphabet') {
          lower('number', last2);
          if (wt !== 'connector' && wt !== 'punct') out += connector;
          break;
        }
        out += connector;
        lower('number', last2);
        while (wt === 'alphabet' || wt === 'number') {
          lower(wt, word);
          [wt, word] = take();
        }
        if (wt !== 'invalid' && wt !== 'connector' && wt !== 'punct') out += connector;
      }
    }
  }
  lower(wt, word);
  return out;
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

function b64decode(s: string): string {
  const bin = goStringToBinary(s);
  if (bin.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(bin)) {
    const bad = firstBadBase64(bin, 'A-Za-z0-9+/', 4);
    return `illegal base64 data at input byte ${bad}`;
  }
  return bytesToGoString(Buffer.from(bin, 'base64'));
}

function firstBadBase64(s: string, alphabet: string, block: number): number {
  const re = new RegExp(`[^${alphabet}]`);
  const m = re.exec(s.replace(/=+$/, (p) => '\0'.repeat(p.length)));
  if (m) {
    // padding in the right place is fine; Go reports the position where decoding failed
    let i = m.index;
    const padStart = s.search(/=+$/);
    if (padStart >= 0 && i >= padStart) {
      const groupStart = padStart - (padStart % block);
      if (s.length % block !== 0) return s.length - (s.length % block) >= padStart ? padStart : groupStart;
      i = padStart;
    }
    return i;
  }
  return s.length - (s.length % block);
}

function b32decode(s: string): string {
  const bin = goStringToBinary(s);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  if (bin.length % 8 !== 0 || !/^[A-Z2-7]*=*$/.test(bin)) return `illegal base64 data at input byte ${firstBadBase64(bin, 'A-Z2-7', 8)}`.replace('base64', 'base32');
  const body = bin.replace(/=+$/, '');
  const pad = bin.length - body.length;
  if (![0, 1, 3, 4, 6].includes(pad)) return `illegal base32 data at input byte ${body.length}`;
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const c of body) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return bytesToGoString(Uint8Array.from(out));
}

function b32encode(s: string): string {
  const b = goStringToBytes(s);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let out = '';
  let bits = 0;
  let value = 0;
  for (const x of b) {
    value = (value << 8) | x;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  while (out.length % 8 !== 0) out += '=';
  return out;
}

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
  toString: { params: ['any'], fn: (a) => strval(a[0]) },
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
