// Go regexp (RE2 syntax) translated to JavaScript RegExp (u flag), with Go's FindAll/ReplaceAll/
// Split iteration rules and Go's $1 / ${name} replacement expansion.
import { typedArray, type GoFunc } from '../value.js';
import { forSubject, withBmpVariant } from '../../regexp-bmp.js';

const posixClasses: Record<string, string> = {
  alnum: '0-9A-Za-z', alpha: 'A-Za-z', ascii: '\\x00-\\x7f', blank: '\\t ', cntrl: '\\x00-\\x1f\\x7f', digit: '0-9',
  graph: '!-~', lower: 'a-z', print: ' -~', punct: '!-\\/:-@\\[-`{-~', space: '\\t\\n\\v\\f\\r ', upper: 'A-Z',
  word: '0-9A-Za-z_', xdigit: '0-9A-Fa-f',
};

const perlClasses: Record<string, [string, boolean]> = {
  d: ['0-9', false], D: ['0-9', true], s: ['\\t\\n\\f\\r ', false], S: ['\\t\\n\\f\\r ', true],
  w: ['0-9A-Za-z_', false], W: ['0-9A-Za-z_', true],
};

const jsSyntax = new Set('^$\\.*+?()[]{}|/'.split(''));

const cache = new Map<string, { re: RegExp; names: string[] }>();

