// ESO's toYaml/fromYaml (sigs.k8s.io/yaml: JSON ↔ yaml.v2). toYaml emits yaml.v2's block style:
// sorted keys (yaml.v2's natural order), unindented sequences in mappings, quoting as libyaml decides.
import YAML from 'yaml';
import { formatFloat } from '../fmt/float.js';
import { isPrint } from '../fmt/quote.js';
import { marshal, unmarshal, fromJsValue } from './json.js';
import type { Value } from '../value.js';

// ---- key order: yaml.v2 keyList.Less for strings ----
const isLetter = (c: string) => /\p{L}/u.test(c);
const isDigit = (c: string) => /\p{Nd}/u.test(c);

export function yamlKeyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]!);
    const bl = isLetter(br[i]!);
    if (al && bl) return ar[i]!.codePointAt(0)! < br[i]!.codePointAt(0)!;
    if (al || bl) return bl;
    let an = 0n;
    let bn = 0n;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]!); j--) {
        if (ar[j] !== '0') {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]!); ai++) an = an * 10n + BigInt(ar[ai]!.codePointAt(0)! - 48);
    for (; bi < br.length && isDigit(br[bi]!); bi++) bn = bn * 10n + BigInt(br[bi]!.codePointAt(0)! - 48);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i]!.codePointAt(0)! < br[i]!.codePointAt(0)!;
  }
  return ar.length < br.length;
}

// ---- does a plain scalar resolve to something other than a string (yaml.v2 resolve)? ----
const nonString = new Set([
  '', '~', 'null', 'Null', 'NULL', 'y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'true', 'True', 'TRUE',
  'false', 'False', 'FALSE', 'on', 'On', 'ON', 'off', 'Off', 'OFF', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF',
  '-.inf', '-.Inf', '-.INF', '.nan', '.NaN', '.NAN', '<<',
]);

function resolvesToNonString(s: string): boolean {
  if (nonString.has(s)) return true;
  const c = s[0]!;
  if (!/[-+.0-9]/.test(c) && !/^(inf|infinity|nan)$/i.test(s.replace(/^[+-]/, ''))) return false;
  const plain = s.replaceAll('_', '');
  if (/^[-+]?(0|[1-9][0-9]*)$/.test(plain) || /^[-+]?0[0-7]+$/.test(plain) || /^[-+]?0x[0-9a-fA-F]+$/.test(plain) || /^[-+]?0b[01]+$/.test(plain)) return true;
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s) || /^[-+]?(inf|infinity|nan)$/i.test(s)) return true;
  if (/^[-+]?0[xX][0-9a-fA-F]*(\.[0-9a-fA-F]*)?[pP][-+]?\d+$/.test(s)) return true;
  if (/^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/.test(s)) return true; // base 60
  if (/^\d{4}-\d{1,2}-\d{1,2}(?:(?:[Tt]|[ \t]+)\d{1,2}:\d{2}:\d{2}(?:\.\d*)?(?:[ \t]*(?:Z|[-+]\d{1,2}(?::\d{2})?))?)?$/.test(s)) return true;
  return false;
}

// ---- libyaml's scalar analysis (simplified to what block context needs) ----
function analyze(s: string): { plain: boolean; single: boolean } {
  if (s.length === 0) return { plain: false, single: true };
  let blockInd = false;
  let special = false;
  let leadingSpace = false;
  let trailingSpace = false;
  if (s.startsWith('---') || s.startsWith('...')) {
    blockInd = true;
  }
  const cps = [...s];
  let precededByWs = true;
  for (let i = 0; i < cps.length; i++) {
    const ch = cps[i]!;
    const next = cps[i + 1];
    const followedByWs = next === undefined || next === ' ' || next === '\t' || next === '\n' || next === '\r';
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) blockInd = true;
      if (ch === '?' || ch === ':') {
        if (followedByWs) blockInd = true;
      }
      if (ch === '-' && followedByWs) blockInd = true;
    } else {
      if (ch === ':') {
        if (followedByWs) blockInd = true;
      }
      if (ch === '#' && precededByWs) blockInd = true;
    }
    const cp = ch.codePointAt(0)!;
    // libyaml: only \n and printable characters may appear unescaped (a tab forces double quotes)
    if (ch !== '\n' && (!isPrint(cp) || cp === 0xfeff || (cp >= 0xdc80 && cp <= 0xdcff))) special = true;
    if (ch === ' ') {
      if (i === 0) leadingSpace = true;
      if (i === cps.length - 1) trailingSpace = true;
    }
    precededByWs = ch === ' ' || ch === '\t' || ch === '\n';
  }
  const plain = !(leadingSpace || trailingSpace || blockInd || special);
  return { plain, single: !special };
}

