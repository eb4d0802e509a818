// Sprig's math functions with spf13/cast conversions and shopspring/decimal for the *f variants.
import { sprint } from '../fmt/print.js';
import { parseGoFloat, parseGoInt } from '../parser.js';
import { GoNum, int64, typedArray, type GoFunc, type Value } from '../value.js';
import { GoTime } from './time-value.js';

const MIN_INT64 = -(2n ** 63n);

function floatToInt64(f: number): bigint {
  if (!Number.isFinite(f) || f >= 2 ** 63 || f < -(2 ** 63)) return MIN_INT64;
  return BigInt(Math.trunc(f));
}

function trimZeroDecimal(s: string): string {
  let foundZero = false;
  for (let i = s.length; i > 0; i--) {
    const c = s[i - 1];
    if (c === '.') {
      if (foundZero) return s.slice(0, i - 1);
    } else if (c === '0') foundZero = true;
    else return s;
  }
  return s;
}

/** cast.ToInt64 (errors become 0). */
export function toInt64(v: Value): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return floatToInt64(v);
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (v instanceof GoNum) return v.isFloat() ? floatToInt64(v.v as number) : BigInt.asIntN(64, v.v as bigint);
  if (typeof v === 'string') {
    const i = parseGoInt(trimZeroDecimal(v));
    return i !== undefined && i >= MIN_INT64 && i < 2n ** 63n ? i : 0n;
  }
  return 0n;
}

/** cast.ToFloat64 (errors become 0). */
export function toFloat64(v: Value): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof GoNum) return Number(v.v);
  if (typeof v === 'string') {
    const low = v.toLowerCase().replace(/^[+]/, '');
    if (['inf', 'infinity'].includes(low)) return Infinity;
    if (['-inf', '-infinity'].includes(low)) return -Infinity;
    if (low === 'nan') return NaN;
    const f = parseGoFloat(v);
    return f === undefined || !Number.isFinite(f) ? 0 : f;
  }
  return 0;
}

// ---- exact decimals for addf/subf/mulf/divf ----
interface Dec { m: bigint; e: number } // m × 10^e

function decFromFloat(f: number): Dec {
  if (f === 0 || !Number.isFinite(f)) return { m: 0n, e: 0 };
  const [mant, exp] = f.toExponential().split('e') as [string, string];
  const digits = mant.replace('.', '').replace('-', '');
  const frac = mant.includes('.') ? mant.split('.')[1]!.length : 0;
  const m = BigInt(digits) * (f < 0 ? -1n : 1n);
  return { m, e: Number(exp) - frac };
}

function align(a: Dec, b: Dec): [bigint, bigint, number] {
  const e = Math.min(a.e, b.e);
  return [a.m * 10n ** BigInt(a.e - e), b.m * 10n ** BigInt(b.e - e), e];
}

function decToFloat(d: Dec): number {
  return Number(`${d.m}e${d.e}`);
}

const decOps = {
  add: (a: Dec, b: Dec): Dec => {
    const [x, y, e] = align(a, b);
    return { m: x + y, e };
  },
  sub: (a: Dec, b: Dec): Dec => {
    const [x, y, e] = align(a, b);
    return { m: x - y, e };
  },
  mul: (a: Dec, b: Dec): Dec => ({ m: a.m * b.m, e: a.e + b.e }),
  div: (a: Dec, b: Dec): Dec => {
    if (b.m === 0n) throw new Error('decimal division by 0');
    // DivRound to 16 places, half away from zero
    const scale = 16;
    // a/b = (a.m/b.m) × 10^(a.e-b.e); want q × 10^-scale
    const shift = a.e - b.e + scale;
    let num = a.m;
    let den = b.m;
    if (shift >= 0) num *= 10n ** BigInt(shift);
    else den *= 10n ** BigInt(-shift);
    const neg = (num < 0n) !== (den < 0n);
    const an = num < 0n ? -num : num;
    const ad = den < 0n ? -den : den;
    let q = an / ad;
    if ((an % ad) * 2n >= ad) q += 1n;
    return { m: neg ? -q : q, e: -scale };
  },
};

function decimalOp(a: Value, rest: Value[], op: keyof typeof decOps): number {
  let acc = decFromFloat(toFloat64(a));
  for (const x of rest) acc = decOps[op](acc, decFromFloat(toFloat64(x)));
  return decToFloat(acc);
}

function untilStep(start: bigint, stop: bigint, step: bigint, limit: number): bigint[] {
  const v: bigint[] = [];
  const push = (i: bigint) => {
    if (v.length >= limit) throw new Error(`sequence longer than the limit of ${limit} elements`);
    v.push(i);
  };
  if (stop < start) {
    if (step >= 0n) return v;
    for (let i = start; i > stop; i += step) push(i);
    return v;
  }
  if (step <= 0n) return v;
  for (let i = start; i < stop; i += step) push(i);
  return v;
}

function seq(p: bigint[], limit: number): string {
  let inc = 1n;
  let r: bigint[];
  switch (p.length) {
    case 1: {
      const end = p[0]!;
      if (end < 1n) inc = -1n;
      r = untilStep(1n, end + inc, inc, limit);
      break;
    }
    case 2: {
      const [start, end] = p as [bigint, bigint];
      const step = end < start ? -1n : 1n;
      r = untilStep(start, end + step, step, limit);
      break;
    }
    case 3: {
      const [start, step, end] = p as [bigint, bigint, bigint];
      if (end < start) {
        inc = -1n;
        if (step > 0n) return '';
      }
      r = untilStep(start, end + inc, step, limit);
      break;
    }
    default:
      return '';
  }
  return r.join(' ');
}

