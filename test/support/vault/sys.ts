// `sys/*`: health, seal/unseal, mounts (secrets and auth), the UI mounts preflight used by the
// Vault CLI to detect KV versions, ACL policies, namespaces and capabilities-self.
import { type Ctx, type Reply, envelope, errors, noContent, notFound, badRequest, unsupportedPath, unsupportedOperation, permissionDenied } from './reply.js';
import { type AuthMount, type Mount, type Namespace, newMount, newNamespace } from './state.js';
import { parsePolicy, capabilities, anyAccessUnder } from './acl.js';
import { policiesOf } from './access.js';
import { accessorId, isPlainObject, uuid } from './util.js';
import { AUTH_METHODS } from './auth/index.js';

function mountInfo(m: Mount): Record<string, unknown> {
  return {
    accessor: m.accessor,
    config: { default_lease_ttl: 0, force_no_cache: false, max_lease_ttl: 0 },
    description: m.description,
    external_entropy_access: false,
    local: m.local,
    options: m.options,
    plugin_version: '',
    running_plugin_version: '',
    running_sha256: '',
    seal_wrap: false,
    type: m.type,
    uuid: m.uuid,
  };
}

function authInfo(a: AuthMount): Record<string, unknown> {
  return {
    accessor: a.accessor,
    config: { default_lease_ttl: 0, force_no_cache: false, max_lease_ttl: 0, token_type: 'default-service' },
    description: a.description,
    external_entropy_access: false,
    local: false,
    options: null,
    plugin_version: '',
    running_plugin_version: '',
    running_sha256: '',
    seal_wrap: false,
    type: a.type,
    uuid: a.uuid,
  };
}

export function sealStatus(ctx: Ctx): Record<string, unknown> {
  const s = ctx.state;
  return {
    type: 'shamir', initialized: true, sealed: s.sealed, t: 1, n: 1, progress: 0, nonce: '', version: s.version,
    build_date: '2024-01-01T00:00:00Z', migration: false, recovery_seal: false, storage_type: 'inmem',
    ...(s.sealed ? {} : { cluster_name: s.clusterName, cluster_id: s.clusterId }),
  };
}

function health(ctx: Ctx): Reply {
  const s = ctx.state;
  const q = ctx.query;
  const code = (name: string, dflt: number) => (q.has(name) ? Number(q.get(name)) : dflt);
  const status = s.sealed ? code('sealedcode', 503) : code('activecode', 200);
  return {
    status,
    body: ctx.method === 'HEAD' ? undefined : {
      initialized: true, sealed: s.sealed, standby: false, performance_standby: false,
      replication_performance_mode: 'disabled', replication_dr_mode: 'disabled',
      server_time_utc: Math.floor(s.now() / 1000), version: s.version,
      ...(s.sealed ? {} : { cluster_name: s.clusterName, cluster_id: s.clusterId }),
    },
  };
}

const normMount = (p: string) => (p.endsWith('/') ? p : `${p}/`);

function findMount(ns: Namespace, path: string): Mount | undefined {
  let best: Mount | undefined;
  for (const m of ns.mounts.values()) if (normMount(path).startsWith(m.path) && (!best || m.path.length > best.path.length)) best = m;
  return best;
}

