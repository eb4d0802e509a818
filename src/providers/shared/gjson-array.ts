// gjson's array step: index (`0`), length (`#`), collect (`#.key`) and queries (`#(k==v)`, `#(..)#`).
import {
  type Ctx, type GResult, gjsonGet, none, parseObject, parseSquash, isValueStart, readValue, resultGet, resultString, unescape,
} from './gjson.js';
import { parseGoFloat } from './go-json.js';
import { wildcardMatch } from './wildcard.js';

interface ArrayPath {
  part: string; path: string; pipe: string; piped: boolean; more: boolean;
  alogok: boolean; arrch: boolean; alogkey: string;
  query: { on: boolean; all: boolean; path: string; op: string; value: string };
}

function trim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s[a]! <= ' ') a++;
  while (b > a && s[b - 1]! <= ' ') b--;
  return s.slice(a, b);
}

function parseArrayPath(path: string): ArrayPath {
  const r: ArrayPath = {
    part: '', path: '', pipe: '', piped: false, more: false, alogok: false, arrch: false, alogkey: '',
    query: { on: false, all: false, path: '', op: '', value: '' },
  };
  for (let i = 0; i < path.length; i++) {
    const ch = path[i];
    if (ch === '|') { r.part = path.slice(0, i); r.pipe = path.slice(i + 1); r.piped = true; return r; }
    if (ch === '.') { r.part = path.slice(0, i); r.path = path.slice(i + 1); r.more = true; return r; }
    if (ch === '#') {
      r.arrch = true;
      if (i === 0 && path.length > 1) {
        if (path[1] === '.') {
          r.alogok = true; r.alogkey = path.slice(2); r.path = path.slice(0, 1);
        } else if (path[1] === '[' || path[1] === '(') {
          r.query.on = true;
          const q = parseQuery(path.slice(i));
          if (!q) break;
          let value = q.value;
          if (value.length >= 2 && value[0] === '"' && value[value.length - 1] === '"') {
            value = value.slice(1, -1);
            if (q.vesc) value = unescape(value);
          }
          r.query.path = q.path; r.query.op = q.op; r.query.value = value;
          i = q.i - 1;
          if (i + 1 < path.length && path[i + 1] === '#') r.query.all = true;
        }
      }
      continue;
    }
  }
  r.part = path;
  r.path = '';
  return r;
}

function parseQuery(query: string): { path: string; op: string; value: string; i: number; vesc: boolean } | undefined {
  if (query.length < 2 || query[0] !== '#' || (query[1] !== '(' && query[1] !== '[')) return undefined;
  let i = 2;
  let j = 0;
  let depth = 1;
  let vesc = false;
  for (; i < query.length; i++) {
    const ch = query[i];
    if (depth === 1 && j === 0 && (ch === '!' || ch === '=' || ch === '<' || ch === '>' || ch === '%')) {
      j = i;
      continue;
    }
    if (ch === '\\') i++;
    else if (ch === '[' || ch === '(') depth++;
    else if (ch === ']' || ch === ')') { depth--; if (depth === 0) break; }
    else if (ch === '"') {
      i++;
      for (; i < query.length; i++) {
        if (query[i] === '\\') { vesc = true; i++; } else if (query[i] === '"') break;
      }
    }
  }
  if (depth > 0) return undefined;
  if (j === 0) return { path: trim(query.slice(2, i)), op: '', value: '', i: i + 1, vesc };
  const path = trim(query.slice(2, j));
  let value = trim(query.slice(j, i));
  let opsz = 0;
  const two = value.slice(0, 2);
  if (value.length === 1) opsz = 1;
  else if (two === '!=' || two === '!%' || two === '<=' || two === '>=') opsz = 2;
  else if (two === '==') { value = value.slice(1); opsz = 1; }
  else if (value[0] === '<' || value[0] === '>' || value[0] === '=' || value[0] === '%') opsz = 1;
  return { path, op: value.slice(0, opsz), value: trim(value.slice(opsz)), i: i + 1, vesc };
}

function resultBool(r: GResult): boolean {
  if (r.type === 'True') return true;
  if (r.type === 'String') { const s = r.str.toLowerCase(); return s === '1' || s === 't' || s === 'true'; }
  if (r.type === 'Number') return r.num !== 0;
  return false;
}

function queryMatches(rp: ArrayPath, value: GResult): boolean {
  let rpv = rp.query.value;
  if (rpv.length > 0 && rpv[0] === '~') {
    rpv = rpv.slice(1);
    value = { ...none(), exists: true, type: resultBool(value) ? 'True' : 'False' };
  }
  if (!value.exists) return false;
  const op = rp.query.op;
  if (op === '') return true;
  switch (value.type) {
    case 'String': {
      const s = value.str;
      switch (op) {
        case '=': return s === rpv;
        case '!=': return s !== rpv;
        case '<': return s < rpv;
        case '<=': return s <= rpv;
        case '>': return s > rpv;
        case '>=': return s >= rpv;
        case '%': return wildcardMatch(s, rpv);
        case '!%': return !wildcardMatch(s, rpv);
      }
      return false;
    }
    case 'Number': {
      const n = parseGoFloat(rpv);
      const v = value.num;
      switch (op) {
        case '=': return v === n;
        case '!=': return v !== n;
        case '<': return v < n;
        case '<=': return v <= n;
        case '>': return v > n;
        case '>=': return v >= n;
      }
      return false;
    }
    case 'True':
      return op === '=' ? rpv === 'true' : op === '!=' ? rpv !== 'true' : op === '>' ? rpv === 'false' : op === '>=';
    case 'False':
      return op === '=' ? rpv === 'false' : op === '!=' ? rpv !== 'false' : op === '<' ? rpv === 'true' : op === '<=';
    default:
      return false;
  }
}