function escapeDouble(ch: string): string {
  const cp = ch.codePointAt(0)!;
  switch (ch) {
    case '\0': return '\\0';
    case '\x07': return '\\a';
    case '\b': return '\\b';
    case '\t': return '\\t';
    case '\n': return '\\n';
    case '\v': return '\\v';
    case '\f': return '\\f';
    case '\r': return '\\r';
    case '\x1b': return '\\e';
    case '"': return '\\"';
    case '\\': return '\\\\';
    case '\x85': return '\\N';
    case '\xa0': return '\\_';
    case '\u2028': return '\\L';
    case '\u2029': return '\\P';
  }
  if (isPrint(cp) && cp !== 0xfeff && !(cp >= 0xdc80 && cp <= 0xdcff)) return ch;
  if (cp <= 0xff) return `\\x${cp.toString(16).toUpperCase().padStart(2, '0')}`;
  if (cp <= 0xffff) return `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return `\\U${cp.toString(16).toUpperCase().padStart(8, '0')}`;
}

/** Where a scalar starts and how continuation lines are indented; absent for keys (no folding). */
interface Fold {
  col: number;
  indent: string;
}

const bestWidth = 80;

/**
 * libyaml's writers: plain, single- and double-quoted scalars break at a space once the line is
 * past 80 columns (yaml.v2 keeps libyaml's default width).
 */
function writeScalar(s: string, style: 'plain' | 'single' | 'double', fold: Fold | undefined): string {
  const cps = [...s];
  const quote = style === 'single' ? "'" : style === 'double' ? '"' : '';
  let out = quote;
  let col = (fold?.col ?? 0) + quote.length;
  let spaces = false;
  for (let i = 0; i < cps.length; i++) {
    const ch = cps[i]!;
    if (ch === ' ') {
      const inner = style === 'plain' || (i !== 0 && i !== cps.length - 1);
      const nextSpace = cps[i + 1] === ' ';
      if (fold && !spaces && col > bestWidth && inner && (style === 'double' || !nextSpace)) {
        out += `\n${fold.indent}`;
        col = fold.indent.length;
        if (style === 'double' && nextSpace) {
          out += '\\';
          col++;
        }
      } else {
        out += ' ';
        col++;
      }
      spaces = true;
      continue;
    }
    const repr = style === 'double' ? escapeDouble(ch) : style === 'single' && ch === "'" ? "''" : ch;
    out += repr;
    col += [...repr].length;
    spaces = false;
  }
  return out + quote;
}

function literal(s: string, indent: string): string {
  const trailing = /\n*$/.exec(s)![0].length;
  const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
  const indicator = s[0] === ' ' || s[0] === '\n' ? '2' : '';
  const body = trailing > 0 ? s.slice(0, s.length - trailing) : s;
  const lines = body.split('\n').map((l) => (l === '' ? '' : indent + l));
  const extra = chomp === '+' ? '\n'.repeat(trailing - 1) : '';
  return `|${indicator}${chomp}\n${lines.join('\n')}${extra}`;
}

function scalar(s: string, indent: string, fold: Fold | undefined): string {
  if (resolvesToNonString(s)) return writeScalar(s, 'double', fold);
  if (s.includes('\n')) {
    const a = analyze(s.replaceAll('\n', ' '));
    if (fold && a.single) return literal(s, indent);
    return writeScalar(s, 'double', fold);
  }
  const a = analyze(s);
  return writeScalar(s, a.plain ? 'plain' : a.single ? 'single' : 'double', fold);
}

class Num {
  constructor(readonly num: string) {}
}

type J = null | boolean | number | string | J[] | Map<string, J> | Num;

function emit(v: J, indent: string, ctx: 'top' | 'map' | 'seq', col = 0): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'string') {
    const cont = ctx === 'seq' ? indent : `${indent}  `;
    return scalar(v, cont, { col, indent: cont });
  }
  if (typeof v === 'number') return formatFloat(v, 'g', -1).replace(/^\+Inf$/, '.inf').replace(/^-Inf$/, '-.inf').replace(/^NaN$/, '.nan');
  if (v instanceof Num) return v.num;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    const lines = v.map((e, i) => {
      const inner = emit(e, `${indent}  `, 'seq', indent.length + 2);
      return `${ctx === 'seq' && i === 0 ? '' : indent}- ${inner}`;
    });
    const text = lines.join('\n');
    return ctx === 'map' ? `\n${text}` : text;
  }
  if (v.size === 0) return '{}';
  const keys = [...v.keys()].sort((a, b) => (yamlKeyLess(a, b) ? -1 : yamlKeyLess(b, a) ? 1 : 0));
  const lines = keys.map((k, i) => {
    const val = v.get(k)!;
    const prefix = ctx === 'seq' && i === 0 ? '' : indent;
    const key = scalar(k, indent, undefined);
    if (val instanceof Map && val.size > 0) return `${prefix}${key}:\n${emit(val, `${indent}  `, 'map')}`;
    if (Array.isArray(val) && val.length > 0) return `${prefix}${key}:${emit(val, indent, 'map')}`;
    return `${prefix}${key}: ${emit(val, indent, 'map', indent.length + [...key].length + 2)}`;
  });
  return lines.join('\n');
}

/** JSON text → J, keeping integer literals exact (yaml.v2 reads them as ints). */
function parseJson(text: string): J {
  const raw: unknown = JSON.parse(text, (_k, val, ctx?: { source?: string }) =>
    typeof val === 'number' && ctx?.source !== undefined && /^-?\d+$/.test(ctx.source) ? new Num(ctx.source) : val);
  const conv = (x: unknown): J => {
    if (x === null || typeof x !== 'object' || x instanceof Num) return x as J;
    if (Array.isArray(x)) return x.map(conv);
    return new Map(Object.entries(x as Record<string, unknown>).map(([k, v]) => [k, conv(v)]));
  };
  return conv(raw);
}

export function toYaml(v: Value): string {
  let json: string;
  try {
    json = marshal(v, { escapeHTML: false });
  } catch {
    return '';
  }
  const j = parseJson(json);
  return emit(j, '', 'top');
}

export function fromYaml(s: string): Map<string, Value> {
  const m = new Map<string, Value>();
  let doc: unknown;
  try {
    doc = YAML.parse(s, { version: '1.1', uniqueKeys: false, maxAliasCount: 100, intAsBigInt: false });
  } catch (e) {
    m.set('Error', `error converting YAML to JSON: yaml: ${(e as Error).message.split('\n')[0]}`);
    return m;
  }
  if (doc === null || doc === undefined) return m;
  if (typeof doc !== 'object' || Array.isArray(doc) || doc instanceof Date) {
    m.set('Error', `error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${Array.isArray(doc) ? 'array' : typeof doc === 'string' ? 'string' : 'number'} into Go value of type map[string]interface {}`);
    return m;
  }
  const normalized = unmarshal(JSON.stringify(doc, (_k, val) => (val instanceof Date ? val.toISOString().replace('.000Z', 'Z') : val)));
  return normalized instanceof Map ? (normalized as Map<string, Value>) : m;
}

export { fromJsValue };
