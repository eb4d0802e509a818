// A strict reader for one block-style YAML mapping (what `kubectl create secret --dry-run=client
// -o yaml` prints): nested mappings (and `{}`) of plain, quoted, null and true/false scalars, full-line
// comments, an optional leading `---`. Anything else (lists, flow style, block scalars, anchors,
// tags, multi-line scalars, several documents, duplicate keys, ...) throws NotHandled.
import { isPlainString, NotHandled } from './scalar.js';

export type Value = string | boolean | null | Mapping;
export interface Mapping { [key: string]: Value }

const MAX_DEPTH = 20;
// Tabs, CR, C0/C1 controls, NEL, U+2028/9 and the BOM are the normal path's business (surrogates
// come in pairs: the text is decoded from valid UTF-8).
const OUTSIDE = /[^\n\x20-\x7e\u00a0-\u2027\u202a-\ufefe\uff00-\ufffd]/;
const ENTRY = /^( *)([A-Za-z0-9_./+][A-Za-z0-9_./+-]*):(?: +(.*))?$/;

const no = (why: string): never => { throw new NotHandled(why); };

export function readYamlMapping(text: string): Mapping {
  if (OUTSIDE.test(text)) no('character outside the subset');
  const lines = text.split('\n').filter((l) => !/^ *(?:#.*)?$/.test(l));
  if (lines[0] === '---') lines.shift();
  if (lines.length === 0) no('no mapping');
  const root: Mapping = {};
  // The open mappings, innermost last, each with the indent of its keys (undefined until the first key).
  const stack: Array<{ map: Mapping; indent: number | undefined }> = [{ map: root, indent: 0 }];
  let pending: { map: Mapping; key: string } | undefined; // a `key:` whose value is on the next lines
  for (const line of lines) {
    const m = ENTRY.exec(line) ?? no('not a `key: value` line');
    const indent = (m[1] as string).length;
    const key = m[2] as string;
    if (!isPlainString(key) || key.length > 200 || key === '__proto__') no('key outside the subset');
    if (pending) {
      const parent = stack[stack.length - 1] as { indent: number };
      if (indent > parent.indent) {
        if (stack.length > MAX_DEPTH) no('too deep');
        const child: Mapping = {};
        pending.map[pending.key] = child;
        stack.push({ map: child, indent });
      } else {
        pending.map[pending.key] = null;
      }
      pending = undefined;
    }
    while (indent < (stack[stack.length - 1]?.indent as number)) stack.pop();
    const top = stack[stack.length - 1] ?? no('bad indentation');
    if (indent !== top.indent) no('bad indentation');
    if (Object.hasOwn(top.map, key)) no('duplicate key');
    const rest = m[3] === undefined ? '' : stripComment(m[3]);
    if (rest === '') {
      pending = { map: top.map, key };
      top.map[key] = null; // holds the key's place (and order) until its value is known
    } else {
      top.map[key] = readScalar(rest);
    }
  }
  if (pending) pending.map[pending.key] = null;
  return root;
}

/** The value text without a trailing ` # comment` and trailing spaces (quoted values keep their `#`). */
function stripComment(v: string): string {
  if (v.startsWith('"') || v.startsWith("'")) return v;
  const hash = v.startsWith('#') ? 0 : v.indexOf(' #');
  return (hash < 0 ? v : v.slice(0, hash)).replace(/ +$/, '');
}

function readScalar(v: string): Value {
  if (v.startsWith('"')) return readDoubleQuoted(v);
  if (v.startsWith("'")) return readSingleQuoted(v);
  if (v === '{}') return {};
  if (v === 'null' || v === '~') return null;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return isPlainString(v) ? v : no('plain scalar outside the subset');
}

const ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', n: '\n', t: '\t', r: '\r' };

function readDoubleQuoted(v: string): string {
  let out = '';
  let i = 1;
  for (;;) {
    const c = v[i] ?? no('unterminated double-quoted scalar');
    if (c === '"') break;
    if (c === '\\') {
      const e = v[i + 1] ?? '';
      if (e in ESCAPES) { out += ESCAPES[e]; i += 2; continue; }
      const hex = e === 'u' ? /^[0-9a-fA-F]{4}/.exec(v.slice(i + 2))?.[0] : undefined;
      const code = hex === undefined ? -1 : parseInt(hex, 16);
      if (code < 0x20 || (code >= 0xd800 && code <= 0xdfff)) no('escape outside the subset');
      out += String.fromCharCode(code);
      i += 6;
      continue;
    }
    out += c;
    i++;
  }
  return afterQuote(v.slice(i + 1), out);
}

function readSingleQuoted(v: string): string {
  let out = '';
  let i = 1;
  for (;;) {
    const c = v[i] ?? no('unterminated single-quoted scalar');
    if (c === "'") {
      if (v[i + 1] !== "'") break;
      out += "'";
      i += 2;
      continue;
    }
    out += c;
    i++;
  }
  return afterQuote(v.slice(i + 1), out);
}

/** After the closing quote only spaces and a ` # comment` may follow. */
function afterQuote(tail: string, value: string): string {
  return /^(?: +(?:#.*)?)?$/.test(tail) ? value : no('text after a quoted scalar');
}
