// strconv.Unquote and UnquoteChar for template string and character literals.
import { bytesToGoString } from './value.js';

const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92 };

/** Decodes one (possibly escaped) char at s[i]; returns [bytes or code point, next index]. */
function unquoteChar(s: string, i: number, quote: string): { cp?: number; byte?: number; next: number } {
  const c = s[i]!;
  if (c === quote && (quote === "'" || quote === '"')) throw new Error('invalid syntax');
  if (c !== '\\') {
    const cp = s.codePointAt(i)!;
    return { cp, next: i + (cp > 0xffff ? 2 : 1) };
  }
  const e = s[i + 1];
  if (e === undefined) throw new Error('invalid syntax');
  if (e in simple) return { cp: simple[e]!, next: i + 2 };
  switch (e) {
    case "'": case '"':
      if (e !== quote) throw new Error('invalid syntax');
      return { cp: e.charCodeAt(0), next: i + 2 };
    case 'x': case 'u': case 'U': {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = s.slice(i + 2, i + 2 + n);
      if (hex.length !== n || !/^[0-9a-fA-F]+$/.test(hex)) throw new Error('invalid syntax');
      const v = parseInt(hex, 16);
      if (e === 'x') return { byte: v, next: i + 2 + n };
      if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) throw new Error('invalid syntax');
      return { cp: v, next: i + 2 + n };
    }
    default:
      if (e >= '0' && e <= '7') {
        const oct = s.slice(i + 1, i + 4);
        if (!/^[0-7]{3}$/.test(oct)) throw new Error('invalid syntax');
        const v = parseInt(oct, 8);
        if (v > 255) throw new Error('invalid syntax');
        return { byte: v, next: i + 4 };
      }
      throw new Error('invalid syntax');
  }
}

export function unquote(s: string): string {
  const q = s[0];
  if (s.length < 2 || s[s.length - 1] !== q) throw new Error('invalid syntax');
  const body = s.slice(1, -1);
  if (q === '`') {
    if (body.includes('`')) throw new Error('invalid syntax');
    return body.replaceAll('\r', '');
  }
  if (q !== '"') throw new Error('invalid syntax');
  if (!body.includes('\\') && !body.includes('"') && !body.includes('\n')) return body;
  const bytes: number[] = [];
  let i = 0;
  while (i < body.length) {
    if (body[i] === '\n') throw new Error('invalid syntax');
    const r = unquoteChar(body, i, '"');
    if (r.byte !== undefined) bytes.push(r.byte);
    else for (const b of Buffer.from(String.fromCodePoint(r.cp!), 'utf8')) bytes.push(b);
    i = r.next;
  }
  return bytesToGoString(Uint8Array.from(bytes));
}

/** A character constant like 'a' or '\n' → its code point. */
export function unquoteCharConstant(s: string): number {
  if (s[0] !== "'") throw new Error('malformed character constant');
  const r = unquoteChar(s, 1, "'");
  if (s.slice(r.next) !== "'") throw new Error(`malformed character constant: ${s}`);
  return r.cp ?? r.byte!;
}
