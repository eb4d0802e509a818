// Maps a URL to what it addresses: a non-resource path, or group/version/resource[/name[/sub]] in a namespace.
import type { ResourceDef } from './types.js';
import type { Registry } from './registry.js';
import { pathNotFound } from './status.js';

export interface ResourceRoute {
  def: ResourceDef;
  group: string;
  version: string;
  ns: string | undefined;
  name: string | undefined;
  sub: string;
  rest: string; // after …/proxy
}

export type Route = { kind: 'nonresource'; path: string } | { kind: 'discovery'; group: string; version: string } | { kind: 'resource'; r: ResourceRoute };

export function route(reg: Registry, pathname: string): Route {
  const segs = pathname.split('/').slice(1).map(decodeURIComponent);
  while (segs.length && segs[segs.length - 1] === '') segs.pop();
  let group: string, version: string, rest: string[];
  if (segs[0] === 'api' && segs.length >= 2) { group = ''; version = segs[1]!; rest = segs.slice(2); }
  else if (segs[0] === 'apis' && segs.length >= 3) { group = segs[1]!; version = segs[2]!; rest = segs.slice(3); }
  else return { kind: 'nonresource', path: pathname };
  if (!rest.length) return { kind: 'discovery', group, version };
  let ns: string | undefined, resource: string, after: string[];
  const nsDef = rest[0] === 'namespaces' && rest.length >= 3 ? reg.find(group, version, rest[2]!) : undefined;
  if (nsDef?.namespaced) { ns = rest[1]; resource = rest[2]!; after = rest.slice(3); }
  else { resource = rest[0]!; after = rest.slice(1); }
  const def = reg.find(group, version, resource);
  if (!def) throw pathNotFound();
  if (!def.namespaced && ns !== undefined) throw pathNotFound();
  if (def.namespaced && ns === undefined && after.length > 0 && !def.virtual) throw pathNotFound();
  const name = after[0];
  const sub = after[1] ?? '';
  if (sub && !def.subresources.includes(sub)) throw pathNotFound();
  if (name === '') throw pathNotFound();
  const tail = sub === 'proxy' ? (pathname.match(/\/proxy(\/.*)?$/)?.[1] ?? '/') : '';
  if (sub !== 'proxy' && after.length > 2) throw pathNotFound();
  return { kind: 'resource', r: { def, group, version, ns, name, sub, rest: tail } };
}

export function verbOf(method: string, r: ResourceRoute, watch: boolean): string {
  if (r.sub === 'proxy') return ({ GET: 'get', HEAD: 'get', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete', OPTIONS: 'get' } as Record<string, string>)[method] ?? 'get';
  switch (method) {
    case 'GET': case 'HEAD': return watch ? 'watch' : r.name ? 'get' : 'list';
    case 'POST': return 'create';
    case 'PUT': return 'update';
    case 'PATCH': return 'patch';
    case 'DELETE': return r.name ? 'delete' : 'deletecollection';
    default: return method.toLowerCase();
  }
}
