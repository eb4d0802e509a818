// The Vault test server's in-memory state: namespaces, their mounts, policies and auth methods,
// and the token store. Everything is configured through the HTTP API, like real Vault.
import { uuid, accessorId } from './util.js';
import { type Policy, parsePolicy, DEFAULT_POLICY } from './acl.js';

export interface KvVersion { createdMs: number; deletionMs: number; destroyed: boolean; data: Record<string, unknown> | null }
export interface KvEntry {
  versions: Map<number, KvVersion>;
  current: number;
  oldest: number;
  maxVersions: number;
  casRequired: boolean;
  deleteVersionAfter: number;
  customMetadata: Record<string, string> | null;
  createdMs: number;
  updatedMs: number;
}
export interface KvStore {
  version: 1 | 2;
  v1: Map<string, Record<string, unknown>>;
  v2: Map<string, KvEntry>;
  config: { maxVersions: number; casRequired: boolean; deleteVersionAfter: number };
}

export interface Mount {
  path: string; // "secret/"
  type: string;
  description: string;
  accessor: string;
  uuid: string;
  options: Record<string, string> | null;
  local: boolean;
  kv?: KvStore;
}

export interface AuthMount {
  path: string; // "approle/"
  type: string;
  description: string;
  accessor: string;
  uuid: string;
  /** Method-specific state (roles, users, config), owned by the method module. */
  state: Record<string, unknown>;
}

export interface Namespace {
  path: string; // '' for root, 'ns1/' or 'ns1/ns2/'
  id: string;
  parent?: Namespace;
  children: Map<string, Namespace>;
  mounts: Map<string, Mount>;
  auths: Map<string, AuthMount>;
  policies: Map<string, Policy>;
  customMetadata: Record<string, string>;
}

export interface Token {
  id: string;
  accessor: string;
  ns: Namespace;
  policies: string[];
  path: string;
  meta: Record<string, string> | null;
  displayName: string;
  creationMs: number;
  creationTtl: number; // seconds, 0 = no expiry
  expireMs: number; // 0 = never
  explicitMaxTtl: number;
  maxTtl: number; // effective max from creation, seconds (0 = unlimited)
  period: number;
  renewable: boolean;
  numUses: number;
  orphan: boolean;
  parent?: string;
  entityId: string;
  issueMs: number;
}

export function newMount(path: string, type: string, o: { version?: 1 | 2; description?: string; options?: Record<string, string> | null } = {}): Mount {
  const m: Mount = { path, type, description: o.description ?? '', accessor: `${type}_${accessorId().slice(0, 8).toLowerCase()}`, uuid: uuid(), options: o.options ?? null, local: false };
  if (type === 'kv') {
    const version = o.version ?? 1;
    m.options = { ...(o.options ?? {}), version: String(version) };
    m.kv = { version, v1: new Map(), v2: new Map(), config: { maxVersions: 10, casRequired: false, deleteVersionAfter: 0 } };
  }
  return m;
}

export function newNamespace(path: string, parent?: Namespace): Namespace {
  const ns: Namespace = { path, id: path === '' ? 'root' : accessorId().slice(0, 5), parent, children: new Map(), mounts: new Map(), auths: new Map(), policies: new Map(), customMetadata: {} };
  ns.policies.set('default', parsePolicy('default', DEFAULT_POLICY));
  ns.mounts.set('sys/', newMount('sys/', 'system', { description: 'system endpoints used for control, policy and debugging' }));
  ns.mounts.set('cubbyhole/', newMount('cubbyhole/', 'cubbyhole', { description: 'per-token private secret storage' }));
  ns.mounts.set('identity/', newMount('identity/', 'identity', { description: 'identity store' }));
  ns.auths.set('token/', { path: 'token/', type: 'token', description: 'token based credentials', accessor: `auth_token_${accessorId().slice(0, 8).toLowerCase()}`, uuid: uuid(), state: {} });
  return ns;
}

export interface VaultState {
  root: Namespace;
  tokens: Map<string, Token>;
  sealed: boolean;
  unsealKey: string;
  now: () => number;
  /** Static Kubernetes JWT → ServiceAccount map used when no Kubernetes API is configured. */
  kubernetesTokens: Map<string, { namespace: string; name: string; uid: string }>;
  kubeApi?: { url: string; token: string; ca?: string };
  clusterName: string;
  clusterId: string;
  version: string;
}

/** Resolve the namespace a request addresses: the header plus leading path segments naming child namespaces. */
export function resolveNamespace(state: VaultState, headerNs: string | undefined, path: string): { ns: Namespace; rest: string } | { missing: string } {
  const header = (headerNs ?? '').split('/').filter(Boolean);
  let ns = state.root;
  for (let i = 0; i < header.length; i++) {
    const child = ns.children.get(header[i]!);
    if (!child) return { missing: header.slice(0, i + 1).join('/') + '/' };
    ns = child;
  }
  const segs = path.split('/');
  let i = 0;
  while (i < segs.length - 1 && ns.children.has(segs[i]!)) ns = ns.children.get(segs[i++]!)!;
  return { ns, rest: segs.slice(i).join('/') };
}
