// Masterminds/semver v3 (what sprig's semver/semverCompare use): versions, constraints and Check.
import { GoNum, type GoFunc, type GoObject, type Value } from '../value.js';
import { compileGoRegexp, findAll } from './regex.js';

const semVerRegex = 'v?([0-9]+)(\\.[0-9]+)?(\\.[0-9]+)?(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?';
const cvRegex = 'v?([0-9|x|X|\\*]+)(\\.[0-9|x|X|\\*]+)?(\\.[0-9|x|X|\\*]+)?(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?';
const ops = '=||!=|>|<|>=|=>|<=|=<|~|~>|\\^';
const versionRe = `^${semVerRegex}$`;
const constraintRe = `^\\s*(${ops})\\s*(${cvRegex})\\s*$`;
const rangeRe = `\\s*(${cvRegex})\\s+-\\s+(${cvRegex})\\s*`;
const findRe = `(${ops})\\s*(${cvRegex})`;
const validRe = `^(\\s*(${ops})\\s*(${cvRegex})\\s*)((?:\\s+|,\\s*)(${ops})\\s*(${cvRegex})\\s*)*$`;

function submatch(re: string, s: string): Array<string | undefined> | undefined {
  return findAll(re, s, 1)[0]?.groups;
}

function parseUint(s: string): bigint {
  const v = BigInt(s);
  if (v >= 2n ** 64n) throw new Error(`Error parsing version segment: strconv.ParseUint: parsing "${s}": value out of range`);
  return v;
}

export class SemVersion implements GoObject {
  readonly goType = '*semver.Version';
  constructor(
    readonly major: bigint, readonly minor: bigint, readonly patch: bigint,
    readonly pre: string, readonly metadata: string, readonly original: string,
  ) {}

  static parse(v: string): SemVersion {
    const m = submatch(versionRe, v);
    if (!m) throw new Error('Invalid Semantic Version');
    const pre = m[5] ?? '';
    const meta = m[8] ?? '';
    if (pre !== '') {
      for (const p of pre.split('.')) if (/^\d+$/.test(p) && p.length > 1 && p[0] === '0') throw new Error('Version segment starts with 0');
    }
    return new SemVersion(parseUint(m[1]!), m[2] ? parseUint(m[2].slice(1)) : 0n, m[3] ? parseUint(m[3].slice(1)) : 0n, pre, meta, v);
  }

  format(): string {
    let s = `${this.major}.${this.minor}.${this.patch}`;
    if (this.pre) s += `-${this.pre}`;
    if (this.metadata) s += `+${this.metadata}`;
    return s;
  }

  compare(o: SemVersion): number {
    for (const [a, b] of [[this.major, o.major], [this.minor, o.minor], [this.patch, o.patch]] as const) {
      if (a !== b) return a < b ? -1 : 1;
    }
    if (this.pre === '' && o.pre === '') return 0;
    if (this.pre === '') return 1;
    if (o.pre === '') return -1;
    return comparePrerelease(this.pre, o.pre);
  }

  method(name: string): GoFunc | undefined {
    const u = (v: bigint) => new GoNum('uint64', v);
    const other = (v: Value): SemVersion => {
      if (!(v instanceof SemVersion)) throw new Error('wrong type for value; expected *semver.Version');
      return v;
    };
    const m: Record<string, GoFunc> = {
      Major: { params: [], fn: () => u(this.major) },
      Minor: { params: [], fn: () => u(this.minor) },
      Patch: { params: [], fn: () => u(this.patch) },
      Prerelease: { params: [], fn: () => this.pre },
      Metadata: { params: [], fn: () => this.metadata },
      Original: { params: [], fn: () => this.original },
      String: { params: [], fn: () => this.format() },
      Compare: { params: ['any'], fn: (a) => BigInt(this.compare(other(a[0]))) },
      LessThan: { params: ['any'], fn: (a) => this.compare(other(a[0])) < 0 },
      GreaterThan: { params: ['any'], fn: (a) => this.compare(other(a[0])) > 0 },
      Equal: { params: ['any'], fn: (a) => this.compare(other(a[0])) === 0 },
    };
    return Object.hasOwn(m, name) ? m[name] : undefined;
  }
}

function comparePrerelease(v: string, o: string): number {
  const s = v.split('.');
  const t = o.split('.');
  for (let i = 0; i < Math.max(s.length, t.length); i++) {
    const d = comparePrePart(s[i] ?? '', t[i] ?? '');
    if (d !== 0) return d;
  }
  return 0;
}

function comparePrePart(s: string, o: string): number {
  if (s === o) return 0;
  if (s === '') return -1;
  if (o === '') return 1;
  const sn = /^\d+$/.test(s) && BigInt(s) < 2n ** 64n;
  const on = /^\d+$/.test(o) && BigInt(o) < 2n ** 64n;
  if (!sn && !on) return s > o ? 1 : -1;
  if (!on) return -1;
  if (!sn) return 1;
  return BigInt(s) > BigInt(o) ? 1 : -1;
}

