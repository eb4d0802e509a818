// Go's fmt package over the value model in ../value.ts: Sprint, Sprintln, Sprintf with
// flags, width, precision and the verbs v s q d x X o O b c U e E f F g G t T %.
import { GoNum, StringMap, bytesToGoString, elemType, goStringToBytes, goTypeName, isGoObject, type Value } from '../value.js';
import { formatFloat } from './float.js';
import { canBackquote, quote, quoteChar } from './quote.js';

interface Flags {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width: number | undefined;
  prec: number | undefined;
}

const noFlags: Flags = { plus: false, minus: false, sharp: false, space: false, zero: false, width: undefined, prec: undefined };

function runeCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

const MAX_WIDTH = 1 << 24;

function pad(s: string, f: Flags, zeroOk = true): string {
  if (f.width === undefined) return s;
  if (f.width > MAX_WIDTH) throw new Error('fmt: width too large');
  const n = f.width - runeCount(s);
  if (n <= 0) return s;
  if (f.minus) return s + ' '.repeat(n);
  if (f.zero && zeroOk) {
    // zero padding goes after a sign
    if (s[0] === '-' || s[0] === '+' || s[0] === ' ') return s[0] + '0'.repeat(n) + s.slice(1);
    return '0'.repeat(n) + s;
  }
  return ' '.repeat(n) + s;
}

function truncate(s: string, f: Flags): string {
  if (f.prec === undefined) return s;
  let out = '';
  let n = 0;
  for (const ch of s) {
    if (n++ >= f.prec) break;
    out += ch;
  }
  return out;
}

function fmtInteger(v: bigint, unsigned: boolean, verb: string, f: Flags): string {
  const neg = v < 0n;
  let abs = neg ? -v : v;
  if (unsigned && neg) abs = BigInt.asUintN(64, v);
  let digits: string;
  switch (verb) {
    case 'd': case 'v': digits = abs.toString(10); break;
    case 'b': digits = abs.toString(2); break;
    case 'o': case 'O': digits = abs.toString(8); break;
    case 'x': digits = abs.toString(16); break;
    case 'X': digits = abs.toString(16).toUpperCase(); break;
    default: digits = abs.toString(10);
  }
  if (f.prec !== undefined) {
    if (f.prec === 0 && abs === 0n) digits = '';
    else if (digits.length < f.prec) digits = '0'.repeat(f.prec - digits.length) + digits;
  }
  let prefix = '';
  if (f.sharp) {
    if (verb === 'x') prefix = '0x';
    else if (verb === 'X') prefix = '0X';
    else if (verb === 'b') prefix = '0b';
    else if (verb === 'o' && digits[0] !== '0') prefix = '0';
  }
  if (verb === 'O') prefix = '0o';
  const sign = neg && !(unsigned && neg) ? '-' : f.plus ? '+' : f.space ? ' ' : '';
  let body = prefix + digits;
  if (f.zero && !f.minus && f.width !== undefined && f.prec === undefined) {
    const n = f.width - sign.length - body.length;
    if (n > 0) body = prefix + '0'.repeat(n) + digits;
    return sign + body;
  }
  return pad(sign + body, { ...f, zero: false });
}