function goRound(a: Value, p: bigint, rOpt: Value[]): number {
  const roundOn = rOpt.length > 0 ? (rOpt[0] as number) : 0.5;
  const val = toFloat64(a);
  const pow = 10 ** Number(p);
  const digit = pow * val;
  const div = digit - Math.trunc(digit);
  const r = div >= roundOn ? Math.ceil(digit) : Math.floor(digit);
  return r / pow;
}

const i64 = (v: bigint) => int64(v);

export const numberFuncs: Record<string, GoFunc> = {
  atoi: {
    params: ['string'],
    fn: (a) => {
      const s = a[0] as string;
      if (!/^[+-]?\d+$/.test(s)) return 0n;
      const v = BigInt(s);
      return v >= MIN_INT64 && v < 2n ** 63n ? v : 0n;
    },
  },
  int64: { params: ['any'], fn: (a) => i64(toInt64(a[0])) },
  int: { params: ['any'], fn: (a) => toInt64(a[0]) },
  float64: { params: ['any'], fn: (a) => toFloat64(a[0]) },
  toDecimal: {
    params: ['any'],
    fn: (a) => {
      const s = sprint([a[0] === undefined ? null : a[0]]);
      if (!/^[+-]?[0-7]+$/.test(s)) return i64(0n);
      const v = BigInt(s.replace(/^([+-]?)/, '$10o'));
      return i64(v >= MIN_INT64 && v < 2n ** 63n ? v : 0n);
    },
  },
  seq: { params: [], variadic: 'int', fn: (a, ctx) => seq(a as bigint[], maxElems(ctx)) },
  until: {
    params: ['int'],
    fn: (a, ctx) => {
      const n = a[0] as bigint;
      return typedArray(untilStep(0n, n, n < 0n ? -1n : 1n, maxElems(ctx)), 'int');
    },
  },
  untilStep: { params: ['int', 'int', 'int'], fn: (a, ctx) => typedArray(untilStep(a[0] as bigint, a[1] as bigint, a[2] as bigint, maxElems(ctx)), 'int') },
  add1: { params: ['any'], fn: (a) => i64(toInt64(a[0]) + 1n) },
  add: { params: [], variadic: 'any', fn: (a) => i64(a.reduce<bigint>((s, x) => BigInt.asIntN(64, s + toInt64(x)), 0n)) },
  sub: { params: ['any', 'any'], fn: (a) => i64(toInt64(a[0]) - toInt64(a[1])) },
  div: {
    params: ['any', 'any'],
    fn: (a) => {
      const d = toInt64(a[1]);
      if (d === 0n) throw new Error('runtime error: integer divide by zero');
      return i64(toInt64(a[0]) / d);
    },
  },
  mod: {
    params: ['any', 'any'],
    fn: (a) => {
      const d = toInt64(a[1]);
      if (d === 0n) throw new Error('runtime error: integer divide by zero');
      return i64(toInt64(a[0]) % d);
    },
  },
  mul: { params: ['any'], variadic: 'any', fn: (a) => i64(a.slice(1).reduce<bigint>((s, x) => BigInt.asIntN(64, s * toInt64(x)), toInt64(a[0]))) },
  randInt: {
    params: ['int', 'int'],
    fn: (a, ctx) => {
      const min = a[0] as bigint;
      const max = a[1] as bigint;
      if (max - min <= 0n) throw new Error('invalid argument to Intn');
      const r = ctx.randomBytes(8);
      const x = new DataView(r.buffer, r.byteOffset, 8).getBigUint64(0);
      return (x % (max - min)) + min;
    },
  },
  add1f: { params: ['any'], fn: (a) => decimalOp(a[0], [1n], 'add') },
  addf: { params: [], variadic: 'any', fn: (a) => decimalOp(0, a, 'add') },
  subf: { params: ['any'], variadic: 'any', fn: (a) => decimalOp(a[0], a.slice(1), 'sub') },
  divf: { params: ['any'], variadic: 'any', fn: (a) => decimalOp(a[0], a.slice(1), 'div') },
  mulf: { params: ['any'], variadic: 'any', fn: (a) => decimalOp(a[0], a.slice(1), 'mul') },
  biggest: { params: ['any'], variadic: 'any', fn: (a) => i64(a.map(toInt64).reduce((m, x) => (x > m ? x : m))) },
  max: { params: ['any'], variadic: 'any', fn: (a) => i64(a.map(toInt64).reduce((m, x) => (x > m ? x : m))) },
  min: { params: ['any'], variadic: 'any', fn: (a) => i64(a.map(toInt64).reduce((m, x) => (x < m ? x : m))) },
  maxf: { params: ['any'], variadic: 'any', fn: (a) => a.map(toFloat64).reduce((m, x) => goMax(m, x)) },
  minf: { params: ['any'], variadic: 'any', fn: (a) => a.map(toFloat64).reduce((m, x) => goMin(m, x)) },
  ceil: { params: ['any'], fn: (a) => Math.ceil(toFloat64(a[0])) },
  floor: { params: ['any'], fn: (a) => Math.floor(toFloat64(a[0])) },
  round: { params: ['any', 'int'], variadic: 'float64', fn: (a) => goRound(a[0], a[1] as bigint, a.slice(2)) },
};

function goMax(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  return Math.max(a, b);
}
function goMin(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  return Math.min(a, b);
}

/** The output budget also bounds sequence lengths. */
function maxElems(ctx: { maxOutputBytes: number }): number {
  return ctx.maxOutputBytes;
}

export { GoTime };
