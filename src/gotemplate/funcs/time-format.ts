// Go's time.Format and time.Parse layouts ("2006-01-02 15:04:05.000 MST").
import { GoTime, type Location } from './time-value.js';

const longDays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const longMonths = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

type Chunk =
  | 'Jan' | 'January' | '01' | '1' | 'Mon' | 'Monday' | '02' | '_2' | '2' | '002' | '__2' | '15' | '3' | '03' | '4' | '04'
  | '5' | '05' | '2006' | '06' | 'PM' | 'pm' | 'MST' | 'Z0700' | 'Z070000' | 'Z07' | 'Z07:00' | 'Z07:00:00'
  | '-0700' | '-070000' | '-07' | '-07:00' | '-07:00:00' | 'frac';

interface StdChunk { prefix: string; std: Chunk | undefined; frac?: { ch: string; digits: number; sep: string }; suffix: string }

function isDigit(s: string, i: number) {
  return i < s.length && s[i]! >= '0' && s[i]! <= '9';
}

/** Go's nextStdChunk. */
function nextStdChunk(layout: string): StdChunk {
  for (let i = 0; i < layout.length; i++) {
    const c = layout[i]!;
    const rest = layout.slice(i);
    const r = (std: Chunk, len: number): StdChunk => ({ prefix: layout.slice(0, i), std, suffix: layout.slice(i + len) });
    switch (c) {
      case 'J':
        if (rest.startsWith('Jan')) return rest.startsWith('January') ? r('January', 7) : r('Jan', 3);
        break;
      case 'M':
        if (rest.startsWith('Mon')) return rest.startsWith('Monday') ? r('Monday', 6) : r('Mon', 3);
        if (rest.startsWith('MST')) return r('MST', 3);
        break;
      case '0':
        if (rest.length >= 2 && rest[1]! >= '1' && rest[1]! <= '6') return r(['01', '02', '03', '04', '05', '06'][Number(rest[1]) - 1] as Chunk, 2);
        if (rest.startsWith('002')) return r('002', 3);
        break;
      case '1':
        if (rest.startsWith('15')) return r('15', 2);
        return r('1', 1);
      case '2':
        if (rest.startsWith('2006')) return r('2006', 4);
        return r('2', 1);
      case '_':
        if (rest.startsWith('_2')) {
          if (rest.startsWith('_2006')) return { prefix: layout.slice(0, i + 1), std: '2006', suffix: layout.slice(i + 5) };
          if (rest.startsWith('__2')) return r('__2', 3);
          return r('_2', 2);
        }
        break;
      case '3': return r('3', 1);
      case '4': return r('4', 1);
      case '5': return r('5', 1);
      case 'P':
        if (rest.startsWith('PM')) return r('PM', 2);
        break;
      case 'p':
        if (rest.startsWith('pm')) return r('pm', 2);
        break;
      case '-':
        for (const s of ['-07:00:00', '-070000', '-07:00', '-0700', '-07'] as const) if (rest.startsWith(s)) return r(s, s.length);
        break;
      case 'Z':
        for (const s of ['Z07:00:00', 'Z070000', 'Z07:00', 'Z0700', 'Z07'] as const) if (rest.startsWith(s)) return r(s, s.length);
        break;
      case '.': case ',':
        if (i + 1 < layout.length && (layout[i + 1] === '0' || layout[i + 1] === '9')) {
          const ch = layout[i + 1]!;
          let j = i + 1;
          while (j < layout.length && layout[j] === ch) j++;
          if (!isDigit(layout, j)) {
            return { prefix: layout.slice(0, i), std: 'frac', frac: { ch, digits: j - (i + 1), sep: c }, suffix: layout.slice(j) };
          }
        }
        break;
    }
  }
  return { prefix: layout, std: undefined, suffix: '' };
}

const pad2 = (n: number) => String(n).padStart(2, '0');

