// ESO's kubernetes provider: reads Secrets of `remoteNamespace` from a Kubernetes API server with a
// bearer token (static, or a ServiceAccount token the engine minted) or a client certificate.
import { parse as parseYaml } from 'yaml';
import { providerError } from '../../errors.js';
import { secretNotFound } from '../shared/errors.js';
import { compileGoRegexp, goMatch } from '../shared/go-regexp.js';
import { convertKeys } from '../shared/keys.js';
import type {
  ConnectContext, FindRef, ProviderClient, ProviderFactory, RemoteRef, SecretMap, ValidationResult,
} from '../types.js';
import { KubeHttp, statusMessage, type KubeConnection, type KubeResponse } from './http.js';
import { findValue, getFromSecret, mapFromSecret, type SecretJson } from './read.js';
import { validateKubernetesSpec, type KubernetesSpec } from './spec.js';

export type { KubernetesSpec } from './spec.js';

const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : Buffer.from(b).toString('utf8'));

/** Builds the connection from the spec and the credentials the engine resolved. */
export function kubeConnection(spec: KubernetesSpec, ctx: ConnectContext): KubeConnection {
  const s = ctx.secrets;
  if (spec.authRef) {
    const kubeconfig = text(s['authRef']);
    if (!kubeconfig) throw providerError('MissingCredentials', 'the kubeconfig from authRef was not resolved', { hint: 'check spec.provider.kubernetes.authRef' });
    return fromKubeconfig(kubeconfig);
  }
  const ca = spec.server?.caBundle ? Buffer.from(spec.server.caBundle, 'base64').toString('utf8') : text(s['server.caProvider']);
  const conn: KubeConnection = { server: spec.server?.url || 'kubernetes.default', ca };
  const a = spec.auth ?? {};
  const missing = (path: string) => providerError('MissingCredentials', `credential ${path} was not resolved`, {
    hint: `check spec.provider.kubernetes.${path}`,
  });
  if (a.token) conn.token = text(s['auth.token.bearerToken']) ?? (() => { throw missing('auth.token.bearerToken'); })();
  else if (a.serviceAccount) {
    conn.token = text(s['auth.serviceAccount']) ?? (() => {
      throw providerError('MissingCredentials', 'no token for auth.serviceAccount', { hint: 'the ServiceAccount token must be minted via TokenRequest (not available offline); use auth.token instead' });
    })();
  } else if (a.cert) {
    conn.cert = text(s['auth.cert.clientCert']) ?? (() => { throw missing('auth.cert.clientCert'); })();
    conn.key = text(s['auth.cert.clientKey']) ?? (() => { throw missing('auth.cert.clientKey'); })();
  }
  if (conn.token) conn.token = conn.token.trim();
  return conn;
}

function fromKubeconfig(yaml: string): KubeConnection {
  type Named<T> = { name: string } & T;
  const kc = parseYaml(yaml) as {
    'current-context'?: string;
    contexts?: Array<Named<{ context: { cluster: string; user: string } }>>;
    clusters?: Array<Named<{ cluster: { server: string; 'certificate-authority-data'?: string } }>>;
    users?: Array<Named<{ user: { token?: string; 'client-certificate-data'?: string; 'client-key-data'?: string } }>>;
  };
  const ctxName = kc['current-context'] ?? kc.contexts?.[0]?.name;
  const c = kc.contexts?.find((x) => x.name === ctxName)?.context;
  const cluster = kc.clusters?.find((x) => x.name === c?.cluster)?.cluster ?? kc.clusters?.[0]?.cluster;
  const user = kc.users?.find((x) => x.name === c?.user)?.user ?? kc.users?.[0]?.user;
  if (!cluster?.server) throw providerError('InvalidKubeconfig', 'the kubeconfig from authRef has no cluster server', { hint: 'fix the kubeconfig Secret' });
  const b64 = (v?: string) => (v ? Buffer.from(v, 'base64').toString('utf8') : undefined);
  return {
    server: cluster.server, ca: b64(cluster['certificate-authority-data']), token: user?.token,
    cert: b64(user?.['client-certificate-data']), key: b64(user?.['client-key-data']),
  };
}

class KubernetesClient implements ProviderClient {
  readonly #http: KubeHttp;
  readonly #ns: string;

  constructor(spec: KubernetesSpec, ctx: ConnectContext) {
    const store = `${ctx.store.kind} ${ctx.store.namespace ? `${ctx.store.namespace}/` : ''}${ctx.store.name}`;
    this.#http = new KubeHttp({ ...kubeConnection(spec, ctx), timeoutMs: ctx.timeoutMs, maxResponseBytes: ctx.maxResponseBytes, subject: store });
    this.#ns = spec.remoteNamespace || 'default';
  }

