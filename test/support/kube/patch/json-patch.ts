// RFC 6902 JSON Patch, with the apiserver's error statuses (400 undecodable, 422 failed operation).
import { ApiError, badRequest } from '../status.js';
import { clone, isMap } from '../types.js';

type Op = { op: string; path: string; value?: unknown; from?: string };

const unescape = (s: string): string => s.replace(/~1/g, '/').replace(/~0/g, '~');

function pointer(p: string): string[] {
  if (p === '') return [];
  if (!p.startsWith('/')) throw fail(`invalid JSON pointer "${p}"`);
  return p.slice(1).split('/').map(unescape);
}

const fail = (msg: string): ApiError => new ApiError(422, 'Invalid', msg);

function parent(doc: unknown, path: string[]): { container: unknown; key: string } {
  let cur = doc;
  for (const seg of path.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(seg)];
    else if (isMap(cur)) cur = cur[seg];
    else cur = undefined;
    if (cur === undefined) throw fail(`doc is missing path: "/${path.join('/')}": missing value`);
  }
  return { container: cur, key: path[path.length - 1]! };
}

function get(doc: unknown, path: string[]): unknown {
  let cur = doc;
  for (const seg of path) {
    if (Array.isArray(cur)) cur = cur[Number(seg)];
    else if (isMap(cur)) cur = Object.hasOwn(cur, seg) ? cur[seg] : undefined;
    else return undefined;
  }
  return cur;
}

function add(doc: unknown, path: string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const { container, key } = parent(doc, path);
  if (Array.isArray(container)) {
    const i = key === '-' ? container.length : Number(key);
    if (!Number.isInteger(i) || i < 0 || i > container.length) throw fail(`add operation does not apply: doc is missing path: "/${path.join('/')}": missing value`);
    container.splice(i, 0, value);
  } else if (isMap(container)) (container as Record<string, unknown>)[key] = value;
  else throw fail(`add operation does not apply: doc is missing path: "/${path.join('/')}": missing value`);
  return doc;
}

function remove(doc: unknown, path: string[], op = 'remove'): unknown {
  const { container, key } = parent(doc, path);
  if (Array.isArray(container)) {
    const i = Number(key);
    if (!Number.isInteger(i) || i < 0 || i >= container.length) throw fail(`${op} operation does not apply: doc is missing path: "/${path.join('/')}": missing value`);
    container.splice(i, 1);
  } else if (isMap(container) && Object.hasOwn(container, key)) delete (container as Record<string, unknown>)[key];
  else throw fail(`${op} operation does not apply: doc is missing path: "/${path.join('/')}": missing value`);
  return doc;
}

export function applyJsonPatch(doc: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let out = clone(doc);
  for (const raw of patch as Op[]) {
    if (!isMap(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string') throw badRequest('the server rejected our request due to an error in our request');
    const path = pointer(raw.path);
    switch (raw.op) {
      case 'add': out = add(out, path, clone(raw.value)); break;
      case 'remove': out = remove(out, path); break;
      case 'replace':
        if (get(out, path) === undefined) throw fail(`replace operation does not apply: doc is missing key: ${raw.path}: missing value`);
        out = remove(out, path, 'replace');
        out = add(out, path, clone(raw.value));
        break;
      case 'move': {
        const from = pointer(raw.from ?? '');
        const v = get(out, from);
        if (v === undefined) throw fail(`move operation does not apply: doc is missing from path: ${raw.from}: missing value`);
        out = remove(out, from, 'move');
        out = add(out, path, v);
        break;
      }
      case 'copy': {
        const v = get(out, pointer(raw.from ?? ''));
        if (v === undefined) throw fail(`copy operation does not apply: doc is missing from path: ${raw.from}: missing value`);
        out = add(out, path, clone(v));
        break;
      }
      case 'test':
        if (JSON.stringify(get(out, path)) !== JSON.stringify(raw.value)) throw fail(`testing value ${raw.path} failed: test failed`);
        break;
      default: throw badRequest(`Unexpected kind: ${raw.op}`);
    }
  }
  return out;
}