/** Compiles a Go regexp; throws an Error with Go-like text on syntax the translator rejects. */
export function compileGoRegexp(src: string): { re: RegExp; names: string[] } {
  const hit = cache.get(src);
  if (hit) return hit;
  const names: string[] = [''];
  let out = '';
  let i = 0;
  const n = src.length;
  // stack of open groups; each notes how many modifier groups to close at its end
  const groups: number[] = [];
  let pendingClose = 0;
  const fail = (msg: string): never => {
    // patterns may come from data: keep only the kind of problem
    throw new Error(`error parsing regexp: ${msg.replace(/: `[\s\S]*$/, '')}`);
  };
  const escapeLiteral = (ch: string) => (jsSyntax.has(ch) || ch === '-' ? `\\${ch}` : /[\s\S]/u.test(ch) && ch.length === 1 && ch.charCodeAt(0) < 0x20 ? `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}` : ch);
  const translateEscape = (inClass: boolean): string => {
    const c = src[i + 1];
    if (c === undefined) fail('trailing backslash at end of expression: ``');
    i += 2;
    if (c! in perlClasses) {
      const [set, neg] = perlClasses[c!]!;
      if (inClass) {
        if (neg) return `\\${c}`;
        return set;
      }
      return neg ? `[^${set}]` : `[${set}]`;
    }
    switch (c) {
      case 'A': return inClass ? fail('invalid escape sequence: `\\A`') : '(?<![\\s\\S])';
      case 'z': return inClass ? fail('invalid escape sequence: `\\z`') : '(?![\\s\\S])';
      case 'b': case 'B': return inClass ? fail(`invalid escape sequence: \`\\${c}\``) : `\\${c}`;
      case 'a': return '\\x07';
      case 'f': return '\\f';
      case 't': return '\\t';
      case 'n': return '\\n';
      case 'r': return '\\r';
      case 'v': return '\\v';
      case 'Q': {
        const end = src.indexOf('\\E', i);
        const lit = end < 0 ? src.slice(i) : src.slice(i, end);
        i = end < 0 ? n : end + 2;
        return [...lit].map((ch) => (inClass ? (ch === ']' || ch === '\\' || ch === '-' || ch === '^' ? `\\${ch}` : ch) : escapeLiteral(ch))).join('');
      }
      case 'x': {
        if (src[i] === '{') {
          const end = src.indexOf('}', i);
          const hex = src.slice(i + 1, end);
          if (end < 0 || !/^[0-9a-fA-F]+$/.test(hex) || parseInt(hex, 16) > 0x10ffff) fail('invalid escape sequence');
          i = end + 1;
          return `\\u{${hex}}`;
        }
        const hex = src.slice(i, i + 2);
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) fail('invalid escape sequence');
        i += 2;
        return `\\x${hex}`;
      }
      case 'p': case 'P': {
        let name: string;
        if (src[i] === '{') {
          const end = src.indexOf('}', i);
          if (end < 0) fail('invalid character class range');
          name = src.slice(i + 1, end);
          i = end + 1;
        } else {
          name = src[i] ?? '';
          i++;
        }
        let neg = c === 'P';
        if (name.startsWith('^')) {
          neg = !neg;
          name = name.slice(1);
        }
        const prop = name === 'Any' ? undefined : /^[A-Z][a-z]?$/.test(name) ? name : `Script=${name}`;
        if (!prop) return neg ? (inClass ? '' : '[^\\s\\S]') : inClass ? '\\s\\S' : '[\\s\\S]';
        try {
          new RegExp(`\\p{${prop}}`, 'u');
        } catch {
          fail(`invalid character class range: \`\\p{${name}}\``);
        }
        return `\\${neg ? 'P' : 'p'}{${prop}}`;
      }
    }
    if (c! >= '0' && c! <= '7') {
      // octal escapes \0 .. \777 (Go allows \0-prefixed and \1-\7 only when followed by digits)
      const m = /^[0-7]{1,3}/.exec(src.slice(i - 1))!;
      if (c !== '0' && m[0].length === 1) fail(`invalid escape sequence: \`\\${c}\``);
      i += m[0].length - 1;
      return `\\u{${parseInt(m[0], 8).toString(16)}}`;
    }
    if (/[!-\/:-@\[-`{-~]/.test(c!)) return inClass ? (c === ']' || c === '\\' || c === '-' || c === '^' ? `\\${c}` : c!) : escapeLiteral(c!);
    return fail(`invalid escape sequence: \`\\${c}\``);
  };

  while (i < n) {
    const ch = String.fromCodePoint(src.codePointAt(i)!);
    if (ch === '\\') {
      out += translateEscape(false);
      continue;
    }
    if (ch === '[') {
      let cls = '[';
      i++;
      if (src[i] === '^') {
        cls += '^';
        i++;
      }
      let first = true;
      while (i < n && (src[i] !== ']' || first)) {
        first = false;
        if (src.startsWith('[:', i)) {
          const end = src.indexOf(':]', i);
          if (end > 0) {
            let name = src.slice(i + 2, end);
            const neg = name.startsWith('^');
            if (neg) name = name.slice(1);
            const set = Object.hasOwn(posixClasses, name) ? posixClasses[name] : undefined;
            if (!set) fail(`invalid character class range: \`[:${name}:]\``);
            if (neg) fail('negated POSIX classes are not supported');
            cls += set;
            i = end + 2;
            continue;
          }
        }
        if (src[i] === '\\') {
          cls += translateEscape(true);
          continue;
        }
        const c2 = String.fromCodePoint(src.codePointAt(i)!);
        cls += c2 === '[' || c2 === '/' ? `\\${c2}` : c2;
        i += c2.length;
      }
      if (i >= n) fail(`missing closing ]: \`${src.slice(src.lastIndexOf('['))}\``);
      i++;
      out += `${cls}]`;
      continue;
    }
    if (ch === '(') {
      if (src.startsWith('(?P<', i) || src.startsWith('(?<', i)) {
        const start = src.indexOf('<', i) + 1;
        const end = src.indexOf('>', start);
        const name = src.slice(start, end);
        if (end < 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) fail(`invalid named capture: \`${src.slice(i, end + 1)}\``);
        if (names.includes(name)) fail(`duplicate capture group name: \`${name}\``);
        names.push(name);
        out += `(?<${name}>`;
        i = end + 1;
        groups.push(pendingClose);
        pendingClose = 0;
        continue;
      }
      if (src[i + 1] === '?') {
        const m = /^\(\?([imsU]*)(?:-([imsU]*))?(:|\))/.exec(src.slice(i));
        if (!m || (m[1] === '' && m[2] === undefined && m[3] === ')')) fail(`invalid or unsupported Perl syntax: \`${src.slice(i, i + 3)}\``);
        if ((m![1]! + (m![2] ?? '')).includes('U')) fail('the (?U) flag is not supported');
        const on = m![1]!;
        const off = m![2] ?? '';
        const mods = `${on}${off ? `-${off}` : ''}`;
        i += m![0].length;
        if (m![3] === ':') {
          out += mods === '' || mods === '-' ? '(?:' : `(?${mods}:`;
          groups.push(pendingClose);
          pendingClose = 0;
        } else if (mods !== '' && mods !== '-') {
          // flags until the end of the enclosing group
          out += `(?${mods}:`;
          pendingClose++;
        }
        continue;
      }
      names.push('');
      out += '(';
      i++;
      groups.push(pendingClose);
      pendingClose = 0;
      continue;
    }
    if (ch === ')') {
      if (groups.length === 0) fail(`unexpected ): \`${src}\``);
      out += ')'.repeat(pendingClose) + ')';
      pendingClose = groups.pop()!;
      i++;
      continue;
    }
    if (ch === '|' && pendingClose > 0) {
      // a flag group spans alternatives in Go only from where it appears; close and reopen is
      // not expressible, so keep the simple (common) case: flags at the start of the group.
      out += '|';
      i++;
      continue;
    }
    if (ch === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i));
      if (m) {
        if (Number(m[1]) > 1000 || (m[3] && Number(m[3]) > 1000)) fail(`invalid repeat count: \`${m[0]}\``);
        if (m[3] && Number(m[3]) < Number(m[1])) fail(`invalid repeat count: \`${m[0]}\``);
        out += m[0];
        i += m[0].length;
        continue;
      }
      out += '\\{';
      i++;
      continue;
    }
    if (ch === '}' || ch === ']' || ch === '/') {
      out += `\\${ch}`;
      i++;
      continue;
    }
    if ((ch === '*' || ch === '+' || ch === '?') && /[*+?]$/.test(out) && !/\\[*+?]$/.test(out) && !/[*+?}]\?$/.test(out + ch)) {
      if (ch !== '?') fail(`invalid nested repetition operator: \`${out.slice(-1)}${ch}\``);
    }
    out += ch;
    i += ch.length;
  }
  if (groups.length > 0) fail(`missing closing ): \`${src}\``);
  out += ')'.repeat(pendingClose);
  let re: RegExp;
  try {
    re = withBmpVariant(new RegExp(out, 'gu'));
  } catch {
    fail(`invalid or unsupported syntax: \`${src}\``);
  }
  const result = { re: re!, names };
  if (cache.size > 500) cache.clear();
  cache.set(src, result);
  return result;
}