  #secretsPath(name?: string, query = ''): string {
    return `/api/v1/namespaces/${encodeURIComponent(this.#ns)}/secrets${name === undefined ? '' : `/${encodeURIComponent(name)}`}${query}`;
  }

  #fail(r: KubeResponse, what: string): never {
    const hint = r.status === 403 ? `grant get/list on secrets in namespace ${this.#ns}` : r.status === 401 ? 'check the store credentials' : undefined;
    const code = r.status === 403 ? 'Forbidden' : r.status === 401 ? 'Unauthorized' : r.status === 404 ? 'NotFound' : 'KubernetesError';
    throw providerError(code, `${what}: ${statusMessage(r)}`, { hint });
  }

  async #get(key: string, notFoundIsMissing: boolean): Promise<SecretJson> {
    if (!key) throw providerError('InvalidKey', 'remote key is empty', { hint: 'set remoteRef.key to a Secret name' });
    const r = await this.#http.request('GET', this.#secretsPath(key));
    if (r.status === 200) return r.body as SecretJson;
    if (r.status === 404 && notFoundIsMissing) throw secretNotFound(`kubernetes Secret ${this.#ns}/${key}`);
    return this.#fail(r, `cannot read Secret ${this.#ns}/${key}`);
  }

  async getSecret(ref: RemoteRef): Promise<Uint8Array> {
    // ESO does not map NotFound to NoSecretErr here (only in GetSecretMap)
    return getFromSecret(await this.#get(ref.key, false), ref);
  }

  async getSecretMap(ref: RemoteRef): Promise<SecretMap> {
    return mapFromSecret(await this.#get(ref.key, true), ref);
  }

  async getAllSecrets(ref: FindRef): Promise<SecretMap> {
    let query = '';
    let re: RegExp | undefined;
    if (ref.tags) {
      const sel = Object.entries(ref.tags).map(([k, v]) => `${k}=${v}`).join(',');
      query = sel ? `?labelSelector=${encodeURIComponent(sel)}` : '';
    } else if (ref.name) {
      re = compileGoRegexp(ref.name.regexp, 'find.name.regexp');
    } else {
      throw providerError('UnsupportedFind', 'find needs name or tags', { hint: 'set find.name.regexp or find.tags' });
    }
    const r = await this.#http.request('GET', this.#secretsPath(undefined, query));
    if (r.status !== 200) this.#fail(r, `unable to list secrets in ${this.#ns}`);
    const out: SecretMap = Object.create(null);
    for (const s of (r.body as { items?: SecretJson[] }).items ?? []) {
      const name = s.metadata?.name ?? '';
      if (re && !goMatch(re, name)) continue;
      out[name] = findValue(s);
    }
    return convertKeys(out, ref.conversionStrategy, `kubernetes find in ${this.#ns}`);
  }

  async validate(): Promise<ValidationResult> {
    const rules = await this.#http.request('POST', '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', {
      apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace: this.#ns },
    });
    if (rules.status !== 201 && rules.status !== 200) return 'Unknown';
    type Rule = { verbs?: string[]; apiGroups?: string[]; resources?: string[] };
    const has = (list: string[] | undefined, v: string) => !!list && (list.includes(v) || list.includes('*'));
    for (const rule of ((rules.body as { status?: { resourceRules?: Rule[] } }).status?.resourceRules ?? [])) {
      if (has(rule.resources, 'secrets') && has(rule.verbs, 'get') && (!rule.apiGroups?.length || has(rule.apiGroups, ''))) return 'Ready';
    }
    const access = await this.#http.request('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: { resource: 'secrets', verb: 'get', namespace: this.#ns } },
    });
    if (access.status !== 201 && access.status !== 200) return 'Unknown';
    return (access.body as { status?: { allowed?: boolean } }).status?.allowed ? 'Ready' : 'Error';
  }

  async close(): Promise<void> {
    this.#http.close();
  }
}

export const kubernetesProvider = {
  name: 'kubernetes',
  validateStore(spec: KubernetesSpec): string[] {
    return validateKubernetesSpec(spec);
  },
  async connect(spec: KubernetesSpec, ctx: ConnectContext): Promise<ProviderClient> {
    return new KubernetesClient(spec, ctx);
  },
} satisfies ProviderFactory<KubernetesSpec>;
