// Sprig's date functions.
import { GoNum, type GoFunc, type Value, type CallContext } from '../value.js';
import { GoTime, UTC, durationString, loadLocation, localLocation, parseDuration, parseTime, formatTime } from './time-value.js';

function asTime(date: Value, ctx: CallContext): GoTime {
  if (date instanceof GoTime) return date;
  if (typeof date === 'bigint') return GoTime.unix(date);
  if (date instanceof GoNum && (date.kind === 'int64' || date.kind === 'int32')) return GoTime.unix(date.v as bigint);
  return GoTime.now(ctx.now());
}

function formatDate(fmt: string, date: Value, zone: string, ctx: CallContext): string {
  const t = asTime(date, ctx);
  const loc = loadLocation(zone) ?? UTC;
  return formatTime(t.in(loc), fmt);
}

function toDate(fmt: string, s: string): GoTime {
  return parseTime(fmt, s, localLocation());
}

function durationOf(v: Value): bigint {
  if (v instanceof GoNum && v.kind === 'int64') return v.v as bigint;
  if (typeof v !== 'string') return 0n;
  const s = v;
  if (!/^[+-]?\d+$/.test(s)) return 0n;
  const n = BigInt(s);
  return n >= -(2n ** 63n) && n < 2n ** 63n ? n : 0n;
}

function durationRound(v: Value, ctx: CallContext): string {
  let d: bigint;
  if (typeof v === 'string') {
    try {
      d = parseDuration(v);
    } catch {
      d = 0n;
    }
  } else if (v instanceof GoTime) d = GoTime.now(ctx.now()).nanosSince(v);
  else if (v instanceof GoNum && v.kind === 'int64') d = v.v as bigint;
  else d = 0n;
  const u = d < 0n ? -d : d;
  const neg = d < 0n;
  const year = 31536000000000000n;
  const month = 2592000000000000n;
  const day = 86400000000000n;
  const hour = 3600000000000n;
  const minute = 60000000000n;
  const second = 1000000000n;
  const p = '';
  void neg;
  if (u > year) return `${p}${u / year}y`;
  if (u > month) return `${p}${u / month}mo`;
  if (u > day) return `${p}${u / day}d`;
  if (u > hour) return `${p}${u / hour}h`;
  if (u > minute) return `${p}${u / minute}m`;
  if (u > second) return `${p}${u / second}s`;
  return '0s';
}

function ago(v: Value, ctx: CallContext): string {
  const t = asTime(v, ctx);
  let d = GoTime.now(ctx.now()).nanosSince(t);
  // Round(time.Second), halfway away from zero
  const s = 1_000_000_000n;
  const r = ((d % s) + s) % s;
  d = d - r + (r * 2n >= s ? s : 0n);
  return durationString(d);
}

function dateModify(fmt: string, t: GoTime): GoTime {
  try {
    return t.add(parseDuration(fmt));
  } catch {
    return t;
  }
}

export const dateFuncs: Record<string, GoFunc> = {
  ago: { params: ['any'], fn: (a, ctx) => ago(a[0], ctx) },
  date: { params: ['string', 'any'], fn: (a, ctx) => formatDate(a[0] as string, a[1], 'Local', ctx) },
  date_in_zone: { params: ['string', 'any', 'string'], fn: (a, ctx) => formatDate(a[0] as string, a[1], a[2] as string, ctx) },
  dateInZone: { params: ['string', 'any', 'string'], fn: (a, ctx) => formatDate(a[0] as string, a[1], a[2] as string, ctx) },
  date_modify: { params: ['string', 'time'], fn: (a) => dateModify(a[0] as string, a[1] as GoTime) },
  dateModify: { params: ['string', 'time'], fn: (a) => dateModify(a[0] as string, a[1] as GoTime) },
  must_date_modify: { params: ['string', 'time'], fn: (a) => (a[1] as GoTime).add(parseDuration(a[0] as string)) },
  mustDateModify: { params: ['string', 'time'], fn: (a) => (a[1] as GoTime).add(parseDuration(a[0] as string)) },
  duration: { params: ['any'], fn: (a) => durationString(BigInt.asIntN(64, durationOf(a[0]) * 1_000_000_000n)) },
  durationRound: { params: ['any'], fn: (a, ctx) => durationRound(a[0], ctx) },
  htmlDate: { params: ['any'], fn: (a, ctx) => formatDate('2006-01-02', a[0], 'Local', ctx) },
  htmlDateInZone: { params: ['any', 'string'], fn: (a, ctx) => formatDate('2006-01-02', a[0], a[1] as string, ctx) },
  mustToDate: { params: ['string', 'string'], fn: (a) => toDate(a[0] as string, a[1] as string) },
  toDate: {
    params: ['string', 'string'],
    fn: (a) => {
      try {
        return toDate(a[0] as string, a[1] as string);
      } catch {
        return GoTime.zero();
      }
    },
  },
  now: { params: [], fn: (_a, ctx) => GoTime.now(ctx.now()) },
  unixEpoch: { params: ['time'], fn: (a) => String((a[0] as GoTime).unixSeconds()) },
};