export function handleSys(ctx: Ctx, rest: string): Reply {
  const { state, ns, method, body } = ctx;
  if (rest === 'health') return method === 'GET' || method === 'HEAD' ? health(ctx) : unsupportedOperation();
  if (rest === 'seal-status') return { status: 200, body: sealStatus(ctx) };
  if (rest === 'unseal') {
    if (body.reset === true) return { status: 200, body: sealStatus(ctx) };
    if (typeof body.key !== 'string' || body.key === '') return badRequest("'key' must be specified in request body as JSON, or 'reset' set to true");
    if (body.key !== state.unsealKey) return badRequest('Unseal failed, invalid key');
    state.sealed = false;
    return { status: 200, body: sealStatus(ctx) };
  }
  if (rest === 'seal') {
    if (method !== 'POST') return unsupportedOperation();
    state.sealed = true;
    return noContent();
  }
  if (rest === 'mounts' && method === 'GET') {
    const map = Object.fromEntries([...ns.mounts.values()].map((m) => [m.path, mountInfo(m)]));
    return envelope({ data: map, mountType: 'system', extra: map });
  }
  let m = /^mounts\/(.+?)(\/tune)?$/.exec(rest);
  if (m) {
    const path = normMount(m[1]!);
    if (m[2]) {
      const mt = ns.mounts.get(path);
      return mt ? envelope({ data: { default_lease_ttl: 2764800, max_lease_ttl: 2764800, force_no_cache: false, description: mt.description, options: mt.options }, mountType: 'system' }) : badRequest(`cannot fetch sysview for path "${path}"`);
    }
    if (method === 'GET') { const mt = ns.mounts.get(path); return mt ? envelope({ data: mountInfo(mt), mountType: 'system' }) : badRequest(`No secret engine mount at ${path}`); }
    if (method === 'DELETE') { ns.mounts.delete(path); return noContent(); }
    if (method !== 'POST') return unsupportedOperation();
    if (ns.mounts.has(path)) return badRequest(`path is already in use at ${path}`);
    let type = String(body.type ?? '');
    const options = isPlainObject(body.options) ? (body.options as Record<string, string>) : {};
    let version: 1 | 2 = options.version === '2' || Number(options.version) === 2 ? 2 : 1;
    if (type === 'kv-v2') { type = 'kv'; version = 2; }
    if (type === 'generic') type = 'kv';
    if (type !== 'kv') return badRequest(`plugin not found in the catalog: ${type}`);
    ns.mounts.set(path, newMount(path, 'kv', { version, description: String(body.description ?? ''), options }));
    return noContent();
  }
  if (rest === 'auth' && method === 'GET') {
    const map = Object.fromEntries([...ns.auths.values()].map((a) => [a.path, authInfo(a)]));
    return envelope({ data: map, mountType: 'system', extra: map });
  }
  m = /^auth\/(.+)$/.exec(rest);
  if (m) {
    const path = normMount(m[1]!);
    if (method === 'DELETE') { if (path !== 'token/') ns.auths.delete(path); return noContent(); }
    if (method !== 'POST') return unsupportedOperation();
    const type = String(body.type ?? '');
    if (!AUTH_METHODS[type]) return badRequest(`plugin not found in the catalog: ${type}`);
    if (ns.auths.has(path)) return badRequest(`path is already in use at auth/${path}`);
    ns.auths.set(path, { path, type, description: String(body.description ?? ''), accessor: `auth_${type}_${accessorId().slice(0, 8).toLowerCase()}`, uuid: uuid(), state: {} });
    return noContent();
  }
  if (rest === 'internal/ui/mounts') {
    const secret = Object.fromEntries([...ns.mounts.values()].map((x) => [x.path, mountInfo(x)]));
    const auth = Object.fromEntries([...ns.auths.values()].map((x) => [x.path, authInfo(x)]));
    return envelope({ data: { secret, auth }, mountType: 'system' });
  }
  m = /^internal\/ui\/mounts\/(.+)$/.exec(rest) ?? /^mounts-all\/(.+)$/.exec(rest);
  if (m) {
    if (!ctx.token) return permissionDenied();
    const mt = findMount(ns, m[1]!);
    if (!mt) return badRequest(`no mount found for path "${m[1]}"`);
    const tok = ctx.token;
    if (!tok.policies.includes('root') && !anyAccessUnder(policiesOf(ctx.state, tok), relPrefix(tok.ns, ns) + mt.path)) {
      return errors(403, `preflight capability check returned 403, please ensure client's policies grant access to path "${mt.path}"`);
    }
    return envelope({ data: { ...mountInfo(mt), path: mt.path }, mountType: 'system' });
  }
  if (rest === 'policy' || rest === 'policies/acl' || rest === 'policies/acl/') {
    if (method !== 'GET' && method !== 'LIST') return unsupportedOperation();
    const keys = ['default', ...[...ns.policies.keys()].filter((k) => k !== 'default').sort(), ...(ns.path === '' ? ['root'] : [])];
    return envelope({ data: rest === 'policy' ? { keys, policies: keys } : { keys }, mountType: 'system', extra: rest === 'policy' ? { keys, policies: keys } : {} });
  }
  m = /^(?:policy|policies\/acl)\/(.+)$/.exec(rest);
  if (m) {
    const name = m[1]!.toLowerCase();
    if (method === 'GET') {
      const p = ns.policies.get(name);
      if (!p) return notFound();
      const data = rest.startsWith('policy/') ? { name, rules: p.raw } : { name, policy: p.raw };
      return envelope({ data, mountType: 'system', extra: data });
    }
    if (method === 'DELETE') {
      if (name === 'default' || name === 'root') return badRequest(`cannot delete "${name}" policy`);
      ns.policies.delete(name);
      return noContent();
    }
    if (method !== 'POST') return unsupportedOperation();
    if (name === 'root') return badRequest('cannot update "root" policy');
    const raw = String(body.policy ?? body.rules ?? '');
    if (raw === '') return badRequest("'policy' parameter not supplied or empty");
    try { ns.policies.set(name, parsePolicy(name, raw)); } catch (e) { return badRequest(`failed to parse policy: ${(e as Error).message}`); }
    return noContent();
  }
  if (rest === 'namespaces' || rest === 'namespaces/') {
    if (method !== 'LIST' && method !== 'GET') return unsupportedOperation();
    const keys = [...ns.children.keys()].map((k) => `${k}/`).sort();
    if (keys.length === 0) return notFound();
    const key_info = Object.fromEntries([...ns.children.values()].map((c) => [`${c.path.slice(ns.path.length)}`, { id: c.id, path: c.path, custom_metadata: c.customMetadata }]));
    return envelope({ data: { keys, key_info }, mountType: 'system' });
  }
  m = /^namespaces\/([^/]+)\/?$/.exec(rest);
  if (m) {
    const name = m[1]!;
    const child = ns.children.get(name);
    if (method === 'GET') return child ? envelope({ data: { id: child.id, path: child.path, custom_metadata: child.customMetadata }, mountType: 'system' }) : notFound();
    if (method === 'DELETE') { ns.children.delete(name); return noContent(); }
    if (method !== 'POST') return unsupportedOperation();
    const created = child ?? newNamespace(`${ns.path}${name}/`, ns);
    if (isPlainObject(body.custom_metadata)) created.customMetadata = body.custom_metadata as Record<string, string>;
    ns.children.set(name, created);
    return envelope({ data: { id: created.id, path: created.path, custom_metadata: created.customMetadata }, mountType: 'system' });
  }
  if (rest === 'capabilities-self') {
    const tok = ctx.token!;
    const paths = Array.isArray(body.paths) ? body.paths.map(String) : typeof body.path === 'string' ? [body.path] : [];
    const data: Record<string, string[]> = {};
    for (const p of paths) {
      const caps = tok.policies.includes('root') ? ['root'] : [...capabilities(policiesOf(ctx.state, tok), relPrefix(tok.ns, ns) + p)].sort();
      data[p] = caps.length > 0 ? caps : ['deny'];
    }
    if (paths.length === 1) data.capabilities = data[paths[0]!]!;
    return envelope({ data, mountType: 'system', extra: data });
  }
  return unsupportedPath(`sys/${rest}`);
}

/** The namespace path of `inner` relative to the token's namespace `outer` (Vault evaluates policies that way). */
export function relPrefix(outer: Namespace, inner: Namespace): string {
  return inner.path.slice(outer.path.length);
}