export function formatTime(t: GoTime, layout: string): string {
  const f = t.fields();
  let out = '';
  while (layout !== '') {
    const { prefix, std, frac, suffix } = nextStdChunk(layout);
    out += prefix;
    if (std === undefined) break;
    layout = suffix;
    switch (std) {
      case '2006': out += f.year < 0 ? `-${String(-f.year).padStart(4, '0')}` : String(f.year).padStart(4, '0'); break;
      case '06': out += pad2(((f.year % 100) + 100) % 100); break;
      case 'Jan': out += longMonths[f.month - 1]!.slice(0, 3); break;
      case 'January': out += longMonths[f.month - 1]!; break;
      case '01': out += pad2(f.month); break;
      case '1': out += String(f.month); break;
      case 'Mon': out += longDays[f.weekday]!.slice(0, 3); break;
      case 'Monday': out += longDays[f.weekday]!; break;
      case '02': out += pad2(f.day); break;
      case '_2': out += String(f.day).padStart(2, ' '); break;
      case '2': out += String(f.day); break;
      case '002': out += String(f.yday).padStart(3, '0'); break;
      case '__2': out += String(f.yday).padStart(3, ' '); break;
      case '15': out += pad2(f.hour); break;
      case '3': out += String(f.hour % 12 === 0 ? 12 : f.hour % 12); break;
      case '03': out += pad2(f.hour % 12 === 0 ? 12 : f.hour % 12); break;
      case '4': out += String(f.minute); break;
      case '04': out += pad2(f.minute); break;
      case '5': out += String(f.second); break;
      case '05': out += pad2(f.second); break;
      case 'PM': out += f.hour >= 12 ? 'PM' : 'AM'; break;
      case 'pm': out += f.hour >= 12 ? 'pm' : 'am'; break;
      case 'MST': {
        if (f.abbrev) out += f.abbrev;
        else {
          const a = Math.abs(f.offset);
          out += `${f.offset < 0 ? '-' : '+'}${pad2(Math.floor(a / 3600))}${pad2(Math.floor((a % 3600) / 60))}`;
        }
        break;
      }
      case 'frac': {
        const digits = String(f.nanos).padStart(9, '0');
        if (frac!.ch === '0') out += frac!.sep + digits.slice(0, frac!.digits);
        else {
          const trimmed = digits.slice(0, frac!.digits).replace(/0+$/, '');
          if (trimmed !== '') out += frac!.sep + trimmed;
        }
        break;
      }
      default: {
        // zones
        if (std.startsWith('Z') && f.offset === 0) {
          out += 'Z';
          break;
        }
        const off = f.offset;
        const sign = off < 0 ? '-' : '+';
        const a = Math.abs(off);
        const hh = pad2(Math.floor(a / 3600));
        const mm = pad2(Math.floor((a % 3600) / 60));
        const ss = pad2(a % 60);
        const kind = std.replace(/^Z/, '-');
        if (kind === '-07') out += sign + hh;
        else if (kind === '-0700') out += sign + hh + mm;
        else if (kind === '-07:00') out += `${sign}${hh}:${mm}`;
        else if (kind === '-070000') out += sign + hh + mm + ss;
        else out += `${sign}${hh}:${mm}:${ss}`;
      }
    }
  }
  return out;
}

