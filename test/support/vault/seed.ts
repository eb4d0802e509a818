// One-call configuration for tests, done through the server's own HTTP API with the root token,
// exactly as an operator would configure a real Vault.
import { httpJson } from './auth/http-client.js';

export interface SeedAuth {
  type: 'approle' | 'kubernetes' | 'jwt' | 'userpass' | 'cert';
  config?: Record<string, unknown>;
  /** approle/kubernetes/jwt roles, userpass users or cert entries, by name. */
  roles?: Record<string, Record<string, unknown>>;
}

export interface SeedSpec {
  /** Namespace the rest of the spec is applied in (created if missing). */
  namespace?: string;
  namespaces?: string[];
  mounts?: Record<string, { type?: 'kv' | 'kv-v2'; version?: 1 | 2; description?: string }>;
  /** `mount/path` → data; an array writes successive versions (KV v2). */
  kv?: Record<string, Record<string, unknown> | Array<Record<string, unknown>>>;
  customMetadata?: Record<string, Record<string, string>>;
  policies?: Record<string, string>;
  tokens?: Record<string, { policies?: string[]; ttl?: string; renewable?: boolean; explicit_max_ttl?: string; num_uses?: number; period?: string }>;
  auth?: Record<string, SeedAuth>;
}

export interface SeedResult {
  tokens: Record<string, string>;
  approle: Record<string, { roleId: string; secretId: string }>;
}

type Call = (method: string, path: string, body?: unknown, namespace?: string) => Promise<{ status: number; json: any }>;

/** Calls the server's own API as root (over loopback; its TLS certificate is not checked). */
export function apiCaller(url: string, token: string): Call {
  return async (method, path, body, namespace) => {
    const res = await httpJson(`${url}/v1/${path}`, {
      method, body, insecure: true,
      headers: { 'X-Vault-Token': token, ...(namespace ? { 'X-Vault-Namespace': namespace } : {}) },
    });
    if (res.status >= 400) throw new Error(`seed: ${method} ${path} → ${res.status} ${JSON.stringify(res.json)}`);
    return { status: res.status, json: res.json };
  };
}

export async function seed(call: Call, spec: SeedSpec): Promise<SeedResult> {
  const out: SeedResult = { tokens: {}, approle: {} };
  const ensureNs = async (full: string) => {
    const parts = full.split('/').filter(Boolean);
    for (let i = 0; i < parts.length; i++) {
      await call('POST', `sys/namespaces/${parts[i]}`, {}, parts.slice(0, i).join('/') || undefined);
    }
  };
  for (const n of spec.namespaces ?? []) await ensureNs(n);
  const ns = spec.namespace;
  if (ns) await ensureNs(ns);

  for (const [path, m] of Object.entries(spec.mounts ?? {})) {
    const version = m.type === 'kv-v2' ? 2 : m.version ?? 2;
    await call('POST', `sys/mounts/${path.replace(/\/$/, '')}`, { type: 'kv', options: { version: String(version) }, description: m.description ?? '' }, ns);
  }
  for (const [name, policy] of Object.entries(spec.policies ?? {})) await call('PUT', `sys/policies/acl/${name}`, { policy }, ns);

  const mounts = (await call('GET', 'sys/mounts', undefined, ns)).json.data as Record<string, { type: string; options: { version?: string } | null }>;
  const mountOf = (p: string) => {
    const hit = Object.keys(mounts).filter((m) => `${p}/`.startsWith(m)).sort((a, b) => b.length - a.length)[0];
    if (!hit) throw new Error(`seed: no mount for ${p}`);
    return { mount: hit, rest: p.slice(hit.length), v2: mounts[hit]!.options?.version === '2' };
  };
  for (const [p, value] of Object.entries(spec.kv ?? {})) {
    const { mount, rest, v2 } = mountOf(p);
    for (const data of Array.isArray(value) ? value : [value]) {
      if (v2) await call('POST', `${mount}data/${rest}`, { data }, ns);
      else await call('POST', `${mount}${rest}`, data, ns);
    }
  }
  for (const [p, cm] of Object.entries(spec.customMetadata ?? {})) {
    const { mount, rest } = mountOf(p);
    await call('POST', `${mount}metadata/${rest}`, { custom_metadata: cm }, ns);
  }

  for (const [path, a] of Object.entries(spec.auth ?? {})) {
    const mount = path.replace(/\/$/, '');
    await call('POST', `sys/auth/${mount}`, { type: a.type }, ns);
    if (a.config) await call('POST', `auth/${mount}/config`, a.config, ns);
    const coll = a.type === 'userpass' ? 'users' : a.type === 'cert' ? 'certs' : 'role';
    for (const [name, role] of Object.entries(a.roles ?? {})) {
      await call('POST', `auth/${mount}/${coll}/${name}`, role, ns);
      if (a.type === 'approle') {
        const roleId = (await call('GET', `auth/${mount}/role/${name}/role-id`, undefined, ns)).json.data.role_id as string;
        const secretId = role.bind_secret_id === false ? '' : (await call('POST', `auth/${mount}/role/${name}/secret-id`, {}, ns)).json.data.secret_id as string;
        out.approle[name] = { roleId, secretId };
      }
    }
  }
  for (const [name, t] of Object.entries(spec.tokens ?? {})) {
    out.tokens[name] = (await call('POST', 'auth/token/create', t, ns)).json.auth.client_token as string;
  }
  return out;
}