function fmtFloat(x: number, verb: string, f: Flags): string {
  let s: string;
  const prec = f.prec ?? -1;
  switch (verb) {
    case 'v': case 'g': s = formatFloat(x, 'g', prec); break;
    case 'G': s = formatFloat(x, 'G', prec); break;
    case 'e': s = formatFloat(x, 'e', f.prec ?? 6); break;
    case 'E': s = formatFloat(x, 'E', f.prec ?? 6); break;
    default: s = formatFloat(x, 'f', f.prec ?? 6);
  }
  if (f.sharp && verb !== 'b') {
    // keep trailing zeros / force a decimal point
    if (!s.includes('.') && Number.isFinite(x)) {
      const e = s.search(/[eE]/);
      s = e >= 0 ? `${s.slice(0, e)}.${s.slice(e)}` : `${s}.`;
    }
  }
  if (s === 'NaN' || s.endsWith('Inf')) {
    if (s === 'NaN') s = f.plus ? '+NaN' : f.space ? ' NaN' : 'NaN';
    else if (s === '+Inf' && !f.plus) s = f.space ? ' Inf' : '+Inf';
    return pad(s, f, false);
  }
  if (s[0] !== '-') s = f.plus ? `+${s}` : f.space ? ` ${s}` : s;
  if (f.zero && !f.minus && f.width !== undefined) {
    const sign = s[0] === '-' || s[0] === '+' || s[0] === ' ' ? s[0] : '';
    const body = s.slice(sign.length);
    const n = f.width - sign.length - body.length;
    return n > 0 ? sign + '0'.repeat(n) + body : s;
  }
  return pad(s, f);
}

function fmtString(s: string, verb: string, f: Flags): string | null {
  switch (verb) {
    case 'v': case 's': return pad(truncate(s, f), f);
    case 'q': {
      const t = truncate(s, f);
      if (f.sharp && canBackquote(t)) return pad(`\`${t}\``, f);
      return pad(quote(t, f.plus), f);
    }
    case 'x': case 'X': {
      let b = goStringToBytes(s);
      if (f.prec !== undefined) b = b.subarray(0, f.prec);
      return pad(hexBytes(b, verb === 'X', f), f);
    }
  }
  return null;
}

function hexBytes(b: Uint8Array, upper: boolean, f: Flags): string {
  const parts: string[] = [];
  for (const x of b) {
    let h = x.toString(16).padStart(2, '0');
    if (upper) h = h.toUpperCase();
    if (f.sharp && (f.space || parts.length === 0)) h = (upper ? '0X' : '0x') + h;
    parts.push(h);
  }
  return parts.join(f.space ? ' ' : '');
}

/** Go's %!verb(type=value): the value is printed with %v and the same flags, width and precision. */
function badVerb(v: Value, verb: string, f: Flags): string {
  if (v === undefined || v === null) return `%!${verb}(<nil>)`;
  return `%!${verb}(${goTypeName(v)}=${formatValue(v, 'v', f, 0)})`;
}

/** One operand formatted for one verb. */
export function formatValue(v: Value, verb: string, f: Flags, depth: number): string {
  if (verb === 'v' && (f.plus || f.sharp)) {
    // %+v only affects structs; %#v is Go syntax
    if (f.sharp) return pad(goSyntax(v), { ...f, sharp: false });
    f = { ...f, plus: false };
  }
  if (verb === 'T') return pad(truncate(v === undefined || v === null ? '<nil>' : goTypeName(v), f), f);
  if (v === undefined || v === null) {
    // a nil element inside a slice or map prints as <nil> whatever the verb
    return verb === 'v' || depth > 0 ? pad('<nil>', f) : badVerb(v, verb, f);
  }
  switch (typeof v) {
    case 'boolean':
      return verb === 'v' || verb === 't' ? pad(String(v), f) : badVerb(v, verb, f);
    case 'string':
      return fmtString(v, verb, f) ?? badVerb(v, verb, f);
    case 'bigint':
      return fmtIntVerb(v, false, verb, f) ?? badVerb(v, verb, f);
    case 'number':
      return fmtFloatVerb(v, verb, f) ?? badVerb(v, verb, f);
  }
  if (v instanceof GoNum) {
    if (v.isFloat()) return fmtFloatVerb(v.v as number, verb, f) ?? badVerb(v, verb, f);
    return fmtIntVerb(v.v as bigint, v.isUnsigned(), verb, f) ?? badVerb(v, verb, f);
  }
  if (isGoObject(v)) {
    if (verb === 'v' || verb === 's') return pad(truncate(v.format(), f), f);
    if (verb === 'q' || verb === 'x' || verb === 'X') return fmtString(v.format(), verb, f) ?? badVerb(v, verb, f);
    return badVerb(v, verb, f);
  }
  if (v instanceof Uint8Array) {
    if (verb === 's' || verb === 'q' || verb === 'x' || verb === 'X') return fmtString(bytesToGoString(v), verb, f) ?? badVerb(v, verb, f);
    return `[${[...v].map((b) => fmtIntVerb(BigInt(b), true, verb, f)).join(' ')}]`;
  }
  if (Array.isArray(v)) {
    if (f.sharp && verb === 'v') return goSyntax(v);
    return `[${v.map((e) => formatValue(e, verb, f, depth + 1)).join(' ')}]`;
  }
  if (v instanceof Map) {
    if (f.sharp && verb === 'v') return goSyntax(v);
    const keys = [...v.keys()].sort(compareGoStrings);
    return `map[${keys.map((k) => `${formatValue(k, verb, f, depth + 1)}:${formatValue(v.get(k), verb, f, depth + 1)}`).join(' ')}]`;
  }
  return badVerb(v, verb, f);
}

