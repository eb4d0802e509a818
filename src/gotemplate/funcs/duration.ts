// time.Duration's String and time.ParseDuration.

/** time.Duration.String(). */
export function durationString(d: bigint): string {
  if (d === 0n) return '0s';
  const neg = d < 0n;
  let u = neg ? -d : d;
  let out: string;
  if (u < 1_000_000_000n) {
    let prec: number;
    let unit: string;
    if (u < 1000n) return `${neg ? '-' : ''}${u}ns`;
    if (u < 1_000_000n) { prec = 3; unit = 'µs'; } else { prec = 6; unit = 'ms'; }
    out = fracString(u, prec) + unit;
  } else {
    const secs = u / 1_000_000_000n;
    const frac = u % 1_000_000_000n;
    let s = fracString(frac + (secs % 60n) * 1_000_000_000n, 9) + 's';
    u = secs / 60n;
    if (u > 0n) {
      s = `${u % 60n}m${s}`;
      u /= 60n;
      if (u > 0n) s = `${u}h${s}`;
    }
    out = s;
  }
  return (neg ? '-' : '') + out;
}

function fracString(v: bigint, prec: number): string {
  const p = 10n ** BigInt(prec);
  const int = v / p;
  const frac = (v % p).toString().padStart(prec, '0').replace(/0+$/, '');
  return frac ? `${int}.${frac}` : `${int}`;
}

/** time.ParseDuration. */
export function parseDuration(s: string): bigint {
  const orig = s;
  let neg = false;
  if (s[0] === '-' || s[0] === '+') {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') throw new Error(`time: invalid duration "${orig}"`);
  const units: Record<string, bigint> = { ns: 1n, us: 1000n, 'µs': 1000n, 'μs': 1000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n };
  let total = 0n;
  const re = /^(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/;
  while (s !== '') {
    const m = re.exec(s);
    if (!m || (m[1] === '' && (m[2] ?? '') === '')) throw new Error(`time: invalid duration "${orig}"`);
    const unit = units[m[3]!]!;
    total += BigInt(m[1] || '0') * unit;
    if (m[2]) total += (BigInt(m[2]) * unit) / 10n ** BigInt(m[2].length);
    s = s.slice(m[0].length);
  }
  return neg ? -total : total;
}