/** gjson's splitPossiblePipe: the first top-level `|` outside `#(...)` selectors. */
function splitPossiblePipe(path: string): [string, string] | undefined {
  if (!path.includes('|')) return undefined;
  if (path[0] === '{') return undefined; // multipath selectors are not supported
  for (let i = 0; i < path.length; i++) {
    if (path[i] === '\\') { i++; continue; }
    if (path[i] === '.') {
      if (i === path.length - 1) return undefined;
      if (path[i + 1] === '#') {
        i += 2;
        if (i === path.length) return undefined;
        if (path[i] === '[' || path[i] === '(') {
          const start = path[i];
          const end = start === '[' ? ']' : ')';
          i++;
          let depth = 1;
          for (; i < path.length; i++) {
            if (path[i] === '\\') i++;
            else if (path[i] === start) depth++;
            else if (path[i] === end) { depth--; if (depth === 0) break; }
            else if (path[i] === '"') {
              i++;
              for (; i < path.length; i++) { if (path[i] === '\\') i++; else if (path[i] === '"') break; }
            }
          }
        }
      }
    } else if (path[i] === '|') {
      return [path.slice(0, i), path.slice(i + 1)];
    }
  }
  return undefined;
}

export function parseArray(c: Ctx, i: number, path: string): [number, boolean] {
  const rp = parseArrayPath(path);
  const json = c.json;
  let partidx = -1;
  if (!rp.arrch && /^[0-9]+$/.test(rp.part)) partidx = Number(rp.part);
  if (!rp.more && rp.piped) { c.pipe = rp.pipe; c.piped = true; }
  const multires: string[] = [];
  const alog: number[] = [];
  let h = 0;

  const procQuery = (qval: GResult): boolean => {
    let res: GResult;
    if (qval.type === 'JSON') res = resultGet(qval, rp.query.path);
    else { if (rp.query.path !== '') return false; res = qval; }
    if (!queryMatches(rp, res)) return false;
    if (rp.more) {
      const split = splitPossiblePipe(rp.path);
      if (split) { rp.path = split[0]; c.pipe = split[1]; c.piped = true; }
      res = resultGet(qval, rp.path);
    } else {
      res = qval;
    }
    if (rp.query.all) {
      const raw = res.raw.length === 0 ? resultString(res) : res.raw;
      if (raw !== '') multires.push(raw);
      return false;
    }
    c.value = res;
    return true;
  };

  while (i < json.length + 1) {
    let pmatch = false;
    let hit = false;
    if (!rp.arrch) { pmatch = partidx === h; hit = pmatch && !rp.more; }
    h++;
    if (rp.alogok) alog.push(i);
    const j = nextToken(json, i);
    // end of input behaves like the closing bracket
    const ch = j >= json.length ? ']' : json[j]!;
    if (ch === ']') return closeArray(c, rp, j, h, alog, multires);
    if (pmatch && !hit && (ch === '{' || ch === '[')) {
      const [n, found] = ch === '{' ? parseObject(c, j + 1, rp.path) : parseArray(c, j + 1, rp.path);
      if (found) return [n, true];
      i = n;
      continue;
    }
    const [n, v] = readValue(json, j);
    if (!v) return [n, false];
    if (rp.query.on) {
      if (procQuery(v)) return [n, true];
    } else if (hit && !rp.alogok) {
      c.value = v;
      return [n, true];
    }
    i = n;
  }
  return [i, false];
}

/** The next character gjson's array scanner stops at: a value start or the closing bracket. */
function nextToken(json: string, i: number): number {
  for (; i < json.length; i++) {
    if (json[i] === ']' || isValueStart(json[i]!)) return i;
  }
  return i;
}

function closeArray(
  c: Ctx, rp: ArrayPath, at: number, h: number, alog: number[], multires: string[],
): [number, boolean] {
  const json = c.json;
  if (rp.arrch && rp.part === '#') {
    if (rp.alogok) {
      const split = splitPossiblePipe(rp.alogkey);
      if (split) { rp.alogkey = split[0]; c.pipe = split[1]; c.piped = true; }
      const parts: string[] = [];
      for (const start of alog) {
        let idx = start;
        while (idx < json.length && ' \t\r\n'.includes(json[idx]!)) idx++;
        if (idx < json.length && json[idx] !== ']') {
          const [, v] = readValue(json, idx);
          if (v) {
            const res = gjsonGet(v.raw, rp.alogkey);
            if (res.exists) parts.push(res.raw.length === 0 ? resultString(res) : res.raw);
          }
        }
      }
      c.value = { type: 'JSON', raw: `[${parts.join(',')}]`, str: '', num: 0, exists: true };
      return [at + 1, true];
    }
    c.value = { type: 'Number', raw: String(h - 1), str: '', num: h - 1, exists: true };
    return [at + 1, true];
  }
  if (!c.value.exists) {
    if (multires.length > 0) c.value = { type: 'JSON', raw: `[${multires.join(',')}]`, str: '', num: 0, exists: true };
    else if (rp.query.all) c.value = { type: 'JSON', raw: '[]', str: '', num: 0, exists: true };
  }
  return [at + 1, false];
}