interface Match {
  index: number;
  end: number;
  groups: Array<string | undefined>;
  named: Record<string, string | undefined>;
}

function execAt(pattern: RegExp, s: string, pos: number): Match | undefined {
  const re = forSubject(pattern, s);
  re.lastIndex = pos;
  const m = re.exec(s);
  if (!m) return undefined;
  return { index: m.index, end: m.index + m[0].length, groups: [...m], named: m.groups ?? {} };
}

const width = (s: string, pos: number) => (pos < s.length ? String.fromCodePoint(s.codePointAt(pos)!).length : 1);

export function findAll(src: string, s: string, n: number): Match[] {
  const { re } = compileGoRegexp(src);
  const out: Match[] = [];
  if (n < 0) n = s.length + 1;
  let pos = 0;
  let prevEnd = -1;
  while (out.length < n && pos <= s.length) {
    const m = execAt(re, s, pos);
    if (!m) break;
    let accept = true;
    if (m.end === pos) {
      if (m.index === prevEnd) accept = false;
      pos += width(s, pos);
    } else pos = m.end;
    prevEnd = m.end;
    if (accept) out.push(m);
  }
  return out;
}

function expand(template: string, m: Match, names: string[]): string {
  let out = '';
  let t = template;
  for (;;) {
    const k = t.indexOf('$');
    if (k < 0) break;
    out += t.slice(0, k);
    t = t.slice(k + 1);
    if (t[0] === '$') {
      out += '$';
      t = t.slice(1);
      continue;
    }
    const brace = t[0] === '{';
    const body = brace ? t.slice(1) : t;
    const nm = /^[\p{L}\p{Nd}_]+/u.exec(body);
    if (!nm || (brace && body[nm[0].length] !== '}')) {
      out += '$';
      continue;
    }
    const name = nm[0];
    t = body.slice(name.length + (brace ? 1 : 0));
    let num = /^\d+$/.test(name) && !(name[0] === '0' && name.length > 1) && name.length <= 8 ? Number(name) : -1;
    if (num >= 0) {
      if (num < m.groups.length) out += m.groups[num] ?? '';
    } else {
      num = names.indexOf(name);
      if (num > 0) out += m.groups[num] ?? '';
    }
  }
  return out + t;
}

