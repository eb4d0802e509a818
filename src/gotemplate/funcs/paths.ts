// Sprig's path/filepath helpers (Go's path package; Linux filepath is the same) and urlParse/urlJoin.
import type { GoFunc, Value } from '../value.js';
import { goKindName } from '../value.js';

/** path.Clean. */
export function clean(p: string): string {
  if (p === '') return '.';
  const rooted = p[0] === '/';
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
      else if (!rooted) parts.push('..');
      continue;
    }
    parts.push(seg);
  }
  const out = (rooted ? '/' : '') + parts.join('/');
  return out === '' ? '.' : out;
}

function base(p: string): string {
  if (p === '') return '.';
  p = p.replace(/\/+$/, '');
  const i = p.lastIndexOf('/');
  if (i >= 0) p = p.slice(i + 1);
  return p === '' ? '/' : p;
}

function dir(p: string): string {
  const i = p.lastIndexOf('/');
  return clean(p.slice(0, i + 1));
}

function ext(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== '/'; i--) if (p[i] === '.') return p.slice(i);
  return '';
}

function unescape(s: string): string {
  try {
    return decodeURIComponent(s.replace(/%(?![0-9a-fA-F]{2})/g, '%25'));
  } catch {
    throw new Error(`unable to parse url: invalid URL escape`);
  }
}

function urlParse(v: string): Map<string, Value> {
  const m = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/s.exec(v);
  if (!m || /[\x00-\x1f\x7f]/.test(v)) throw new Error('unable to parse url: invalid control character in URL');
  const scheme = (m[1] ?? '').toLowerCase();
  const authority = m[3] ?? '';
  let userinfo = '';
  let host = authority;
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    userinfo = authority.slice(0, at);
    host = authority.slice(at + 1);
  }
  let path = m[4] ?? '';
  let opaque = '';
  if (scheme !== '' && m[2] === undefined && path !== '' && path[0] !== '/') {
    opaque = path;
    path = '';
  }
  const hostname = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d*$/, '');
  const d = new Map<string, Value>();
  d.set('scheme', scheme);
  d.set('host', unescape(host));
  d.set('hostname', unescape(hostname));
  d.set('path', unescape(path));
  d.set('query', m[5] ?? '');
  d.set('opaque', opaque);
  d.set('fragment', unescape(m[6] ?? ''));
  d.set('userinfo', userinfo);
  return d;
}

function str(d: Map<string, Value>, k: string): string {
  if (!d.has(k)) return '';
  const v = d.get(k);
  if (typeof v !== 'string') throw new Error(`unable to parse ${k} key, must be of type string, but ${goKindName(v)} found`);
  return v;
}

const escapePath = (p: string) => p.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]/gu, (c) => encodeURIComponent(c));

function urlJoin(d: Map<string, Value>): string {
  const scheme = str(d, 'scheme');
  const host = str(d, 'host');
  const path = str(d, 'path');
  const query = str(d, 'query');
  const opaque = str(d, 'opaque');
  const fragment = str(d, 'fragment');
  const userinfo = str(d, 'userinfo');
  let out = '';
  if (scheme) out += `${scheme}:`;
  if (opaque) out += opaque;
  else {
    if (scheme || host || userinfo) {
      if (host || path || userinfo) out += '//';
      if (userinfo) out += `${userinfo}@`;
      out += host;
    }
    if (path && path[0] !== '/' && host) out += '/';
    out += escapePath(path);
  }
  if (query) out += `?${query}`;
  if (fragment) out += `#${escapePath(fragment)}`;
  return out;
}

const s1 = (f: (s: string) => Value): GoFunc => ({ params: ['string'], fn: (a) => f(a[0] as string) });

export const pathFuncs: Record<string, GoFunc> = {
  base: s1(base), dir: s1(dir), clean: s1(clean), ext: s1(ext), isAbs: s1((p) => p.startsWith('/')),
  osBase: s1(base), osDir: s1(dir), osClean: s1(clean), osExt: s1(ext), osIsAbs: s1((p) => p.startsWith('/')),
  urlParse: s1(urlParse),
  urlJoin: { params: ['map'], fn: (a) => urlJoin(a[0] as Map<string, Value>) },
};