function fmtIntVerb(v: bigint, unsigned: boolean, verb: string, f: Flags): string | null {
  switch (verb) {
    case 'v': case 'd': case 'b': case 'o': case 'O': case 'x': case 'X':
      return fmtInteger(v, unsigned, verb, f);
    case 'c': return pad(String.fromCodePoint(validRune(v)), f);
    case 'q': return pad(quoteChar(validRune(v), f.plus), f);
    case 'U': {
      let s = `U+${(v < 0n ? BigInt.asUintN(64, v) : v).toString(16).toUpperCase().padStart(4, '0')}`;
      if (f.sharp && v >= 0n && v <= 0x10ffffn) s += ` '${String.fromCodePoint(Number(v))}'`;
      return pad(s, f);
    }
  }
  return null;
}

function validRune(v: bigint): number {
  if (v < 0n || v > 0x10ffffn) return 0xfffd;
  const n = Number(v);
  return n >= 0xd800 && n <= 0xdfff ? 0xfffd : n;
}

function fmtFloatVerb(x: number, verb: string, f: Flags): string | null {
  switch (verb) {
    case 'v': case 'e': case 'E': case 'f': case 'F': case 'g': case 'G':
      return fmtFloat(x, verb === 'F' ? 'f' : verb, f);
    case 'x': case 'X': {
      let s = hexFloat(x);
      if (verb === 'X') s = s.toUpperCase();
      if (s[0] !== '-') s = f.plus ? `+${s}` : f.space ? ` ${s}` : s;
      return pad(s, f);
    }
  }
  return null;
}

/** strconv.FormatFloat(x, 'x', -1, 64): -0x1.8p+01 */
function hexFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  const neg = x < 0 || Object.is(x, -0);
  const a = Math.abs(x);
  if (a === 0) return `${neg ? '-' : ''}0x0p+00`;
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, a);
  let exp = (dv.getUint16(0) >> 4) & 0x7ff;
  let mant = dv.getBigUint64(0) & ((1n << 52n) - 1n);
  if (exp === 0) {
    // subnormal: normalise
    exp = 1;
    while ((mant & (1n << 52n)) === 0n) {
      mant <<= 1n;
      exp--;
    }
    mant &= (1n << 52n) - 1n;
  }
  const e = exp - 1023;
  const frac = mant.toString(16).padStart(13, '0').replace(/0+$/, '');
  const es = Math.abs(e) < 10 ? `0${Math.abs(e)}` : String(Math.abs(e));
  return `${neg ? '-' : ''}0x1${frac ? `.${frac}` : ''}p${e < 0 ? '-' : '+'}${es}`;
}

