// From a store object to a usable, shared provider client: validate the provider block, resolve its
// credentials, connect through the client cache, and route every read through the shared read cache
// and the per-store limiter.
import { createHash } from 'node:crypto';
import { inputError } from '../errors.js';
import type { SecretStoreObject } from '../manifests/external-types.js';
import { loadProvider as loadRegistered, providerOf } from '../providers/index.js';
import { ClientCache } from '../providers/shared/client-cache.js';
import type { ReadCache } from '../providers/shared/read-cache.js';
import { StoreLimiter } from '../providers/shared/rate-limit.js';
import type { FindRef, ProviderClient, ProviderFactory, RemoteRef, SecretMap, StoreIdentity } from '../providers/types.js';
import { credentialsDigest, findCredentialRefs, isReferent, resolveCredentials } from './credentials.js';
import type { EngineSources } from './sources.js';
import { storeLabel } from './store.js';

export interface EngineContext {
  sources: EngineSources;
  /** Shared across reconciles by the controller; a private one (closed afterwards) when absent. */
  clients?: ClientCache;
  /** Shared remote reads; absent means every read goes to the provider. */
  reads?: ReadCache;
  /** How old a shared read may be (normally the ExternalSecret's refresh interval). Default 0. */
  readMaxAgeMs?: number;
  /** Per-store concurrency/rate limits; a process-wide default of 8 concurrent calls per store when absent. */
  limiter?: StoreLimiter;
  /** Told, for every read through `reads`, when the value it got was fetched (its age). */
  onRead?: (fetchedAt: number) => void;
  /** Called for every call that reaches the provider (not served by the shared read cache), e.g. for metrics. */
  onProviderCall?: (store: StoreIdentity, op: string) => void;
  env?: Record<string, string | undefined>;
  fetch?: typeof fetch;
  now?: () => number;
  /** Deadline for each provider request and the largest response accepted (ConnectContext). */
  timeoutMs?: number;
  maxResponseBytes?: number;
  /** Provider lookup (tests may inject factories); defaults to the registry. */
  loadProvider?: (name: string, subject: string) => Promise<ProviderFactory<unknown>>;
}

export interface StoreHandle {
  label: string;
  providerName: string;
  getSecret(ref: RemoteRef): Promise<Uint8Array>;
  getSecretMap(ref: RemoteRef): Promise<SecretMap>;
  getAllSecrets(ref: FindRef): Promise<SecretMap>;
  validate(): ReturnType<ProviderClient['validate']>;
  /** Ends this use of the shared client (it is closed later if the cache dropped it meanwhile). */
  release(): void;
}

interface Connected { version: string; secrets: Record<string, Uint8Array> }
const connectedByCache = new WeakMap<ClientCache, Map<string, Connected>>();
/** Per client cache and store key: the credentials object the current client was connected with. */
function connectedIn(clients: ClientCache): Map<string, Connected> {
  let m = connectedByCache.get(clients);
  if (!m) connectedByCache.set(clients, (m = new Map()));
  return m;
}

/** Without a shared limiter, calls to one store are still bounded (one ExternalSecret may list hundreds of refs). */
const fallbackLimiter = new StoreLimiter({ concurrency: 8 });

