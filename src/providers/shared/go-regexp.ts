// Go RE2 patterns (find.name.regexp, rewrite.regexp.source) as JavaScript RegExps, and Go's
// `Regexp.ReplaceAllString` template expansion (`$1`, `${1}`, `$name`, `${name}`, `$$`).
import { inputError } from '../../errors.js';
import { forSubject, withBmpVariant } from '../../regexp-bmp.js';

const posix: Record<string, string> = {
  alnum: '0-9A-Za-z', alpha: 'A-Za-z', ascii: '\\x00-\\x7f', blank: '\\t ', cntrl: '\\x00-\\x1f\\x7f', digit: '0-9',
  graph: '!-~', lower: 'a-z', print: ' -~', punct: '!-\\/:-@\\[-`{-~', space: '\\t\\n\\v\\f\\r ', upper: 'A-Z',
  word: '0-9A-Za-z_', xdigit: '0-9A-Fa-f',
};
const generalCategory = /^(L|Lu|Ll|Lt|Lm|Lo|M|Mn|Mc|Me|N|Nd|Nl|No|P|Pc|Pd|Ps|Pe|Pi|Pf|Po|S|Sm|Sc|Sk|So|Z|Zs|Zl|Zp|C|Cc|Cf|Cs|Co|Cn)$/;
const goSpace = '\\t\\n\\f\\r ';

const hex = (ch: string) => `\\u{${ch.codePointAt(0)!.toString(16)}}`;

/** Translates RE2 syntax to a JavaScript `u`-mode pattern; `dotAll` is the (?s) flag. */
function translate(src: string, dotAll: boolean, multiLine: boolean): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (ch === '\\') {
      const n = src[i + 1];
      if (n === undefined) throw new Error('trailing backslash');
      i++;
      if (n === 'Q') {
        const end = src.indexOf('\\E', i + 1);
        const lit = end < 0 ? src.slice(i + 1) : src.slice(i + 1, end);
        out += Array.from(lit, hex).join('');
        i = end < 0 ? src.length : end + 1;
      } else if (n === 'z') out += '$(?![\\s\\S])';
      else if (n === 'A') out += '^(?<![\\s\\S])';
      else if (n === 's') out += inClass ? goSpace : `[${goSpace}]`;
      else if (n === 'S') out += inClass ? '\\S' : `[^${goSpace}]`;
      else if (n === 'p' || n === 'P') {
        let name: string;
        if (src[i + 1] === '{') {
          const close = src.indexOf('}', i + 2);
          if (close < 0) throw new Error('missing closing }');
          name = src.slice(i + 2, close);
          i = close;
        } else {
          name = src[i + 1] ?? '';
          i++;
        }
        const neg = name.startsWith('^');
        if (neg) name = name.slice(1);
        const prop = generalCategory.test(name) ? name : name === 'Any' ? 'Any' : `Script=${name}`;
        out += `\\${(n === 'P') !== neg ? 'P' : 'p'}{${prop}}`;
      } else if (/[0-9A-Za-z]/.test(n)) {
        out += `\\${n}`;
      } else {
        out += hex(n);
      }
      continue;
    }
    if (inClass) {
      if (ch === '[' && src.startsWith('[:^', i)) {
        throw new Error('negated POSIX classes ([:^name:]) are only supported as the whole class');
      }
      if (ch === '[' && src[i + 1] === ':') {
        const close = src.indexOf(':]', i + 2);
        const name = close > 0 ? src.slice(i + 2, close) : '';
        if (posix[name] !== undefined) { out += posix[name]; i = close + 1; continue; }
      }
      if (ch === ']') inClass = false;
      out += ch === '[' ? '\\[' : ch;
      continue;
    }
    const negPosix = ch === '[' ? /^\[\[:\^([a-z]+):\]\]/.exec(src.slice(i)) : null;
    if (negPosix && posix[negPosix[1]!] !== undefined) {
      out += `[^${posix[negPosix[1]!]}]`;
      i += negPosix[0].length - 1;
      continue;
    }
    if (multiLine && ch === '^') { out += '(?<![^\\n])'; continue; }
    if (multiLine && ch === '$') { out += '(?![^\\n])'; continue; }
    if (ch === '[') {
      inClass = true;
      out += ch;
      if (src[i + 1] === '^') { out += '^'; i++; }
      if (src[i + 1] === ']') { out += '\\]'; i++; }
      continue;
    }
    if (ch === '.') { out += dotAll ? '[\\s\\S]' : '[^\\n]'; continue; }
    if (ch === '(' && src.startsWith('(?P<', i)) { out += '(?<'; i += 3; continue; }
    if (ch === '{' || ch === '}') {
      const rep = ch === '{' ? /^\{\d+(,\d*)?\}/.exec(src.slice(i)) : null;
      if (rep && out !== '') { out += rep[0]; i += rep[0].length - 1; continue; }
      out += `\\${ch}`;
      continue;
    }
    out += ch;
  }
  return out;
}

/** Compiles an RE2 pattern; throws a one-line input error naming `subject` when it is invalid. */
export function compileGoRegexp(pattern: string, subject: string, global = false): RegExp {
  let src = pattern;
  let flags = global ? 'gu' : 'u';
  // leading inline flags (?i) (?s) (?m); (?U) has no JavaScript equivalent
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  let dotAll = false;
  let multiLine = false;
  if (lead) {
    if (lead[1]!.includes('U')) throw badRegexp(pattern, subject, 'the (?U) flag is not supported');
    for (const f of lead[1]!) {
      if (f === 's') dotAll = true;
      else if (f === 'm') multiLine = true;
      else if (!flags.includes(f)) flags += f;
    }
    src = src.slice(lead[0].length);
  }
  try {
    return withBmpVariant(new RegExp(translate(src, dotAll, multiLine), flags));
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
export function goMatch(pattern: RegExp, s: string): boolean {
  const re = forSubject(pattern, s);
  re.lastIndex = 0;
  return re.test(s);
}

/** Go `Regexp.ReplaceAllString(src, template)`. `re` must be global. */
export function goReplaceAll(pattern: RegExp, src: string, template: string): string {
  const re = forSubject(pattern, src);
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