function goSyntax(v: Value): string {
  if (typeof v === 'string') return quote(v);
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[]${elemType(v)}{${v.map(goSyntax).join(', ')}}`;
  if (v instanceof Map) {
    const keys = [...v.keys()].sort(compareGoStrings);
    const t = v instanceof StringMap ? 'map[string]string' : 'map[string]interface {}';
    return `${t}{${keys.map((k) => `${quote(k)}:${goSyntax(v.get(k))}`).join(', ')}}`;
  }
  if (typeof v === 'number') return formatFloat(v, 'g', -1);
  return formatValue(v, 'v', noFlags, 1);
}

/** Go compares strings bytewise (UTF-8); for BMP text code-unit order differs only around surrogates. */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  return Buffer.compare(goStringToBytes(a), goStringToBytes(b));
}

/** fmt.Sprint: spaces between operands when neither side is a string. */
export function sprint(args: Value[]): string {
  let out = '';
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += formatValue(a, 'v', noFlags, 0);
  }
  return out;
}

export function sprintln(args: Value[]): string {
  return `${args.map((a) => formatValue(a, 'v', noFlags, 0)).join(' ')}\n`;
}

export function sprintf(format: string, args: Value[]): string {
  let out = '';
  let argi = 0;
  let reordered = false;
  const n = format.length;
  let i = 0;
  while (i < n) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const f: Flags = { ...noFlags };
    flags: for (; i < n; i++) {
      switch (format[i]) {
        case '#': f.sharp = true; break;
        case '0': f.zero = !f.minus; break;
        case '+': f.plus = true; break;
        case '-': f.minus = true; f.zero = false; break;
        case ' ': f.space = true; break;
        default: break flags;
      }
    }
    // argument index [n]
    const argIndex = (): boolean => {
      if (format[i] !== '[') return true;
      reordered = true;
      const close = format.indexOf(']', i);
      const num = close > 0 ? Number(format.slice(i + 1, close)) : NaN;
      if (close < 0 || !Number.isInteger(num) || num < 1 || num > args.length) {
        i = close < 0 ? n : close + 1;
        return false;
      }
      argi = num - 1;
      i = close + 1;
      return true;
    };
    let goodArgNum = argIndex();
    if (format[i] === '*') {
      i++;
      const w = argi < args.length ? toInt(args[argi++]) : undefined;
      if (w === undefined) out += '%!(BADWIDTH)';
      else {
        f.width = Math.abs(w);
        if (w < 0) {
          f.minus = true;
          f.zero = false;
        }
      }
    } else {
      const start = i;
      while (i < n && format[i]! >= '0' && format[i]! <= '9') i++;
      if (i > start) f.width = Number(format.slice(start, i));
    }
    if (format[i] === '.') {
      i++;
      goodArgNum = argIndex() && goodArgNum;
      if (format[i] === '*') {
        i++;
        const p = argi < args.length ? toInt(args[argi++]) : undefined;
        if (p === undefined || p < 0) out += '%!(BADPREC)';
        else f.prec = p;
      } else {
        const start = i;
        while (i < n && format[i]! >= '0' && format[i]! <= '9') i++;
        f.prec = Number(format.slice(start, i) || '0');
      }
    }
    if ((f.width ?? 0) > MAX_WIDTH || (f.prec ?? 0) > MAX_WIDTH) throw new Error('fmt: width or precision too large');
    if (!reordered || goodArgNum) goodArgNum = argIndex() && goodArgNum;
    if (i >= n) {
      out += '%!(NOVERB)';
      break;
    }
    const cp = format.codePointAt(i)!;
    const verb = String.fromCodePoint(cp);
    i += verb.length;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (!goodArgNum) out += `%!${verb}(BADINDEX)`;
    else if (argi >= args.length) out += `%!${verb}(MISSING)`;
    else out += formatValue(args[argi++], verb, f, 0);
  }
  if (!reordered && argi < args.length) {
    out += `%!(EXTRA ${args.slice(argi).map((a) => (a === undefined || a === null ? '<nil>' : `${goTypeName(a)}=${formatValue(a, 'v', noFlags, 0)}`)).join(', ')})`;
  }
  return out;
}

function toInt(v: Value): number | undefined {
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof GoNum && !v.isFloat()) return Number(v.v);
  return undefined;
}