export function replaceAll(src: string, s: string, repl: string, literal: boolean): string {
  const { re, names } = compileGoRegexp(src);
  let out = '';
  let lastEnd = 0;
  let pos = 0;
  while (pos <= s.length) {
    const m = execAt(re, s, pos);
    if (!m) break;
    out += s.slice(lastEnd, m.index);
    if (m.end > lastEnd || m.index === 0) out += literal ? repl : expand(repl, m, names);
    lastEnd = m.end;
    const w = width(s, pos);
    if (pos + w > m.end) pos += w;
    else if (pos + 1 > m.end) pos++;
    else pos = m.end;
  }
  return out + s.slice(lastEnd);
}

export function split(src: string, s: string, n: number): string[] {
  if (n === 0) return [];
  if (src.length > 0 && s.length === 0) return [''];
  const matches = findAll(src, s, n);
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const m of matches) {
    if (n > 0 && out.length === n - 1) break;
    end = m.index;
    if (m.end !== 0) out.push(s.slice(beg, end));
    beg = m.end;
  }
  if (end !== s.length) out.push(s.slice(beg));
  return out;
}

export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

const tryOr = <T>(f: () => T, d: T) => {
  try {
    return f();
  } catch {
    return d;
  }
};

const strs = (a: string[]) => typedArray(a, 'string');

export const regexFuncs: Record<string, GoFunc> = {
  regexMatch: { params: ['string', 'string'], fn: (a) => tryOr(() => findAll(a[0] as string, a[1] as string, 1).length > 0, false) },
  mustRegexMatch: { params: ['string', 'string'], fn: (a) => findAll(a[0] as string, a[1] as string, 1).length > 0 },
  regexFindAll: { params: ['string', 'string', 'int'], fn: (a) => strs(findAll(a[0] as string, a[1] as string, Number(a[2])).map((m) => m.groups[0]!)) },
  mustRegexFindAll: { params: ['string', 'string', 'int'], fn: (a) => strs(findAll(a[0] as string, a[1] as string, Number(a[2])).map((m) => m.groups[0]!)) },
  regexFind: { params: ['string', 'string'], fn: (a) => findAll(a[0] as string, a[1] as string, 1)[0]?.groups[0] ?? '' },
  mustRegexFind: { params: ['string', 'string'], fn: (a) => findAll(a[0] as string, a[1] as string, 1)[0]?.groups[0] ?? '' },
  regexReplaceAll: { params: ['string', 'string', 'string'], fn: (a) => replaceAll(a[0] as string, a[1] as string, a[2] as string, false) },
  mustRegexReplaceAll: { params: ['string', 'string', 'string'], fn: (a) => replaceAll(a[0] as string, a[1] as string, a[2] as string, false) },
  regexReplaceAllLiteral: { params: ['string', 'string', 'string'], fn: (a) => replaceAll(a[0] as string, a[1] as string, a[2] as string, true) },
  mustRegexReplaceAllLiteral: { params: ['string', 'string', 'string'], fn: (a) => replaceAll(a[0] as string, a[1] as string, a[2] as string, true) },
  regexSplit: { params: ['string', 'string', 'int'], fn: (a) => strs(split(a[0] as string, a[1] as string, Number(a[2]))) },
  mustRegexSplit: { params: ['string', 'string', 'int'], fn: (a) => strs(split(a[0] as string, a[1] as string, Number(a[2]))) },
  regexQuoteMeta: { params: ['string'], fn: (a) => quoteMeta(a[0] as string) },
};