interface Constraint {
  con: SemVersion;
  orig: string;
  fn: string;
  dirty: boolean;
  minorDirty: boolean;
  patchDirty: boolean;
}

const isX = (x: string | undefined) => x === 'x' || x === '*' || x === 'X';

function parseConstraint(c: string): Constraint {
  if (c.length === 0) return { con: SemVersion.parse('0.0.0'), orig: c, fn: '', dirty: true, minorDirty: false, patchDirty: false };
  const m = submatch(constraintRe, c);
  if (!m) throw new Error('improper constraint');
  const g = (i: number) => m[i] ?? '';
  let ver = g(2);
  let dirty = false;
  let minorDirty = false;
  let patchDirty = false;
  if (isX(g(3)) || g(3) === '') {
    ver = `0.0.0${g(6)}`;
    dirty = true;
  } else if (isX(g(4).replace(/^\./, '')) || g(4) === '') {
    minorDirty = dirty = true;
    ver = `${g(3)}.0.0${g(6)}`;
  } else if (isX(g(5).replace(/^\./, '')) || g(5) === '') {
    dirty = patchDirty = true;
    ver = `${g(3)}${g(4)}.0${g(6)}`;
  }
  let con: SemVersion;
  try {
    con = SemVersion.parse(ver);
  } catch {
    throw new Error('constraint Parser Error');
  }
  return { con, orig: g(2), fn: g(1), dirty, minorDirty, patchDirty };
}

function check(v: SemVersion, c: Constraint): boolean {
  const preBlocked = v.pre !== '' && c.con.pre === '';
  const tilde = (): boolean => {
    if (preBlocked) return false;
    if (v.compare(c.con) < 0) return false;
    if (c.con.major === 0n && c.con.minor === 0n && c.con.patch === 0n && !c.minorDirty && !c.patchDirty) return true;
    if (v.major !== c.con.major) return false;
    if (v.minor !== c.con.minor && !c.minorDirty) return false;
    return true;
  };
  switch (c.fn) {
    case '': case '=':
      if (preBlocked) return false;
      if (c.dirty) return tilde();
      return v.compare(c.con) === 0;
    case '!=':
      if (c.dirty) {
        if (preBlocked) return false;
        if (c.con.major !== v.major) return true;
        if (c.con.minor !== v.minor && !c.minorDirty) return true;
        if (c.minorDirty) return false;
        if (c.con.patch !== v.patch && !c.patchDirty) return true;
        if (c.patchDirty) {
          if (v.pre !== '' || c.con.pre !== '') return comparePrerelease(v.pre, c.con.pre) !== 0;
          return false;
        }
      }
      return v.compare(c.con) !== 0;
    case '>':
      if (preBlocked) return false;
      if (!c.dirty) return v.compare(c.con) === 1;
      if (v.major > c.con.major) return true;
      if (v.major < c.con.major) return false;
      if (c.minorDirty) return false;
      if (c.patchDirty) return v.minor > c.con.minor;
      return v.compare(c.con) === 1;
    case '<':
      return !preBlocked && v.compare(c.con) < 0;
    case '>=': case '=>':
      return !preBlocked && v.compare(c.con) >= 0;
    case '<=': case '=<':
      if (preBlocked) return false;
      if (!c.dirty) return v.compare(c.con) <= 0;
      if (v.major > c.con.major) return false;
      if (v.major === c.con.major && v.minor > c.con.minor && !c.minorDirty) return false;
      return true;
    case '~': case '~>':
      return tilde();
    case '^':
      if (preBlocked) return false;
      if (v.compare(c.con) < 0) return false;
      if (c.con.major > 0n || c.minorDirty) return v.major === c.con.major;
      if (c.con.major === 0n && v.major > 0n) return false;
      if (c.con.minor > 0n || c.patchDirty) return v.minor === c.con.minor;
      if (c.con.minor === 0n && v.minor > 0n) return false;
      return c.con.patch === v.patch;
  }
  return false;
}

function rewriteRange(i: string): string {
  let o = i;
  for (const m of findAll(rangeRe, i, -1)) {
    o = o.replace(m.groups[0]!, `>= ${m.groups[1]}, <= ${m.groups[11]}`);
  }
  return o;
}

export function newConstraints(c: string): Constraint[][] {
  compileGoRegexp(validRe);
  return rewriteRange(c).split('||').map((v) => {
    if (!submatch(validRe, v)) throw new Error('improper constraint');
    let cs = findAll(findRe, v, -1).map((m) => m.groups[0]!);
    if (cs.length === 0) cs = [v];
    return cs.map(parseConstraint);
  });
}

export function checkConstraints(cs: Constraint[][], v: SemVersion): boolean {
  return cs.some((and) => and.every((c) => check(v, c)));
}

export const semverFuncs: Record<string, GoFunc> = {
  semver: { params: ['string'], fn: (a) => SemVersion.parse(a[0] as string) },
  semverCompare: {
    params: ['string', 'string'],
    fn: (a) => {
      const cs = newConstraints(a[0] as string);
      return checkConstraints(cs, SemVersion.parse(a[1] as string));
    },
  },
};
