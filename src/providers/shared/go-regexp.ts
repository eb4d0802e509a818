// Go RE2 patterns (find.name.regexp, rewrite.regexp.source) as JavaScript RegExps, and Go's
// `Regexp.ReplaceAllString` template expansion (`$1`, `${1}`, `$name`, `${name}`, `$$`).
import { inputError } from '../../errors.js';

/** Compiles an RE2 pattern; throws a one-line input error naming `subject` when it is invalid. */
export function compileGoRegexp(pattern: string, subject: string, global = false): RegExp {
  let src = pattern;
  let flags = global ? 'g' : '';
  // leading inline flags (?i) (?s) (?m) (?U is not supported)
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  if (lead) {
    if (lead[1]!.includes('U')) throw badRegexp(pattern, subject, 'the (?U) flag is not supported');
    for (const f of lead[1]!) if (!flags.includes(f)) flags += f;
    src = src.slice(lead[0].length);
  }
  src = src
    .replace(/\(\?P</g, '(?<')
    .replace(/\\z/g, '$(?![\\s\\S])')
    .replace(/\\A/g, '^(?<![\\s\\S])');
  const unicode = /\\[pP]/.test(src);
  if (unicode) {
    src = src.replace(/\\([pP])([A-Za-z])(?!\{)/g, '\\$1{$2}');
    flags += 'u';
  }
  try {
    return new RegExp(src, flags);
  } catch (e) {
    throw badRegexp(pattern, subject, (e as Error).message.replace(/^Invalid regular expression: /, ''));
  }
}

function badRegexp(pattern: string, subject: string, why: string) {
  return inputError('InvalidRegexp', `invalid regular expression ${JSON.stringify(pattern)}: ${why}`, {
    subject, hint: 'use Go RE2 syntax',
  });
}

/** Go `Regexp.MatchString`: unanchored. */
export function goMatch(re: RegExp, s: string): boolean {
  re.lastIndex = 0;
  return re.test(s);
}

/** Go `Regexp.ReplaceAllString(src, template)`. `re` must be global. */
export function goReplaceAll(re: RegExp, src: string, template: string): string {
  re.lastIndex = 0;
  let out = '';
  let last = 0;
  let m: RegExpExecArray | null;
  let lastMatchEnd = -1;
  while ((m = re.exec(src)) !== null) {
    const start = m.index;
    const end = start + m[0].length;
    if (m[0].length === 0) {
      // Go skips an empty match right after a previous match
      if (start === lastMatchEnd) { re.lastIndex = advance(src, start); if (start >= src.length) break; continue; }
      re.lastIndex = advance(src, start);
    }
    out += src.slice(last, start) + expand(template, m);
    last = end;
    lastMatchEnd = end;
    if (start >= src.length) break;
  }
  return out + src.slice(last);
}

function advance(s: string, i: number): number {
  const c = s.codePointAt(i);
  return i + (c !== undefined && c > 0xffff ? 2 : 1);
}

/** Go `Regexp.Expand`: `$name` takes the longest run of letters, digits and `_`. */
export function expand(template: string, m: RegExpExecArray): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const ch = template[i];
    if (ch !== '$') { out += ch; continue; }
    const rest = template.slice(i + 1);
    if (rest[0] === '$') { out += '$'; i++; continue; }
    let name: string | undefined;
    let len = 0;
    if (rest[0] === '{') {
      const close = rest.indexOf('}');
      const inner = close > 0 ? rest.slice(1, close) : '';
      if (close > 0 && /^[A-Za-z0-9_]+$/.test(inner)) { name = inner; len = close + 1; }
    } else {
      const w = /^[A-Za-z0-9_]+/.exec(rest);
      if (w) { name = w[0]; len = w[0].length; }
    }
    if (name === undefined) { out += '$'; continue; }
    i += len;
    if (/^(0|[1-9][0-9]{0,7})$/.test(name)) {
      const n = Number(name);
      if (n < m.length) out += m[n] ?? '';
    } else {
      out += m.groups?.[name] ?? '';
    }
  }
  return out;
}
