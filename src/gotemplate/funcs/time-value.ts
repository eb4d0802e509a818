// Go's time.Time (instant + location) with Format, Parse and String, and time.Duration's String.
import { readFileSync } from 'node:fs';
import { GoNum, type GoFunc, type GoObject } from '../value.js';
import { formatTime } from './time-format.js';

const tzAbbrevCache = new Map<string, Map<number, string> | null>();

/** Zone abbreviations by UTC offset from the system tz database (what Go prints for MST). */
function tzAbbrevs(zone: string | undefined): Map<number, string> | null {
  const file = zone === undefined ? '/etc/localtime' : `/usr/share/zoneinfo/${zone}`;
  if (tzAbbrevCache.has(file)) return tzAbbrevCache.get(file)!;
  let out: Map<number, string> | null = null;
  try {
    if (zone !== undefined && (zone.includes('..') || zone.startsWith('/'))) throw new Error('bad zone');
    const b = readFileSync(file);
    if (b.subarray(0, 4).toString('latin1') === 'TZif') {
      const v1 = (i: number) => b.readUInt32BE(20 + i * 4);
      const [isut, isstd, leap, timecnt, typecnt, charcnt] = [v1(0), v1(1), v1(2), v1(3), v1(4), v1(5)];
      let at = 44;
      let size = 4;
      if (b[4]! >= 0x32) {
        // skip the v1 block; the v2 block has the same layout with 8-byte times
        at += timecnt * 4 + timecnt + typecnt * 6 + charcnt + leap * 8 + isstd + isut + 44;
        size = 8;
      }
      const h = (i: number) => b.readUInt32BE(at - 24 + i * 4);
      const tc = size === 8 ? h(3) : timecnt;
      const ty = size === 8 ? h(4) : typecnt;
      const typesAt = at + tc * size + tc;
      const charsAt = typesAt + ty * 6;
      out = new Map();
      for (let i = 0; i < ty; i++) {
        const off = b.readInt32BE(typesAt + i * 6);
        const idx = b[typesAt + i * 6 + 5]!;
        const end = b.indexOf(0, charsAt + idx);
        out.set(off, b.subarray(charsAt + idx, end).toString('latin1'));
      }
    }
  } catch {
    out = null;
  }
  tzAbbrevCache.set(file, out);
  return out;
}

export interface Location {
  name: string;
  /** Offset east of UTC in seconds and the zone abbreviation at an instant. */
  at(ms: number): { offset: number; abbrev: string };
}

export const UTC: Location = { name: 'UTC', at: () => ({ offset: 0, abbrev: 'UTC' }) };

function intlLocation(name: string, zone: string | undefined): Location {
  const fmtShort = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'short', hour12: false });
  const fmtParts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', era: 'short',
  });
  return {
    name,
    at(ms: number) {
      const p: Record<string, string> = {};
      for (const part of fmtParts.formatToParts(new Date(ms))) p[part.type] = part.value;
      let year = Number(p.year);
      if (p.era === 'BC' || p.era === 'B') year = 1 - year;
      const wall = Date.UTC(2000, Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
      const d = new Date(wall);
      d.setUTCFullYear(year);
      const offset = Math.round((d.getTime() - Math.floor(ms / 1000) * 1000) / 1000);
      let abbrev = tzAbbrevs(zone)?.get(offset);
      if (abbrev === undefined) {
        abbrev = fmtShort.formatToParts(new Date(ms)).find((x) => x.type === 'timeZoneName')?.value ?? '';
        if (abbrev === 'GMT' || abbrev === 'UTC') abbrev = offset === 0 ? (name === 'UTC' ? 'UTC' : 'GMT') : abbrev;
        if (/^GMT[+-]/.test(abbrev)) abbrev = offsetAbbrev(offset);
      }
      return { offset, abbrev };
    },
  };
}

/** Go names zones without an abbreviation like "+03" / "-0330". */
function offsetAbbrev(offset: number): string {
  const sign = offset < 0 ? '-' : '+';
  const a = Math.abs(offset);
  const h = String(Math.floor(a / 3600)).padStart(2, '0');
  const m = Math.floor((a % 3600) / 60);
  return m === 0 ? `${sign}${h}` : `${sign}${h}${String(m).padStart(2, '0')}`;
}