/** time.ParseInLocation for the common layout elements; throws on mismatch. */
export function parseTime(layout: string, value: string, loc: Location): GoTime {
  let year = 1, month = 1, day = 1, hour = 0, minute = 0, second = 0, nanos = 0;
  let pm: boolean | undefined;
  let offset: number | undefined;
  let yday = -1;
  const bad = () => new Error(`parsing time "${'…'}" as "${layout}": cannot parse`);
  const num = (min: number, max: number, fixed: boolean): number => {
    const m = (fixed ? new RegExp(`^\\d{${max}}`) : new RegExp(`^\\d{${min},${max}}`)).exec(value);
    if (!m) throw bad();
    value = value.slice(m[0].length);
    return Number(m[0]);
  };
  const lookup = (names: string[], len?: number): number => {
    for (let i = 0; i < names.length; i++) {
      const n = len ? names[i]!.slice(0, len) : names[i]!;
      if (value.toLowerCase().startsWith(n.toLowerCase())) {
        value = value.slice(n.length);
        return i;
      }
    }
    throw bad();
  };
  while (layout !== '') {
    const { prefix, std, frac, suffix } = nextStdChunk(layout);
    const p = prefix.trim() === prefix ? prefix : prefix;
    if (!value.startsWith(p)) throw bad();
    value = value.slice(p.length);
    if (std === undefined) break;
    layout = suffix;
    switch (std) {
      case '2006': year = num(4, 4, true); break;
      case '06': { const y = num(2, 2, true); year = y >= 69 ? 1900 + y : 2000 + y; break; }
      case 'Jan': month = lookup(longMonths, 3) + 1; break;
      case 'January': month = lookup(longMonths) + 1; break;
      case '01': month = num(2, 2, true); break;
      case '1': month = num(1, 2, false); break;
      case 'Mon': lookup(longDays, 3); break;
      case 'Monday': lookup(longDays); break;
      case '02': day = num(2, 2, true); break;
      case '_2': if (value[0] === ' ') value = value.slice(1); day = num(1, 2, false); break;
      case '2': day = num(1, 2, false); break;
      case '002': yday = num(3, 3, true); break;
      case '__2': value = value.replace(/^ {1,2}/, ''); yday = num(1, 3, false); break;
      case '15': hour = num(1, 2, false); break;
      case '3': hour = num(1, 2, false); break;
      case '03': hour = num(2, 2, true); break;
      case '4': minute = num(1, 2, false); break;
      case '04': minute = num(2, 2, true); break;
      case '5': second = num(1, 2, false); parseFracAfterSeconds(); break;
      case '05': second = num(2, 2, true); parseFracAfterSeconds(); break;
      case 'PM': case 'pm': {
        const s = value.slice(0, 2).toUpperCase();
        if (s !== 'AM' && s !== 'PM') throw bad();
        pm = s === 'PM';
        value = value.slice(2);
        break;
      }
      case 'MST': {
        const m = /^(UTC|GMT|[A-Z]{3,5}|[+-]\d{2,4})/.exec(value);
        if (!m) throw bad();
        value = value.slice(m[0].length);
        if (m[0] === 'UTC' || m[0] === 'GMT') offset = offset ?? 0;
        break;
      }
      case 'frac': {
        const m = /^[.,](\d+)/.exec(value);
        if (frac!.ch === '0') {
          if (!m || m[1]!.length !== frac!.digits) throw bad();
        }
        if (m) {
          nanos = Number(m[1]!.slice(0, 9).padEnd(9, '0'));
          value = value.slice(m[0].length);
        }
        break;
      }
      default: {
        if (std.startsWith('Z') && value[0] === 'Z') {
          value = value.slice(1);
          offset = 0;
          break;
        }
        const kind = std.replace(/^Z/, '-');
        const re = kind === '-07' ? /^([+-])(\d{2})/ : kind === '-0700' ? /^([+-])(\d{2})(\d{2})/ : kind === '-07:00' ? /^([+-])(\d{2}):(\d{2})/
          : kind === '-070000' ? /^([+-])(\d{2})(\d{2})(\d{2})/ : /^([+-])(\d{2}):(\d{2}):(\d{2})/;
        const m = re.exec(value);
        if (!m) throw bad();
        value = value.slice(m[0].length);
        const secs = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
        offset = m[1] === '-' ? -secs : secs;
      }
    }
  }
  function parseFracAfterSeconds() {
    // Go accepts a fractional second after a seconds field even when the layout has none
    if (/^\.\d/.test(value) && !/^[.,][09]/.test(layout)) {
      const m = /^\.(\d+)/.exec(value)!;
      nanos = Number(m[1]!.slice(0, 9).padEnd(9, '0'));
      value = value.slice(m[0].length);
    }
  }
  if (value !== '') throw new Error(`parsing time: extra text`);
  if (pm !== undefined) {
    if (hour > 12) throw bad();
    if (pm && hour < 12) hour += 12;
    else if (!pm && hour === 12) hour = 0;
  }
  if (yday >= 0) {
    const d = new Date(Date.UTC(2000, 0, yday));
    d.setUTCFullYear(year);
    month = d.getUTCMonth() + 1;
    day = d.getUTCDate();
  }
  if (month < 1 || month > 12 || day < 1 || day > daysIn(month, year) || hour > 23 || minute > 59 || second > 59) {
    throw new Error('parsing time: value out of range');
  }
  const wall = new Date(Date.UTC(2000, month - 1, day, hour, minute, second));
  wall.setUTCFullYear(year);
  const wallMs = wall.getTime();
  if (offset !== undefined) {
    const ms = wallMs - offset * 1000;
    const l = loc.at(ms).offset === offset ? loc : fixedZone(offset);
    return new GoTime(ms, 0, l).add(BigInt(nanos));
  }
  // wall clock in loc: find the offset
  let ms = wallMs - loc.at(wallMs).offset * 1000;
  ms = wallMs - loc.at(ms).offset * 1000;
  return new GoTime(ms, 0, loc).add(BigInt(nanos));
}

function daysIn(month: number, year: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

function fixedZone(offset: number): Location {
  return { name: '', at: () => ({ offset, abbrev: '' }) };
}
