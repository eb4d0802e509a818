// strconv.FormatFloat for the 'e', 'f' and 'g' formats, with Go's rounding (half to even on the
// exact binary value) and Go's shortest representation for precision -1.

interface Digits {
  d: string; // significant digits, no leading/trailing zeros ('' for zero)
  dp: number; // decimal point position: value = 0.d × 10^dp
}

/** The exact decimal expansion of a finite non-negative double. */
function exactDigits(x: number): Digits {
  if (x === 0) return { d: '', dp: 0 };
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const exp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (exp === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = exp - 1075;
  }
  let s: string;
  let dp: number;
  if (e >= 0) {
    s = (mant << BigInt(e)).toString();
    dp = s.length;
  } else {
    s = (mant * 5n ** BigInt(-e)).toString();
    dp = s.length - -e;
  }
  return trim({ d: s, dp });
}

function trim(x: Digits): Digits {
  let d = x.d;
  let dp = x.dp;
  let i = 0;
  while (i < d.length && d[i] === '0') i++;
  d = d.slice(i);
  dp -= i;
  d = d.replace(/0+$/, '');
  if (d === '') dp = 0;
  return { d, dp };
}

/** Round to nd significant digits, half to even (Go's decimal.Round). */
function roundDigits(x: Digits, nd: number): Digits {
  if (nd < 0 || nd >= x.d.length) return x;
  const next = x.d.charCodeAt(nd) - 48;
  let up: boolean;
  if (next > 5) up = true;
  else if (next < 5) up = false;
  else if (nd + 1 < x.d.length) up = true;
  else up = nd > 0 && (x.d.charCodeAt(nd - 1) - 48) % 2 === 1;
  let d = x.d.slice(0, nd);
  let dp = x.dp;
  if (up) {
    const arr = d.split('');
    let i = arr.length - 1;
    while (i >= 0 && arr[i] === '9') {
      arr[i] = '0';
      i--;
    }
    if (i < 0) {
      arr.unshift('1');
      arr.pop();
      dp++;
    } else arr[i] = String.fromCharCode(arr[i]!.charCodeAt(0) + 1);
    d = arr.join('');
  }
  return trim({ d, dp });
}

function shortestDigits(x: number): Digits {
  if (x === 0) return { d: '', dp: 0 };
  const [m, e] = x.toExponential().split('e') as [string, string];
  return trim({ d: m.replace('.', ''), dp: Number(e) + 1 });
}

function fmtE(neg: boolean, x: Digits, prec: number, upper: boolean): string {
  let s = neg ? '-' : '';
  s += x.d.length > 0 ? x.d[0] : '0';
  if (prec > 0) {
    s += '.';
    const rest = x.d.slice(1, 1 + prec);
    s += rest + '0'.repeat(prec - rest.length);
  }
  s += upper ? 'E' : 'e';
  let exp = x.d.length === 0 ? 0 : x.dp - 1;
  s += exp < 0 ? '-' : '+';
  exp = Math.abs(exp);
  s += exp < 10 ? `0${exp}` : String(exp);
  return s;
}

function fmtF(neg: boolean, x: Digits, prec: number): string {
  let s = neg ? '-' : '';
  if (x.dp > 0) {
    const intPart = x.d.slice(0, x.dp);
    s += intPart + '0'.repeat(x.dp - intPart.length);
  } else s += '0';
  if (prec > 0) {
    s += '.';
    for (let i = 0; i < prec; i++) {
      const j = x.dp + i;
      s += j < 0 || j >= x.d.length ? '0' : x.d[j];
    }
  }
  return s;
}

/** strconv.FormatFloat(x, fmt, prec, 64) for fmt in e E f g G. */
export function formatFloat(x: number, fmt: 'e' | 'E' | 'f' | 'g' | 'G', prec: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  const neg = x < 0 || Object.is(x, -0);
  const abs = Math.abs(x);
  const shortest = prec < 0;
  let digs: Digits;
  if (shortest) {
    digs = shortestDigits(abs);
    switch (fmt) {
      case 'e': case 'E': prec = Math.max(digs.d.length - 1, 0); break;
      case 'f': prec = Math.max(digs.d.length - digs.dp, 0); break;
      case 'g': case 'G': prec = digs.d.length; break;
    }
  } else {
    const exact = exactDigits(abs);
    switch (fmt) {
      case 'e': case 'E': digs = roundDigits(exact, prec + 1); break;
      case 'f': digs = roundDigits(exact, exact.dp + prec); break;
      default:
        if (prec === 0) prec = 1;
        digs = roundDigits(exact, prec);
    }
    if (fmt === 'f' && exact.dp + prec < 0) digs = { d: '', dp: 0 };
  }
  switch (fmt) {
    case 'e': case 'E': return fmtE(neg, digs, prec, fmt === 'E');
    case 'f': return fmtF(neg, digs, prec);
  }
  let eprec = prec;
  if (eprec > digs.d.length && digs.d.length >= digs.dp) eprec = digs.d.length;
  if (shortest) eprec = 6;
  const exp = digs.dp - 1;
  if (digs.d.length > 0 && (exp < -4 || exp >= eprec)) {
    if (prec > digs.d.length) prec = digs.d.length;
    return fmtE(neg, digs, prec - 1, fmt === 'G');
  }
  if (prec > digs.dp) prec = digs.d.length;
  return fmtF(neg, digs, Math.max(prec - digs.dp, 0));
}

/** encoding/json's float64 encoding. */
export function jsonFloat(f: number): string | undefined {
  if (!Number.isFinite(f)) return undefined;
  const abs = Math.abs(f);
  let fmt: 'e' | 'f' = 'f';
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) fmt = 'e';
  let s = formatFloat(f, fmt, -1);
  if (fmt === 'e') {
    const n = s.length;
    if (n >= 4 && s[n - 4] === 'e' && s[n - 3] === '-' && s[n - 2] === '0') s = s.slice(0, n - 2) + s.slice(n - 1);
  }
  return s;
}