let localLoc: Location | undefined;
let localTz: string | undefined;
export function localLocation(): Location {
  const tz = process.env.TZ;
  if (!localLoc || tz !== localTz) {
    localTz = tz;
    localLoc = !tz || tz === 'UTC' || tz === 'Etc/UTC' ? { ...UTC, name: 'Local' } : intlLocation('Local', undefined);
  }
  return localLoc;
}

/** time.LoadLocation: "", "UTC", "Local" or an IANA name; undefined when unknown. */
export function loadLocation(name: string): Location | undefined {
  if (name === '' || name === 'UTC') return UTC;
  if (name === 'Local') return localLocation();
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
  } catch {
    return undefined;
  }
  return intlLocation(name, name);
}

const processStart = performance.now();

export class GoTime implements GoObject {
  readonly goType = 'time.Time';
  constructor(
    /** Unix milliseconds (floor) */
    readonly ms: number,
    /** extra nanoseconds within the millisecond, 0..999999 */
    readonly ns: number,
    readonly loc: Location,
    /** monotonic reading in seconds (only for now()) */
    readonly mono?: number,
  ) {}

  static now(d: Date): GoTime {
    return new GoTime(d.getTime(), 0, localLocation(), (performance.now() - processStart) / 1000);
  }
  static unix(sec: bigint, loc: Location = localLocation()): GoTime {
    return new GoTime(Number(sec) * 1000, 0, loc);
  }
  static zero(): GoTime {
    return new GoTime(-62135596800000, 0, UTC);
  }

  unixSeconds(): bigint {
    return BigInt(Math.floor(this.ms / 1000));
  }
  in(loc: Location): GoTime {
    return new GoTime(this.ms, this.ns, loc);
  }
  add(nanos: bigint): GoTime {
    const total = BigInt(this.ms) * 1_000_000n + BigInt(this.ns) + nanos;
    const ms = total / 1_000_000n - (total % 1_000_000n < 0n ? 1n : 0n);
    return new GoTime(Number(ms), Number(total - ms * 1_000_000n), this.loc);
  }
  nanosSince(other: GoTime): bigint {
    return (BigInt(this.ms) - BigInt(other.ms)) * 1_000_000n + BigInt(this.ns - other.ns);
  }

  /** Wall clock fields in the time's location. */
  fields() {
    const { offset, abbrev } = this.loc.at(this.ms);
    const d = new Date(this.ms + offset * 1000);
    const start = Date.UTC(d.getUTCFullYear(), 0, 1);
    const startDate = new Date(start);
    startDate.setUTCFullYear(d.getUTCFullYear());
    return {
      year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(),
      minute: d.getUTCMinutes(), second: d.getUTCSeconds(), weekday: d.getUTCDay(),
      yday: Math.floor((d.getTime() - startDate.getTime()) / 86400000) + 1,
      nanos: (((this.ms % 1000) + 1000) % 1000) * 1_000_000 + this.ns, offset, abbrev,
    };
  }

  format(): string {
    let s = formatTime(this, '2006-01-02 15:04:05.999999999 -0700 MST');
    if (this.mono !== undefined) {
      s += ` m=+${this.mono.toFixed(9)}`;
    }
    return s;
  }

  method(name: string): GoFunc | undefined {
    const m: Record<string, GoFunc> = {
      Unix: { params: [], fn: () => new GoNum('int64', this.unixSeconds()) },
      UnixMilli: { params: [], fn: () => new GoNum('int64', BigInt(this.ms)) },
      Format: { params: ['string'], fn: (a) => formatTime(this, a[0] as string) },
      Year: { params: [], fn: () => BigInt(this.fields().year) },
      Day: { params: [], fn: () => BigInt(this.fields().day) },
      Hour: { params: [], fn: () => BigInt(this.fields().hour) },
      Minute: { params: [], fn: () => BigInt(this.fields().minute) },
      Second: { params: [], fn: () => BigInt(this.fields().second) },
      YearDay: { params: [], fn: () => BigInt(this.fields().yday) },
      UTC: { params: [], fn: () => this.in(UTC) },
      Local: { params: [], fn: () => this.in(localLocation()) },
      String: { params: [], fn: () => this.format() },
      IsZero: { params: [], fn: () => this.ms === -62135596800000 && this.ns === 0 },
    };
    return Object.hasOwn(m, name) ? m[name] : undefined;
  }
}

export { formatTime, parseTime } from './time-format.js';
export { durationString, parseDuration } from './duration.js';