/** Deterministic JSON (sorted keys) for cache keys and digests. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

// Cached per spec object: informer caches replace an object on change and never mutate it, and
// every ExternalSecret sync opens its store (10,000 digests of the same spec in a first sync).
const specDigests = new WeakMap<object, string>();
function specDigestOf(spec: SecretStoreObject['spec']): string {
  let d = specDigests.get(spec);
  if (d === undefined) specDigests.set(spec, (d = createHash('sha256').update(stableJson(spec)).digest('base64url').slice(0, 16)));
  return d;
}

export async function openStore(store: SecretStoreObject, esNamespace: string, ctx: EngineContext, clients: ClientCache): Promise<StoreHandle> {
  const label = storeLabel(store);
  const { name: providerName, spec } = providerOf(store.spec.provider, label);
  const factory = await (ctx.loadProvider ?? loadRegistered)(providerName, label);
  const problems = factory.validateStore(spec);
  if (problems.length > 0) {
    throw inputError('InvalidStore', problems.join('; '), { subject: label, hint: 'fix the store spec' });
  }
  const block = (spec ?? {}) as Record<string, unknown>;
  const secrets = await resolveCredentials(block, {
    storeKind: store.kind, storeName: store.metadata.name!,
    storeNamespace: store.kind === 'SecretStore' ? store.metadata.namespace ?? esNamespace : undefined,
    esNamespace, providerName, reader: ctx.sources,
  });
  const refs = findCredentialRefs(block);
  const referent = isReferent(refs, store.kind);
  // a re-minted ServiceAccount token for the same account does not make a new client
  const tokenPaths = refs.filter((r) => r.type === 'ServiceAccount').map((r) => r.path);
  const stable = Object.fromEntries(Object.entries(secrets).filter(([k]) => !tokenPaths.includes(k)));
  const identity: StoreIdentity = {
    kind: store.kind,
    name: store.metadata.name!,
    namespace: store.kind === 'SecretStore' ? store.metadata.namespace ?? esNamespace : referent ? esNamespace : undefined,
    resourceVersion: store.metadata.resourceVersion,
  };
  const key = `${identity.kind}/${identity.namespace ?? ''}/${identity.name}`;
  const specDigest = specDigestOf(store.spec);
  // Not the resourceVersion: every status write bumps it, which would drop the client (a new login)
  // and every shared read of the store. The uid, spec and credentials decide whether a client is current.
  const version = `${store.metadata.uid ?? ''}:${specDigest}:${credentialsDigest(stable)}`;
  const connected = connectedIn(clients);
  const { client, release } = await clients.acquire(key, version, () => {
    const given = { ...secrets };
    connected.set(key, { version, secrets: given });
    return factory.connect(spec, { store: identity, secrets: given, env: ctx.env, fetch: ctx.fetch, now: ctx.now, timeoutMs: ctx.timeoutMs, maxResponseBytes: ctx.maxResponseBytes });
  });
  // A cached client keeps logging in with the credentials it was given; hand it the freshly minted
  // ServiceAccount tokens (they expire in minutes) so a later re-login does not use an expired one.
  const current = connected.get(key);
  if (current?.version === version) for (const p of tokenPaths) if (secrets[p] !== undefined) current.secrets[p] = secrets[p];

  const maxAge = ctx.readMaxAgeMs ?? 0;
  const limiter = ctx.limiter ?? fallbackLimiter;
  const call = <T>(op: string, ref: unknown, fn: () => Promise<T>): Promise<T> => {
    const limited = () => limiter.run(key, () => { ctx.onProviderCall?.(identity, op); return fn(); });
    if (!ctx.reads) return limited();
    return ctx.reads.read(`${key}@${version}|${op}|${stableJson(ref)}`, maxAge, limited, ctx.onRead);
  };
  return {
    label,
    providerName,
    getSecret: (ref) => call('get', ref, () => client.getSecret(ref)),
    getSecretMap: (ref) => call('map', ref, () => client.getSecretMap(ref)),
    getAllSecrets: (ref) => call('find', ref, () => client.getAllSecrets(ref)),
    validate: () => client.validate(),
    release,
  };
}

/** Runs `fn` with a store opener memoized per store; closes a private client cache afterwards. */
export async function withStores<T>(ctx: EngineContext, fn: (open: (store: SecretStoreObject, ns: string) => Promise<StoreHandle>) => Promise<T>): Promise<T> {
  const own = ctx.clients ? undefined : new ClientCache();
  const clients = ctx.clients ?? own!;
  const opened = new Map<string, Promise<StoreHandle>>();
  try {
    return await fn((store, ns) => {
      const k = `${store.kind}/${store.metadata.namespace ?? ''}/${store.metadata.name}|${ns}`;
      let h = opened.get(k);
      if (!h) {
        h = openStore(store, ns, ctx, clients);
        opened.set(k, h);
      }
      return h;
    });
  } finally {
    for (const h of opened.values()) {
      try { (await h).release(); } catch { /* opening failed: nothing to release */ }
    }
    await own?.close();
  }
}
