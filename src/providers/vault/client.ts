// node-vault 0.12.0 behind a few typed functions. Every call gets a fresh header object (node-vault
// writes X-Vault-Token into the one it is given), logins always pass mount_point, and LIST goes as
// `GET ?list=1` (noCustomHTTPVerbs) so proxies that reject unknown verbs are no problem.
import nodeVault from 'node-vault';
import { vaultTransport } from './transport.js';
import { PROVIDER_MAX_RESPONSE_BYTES, PROVIDER_TIMEOUT_MS } from '../types.js';

export interface VaultConnection {
  server: string;
  namespace?: string;
  ca?: string;
  cert?: string;
  key?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
  maxResponseBytes?: number;
}

export interface VaultAuthBlock { client_token: string; accessor?: string; lease_duration: number; renewable: boolean; policies?: string[] }
export interface VaultResponse {
  data?: Record<string, unknown> | null;
  auth?: VaultAuthBlock | null;
  warnings?: string[] | null;
  lease_duration?: number;
}

/** Vault answered with a status other than 200/204. `errors` are Vault's own messages. */
export class VaultHttpError extends Error {
  constructor(readonly status: number, readonly errors: string[], readonly body: unknown) {
    super(errors[0] ?? `Status ${status}`);
    this.name = 'VaultHttpError';
  }
}

/** The request never got an HTTP answer (refused, reset, TLS failure, timeout). */
export class VaultTransportError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'VaultTransportError';
  }
}

function translate(e: unknown): Error {
  const any = e as { response?: { statusCode?: number; body?: unknown }; code?: string; message?: string };
  if (any && any.response && typeof any.response.statusCode === 'number') {
    const body = any.response.body as { errors?: unknown } | undefined;
    const errs = Array.isArray(body?.errors) ? body!.errors.map(String) : [];
    return new VaultHttpError(any.response.statusCode, errs, body);
  }
  if (any && typeof any.code === 'string') return new VaultTransportError(any.code, any.message ?? any.code);
  return e instanceof Error ? e : new Error(String(e));
}

export class VaultApi {
  readonly #client: nodeVault.client;
  readonly #headers: Record<string, string>;

  constructor(readonly conn: VaultConnection, token?: string) {
    const requestOptions: Record<string, unknown> = {};
    if (conn.ca) requestOptions.ca = conn.ca;
    if (conn.cert) requestOptions.cert = conn.cert;
    if (conn.key) requestOptions.key = conn.key;
    this.#client = nodeVault({
      endpoint: conn.server,
      namespace: conn.namespace || undefined,
      token,
      noCustomHTTPVerbs: true,
      requestOptions,
      'request-promise': vaultTransport(),
      // strictSSL: node-vault would otherwise turn verification off when VAULT_SKIP_VERIFY is set
      rpDefaults: { timeout: conn.timeoutMs ?? PROVIDER_TIMEOUT_MS, maxBytes: conn.maxResponseBytes ?? PROVIDER_MAX_RESPONSE_BYTES, strictSSL: true },
      // node-vault's debug logger prints request bodies (secret IDs, passwords): never enable it
      debug: () => undefined,
    } as nodeVault.VaultOptions);
    // node-vault falls back to VAULT_TOKEN / VAULT_NAMESPACE / VAULT_PREFIX from the environment;
    // a store's behaviour must depend on its spec only.
    const raw = this.#client as unknown as { namespace?: string; pathPrefix: string };
    if (!token) this.#client.token = '';
    if (!conn.namespace) raw.namespace = undefined;
    raw.pathPrefix = '';
    this.#headers = { ...(conn.headers ?? {}) };
  }

  get token(): string { return this.#client.token; }
  set token(t: string) { this.#client.token = t; }

  #opts(token?: string): { headers: Record<string, string> } {
    return { headers: { ...this.#headers, ...(token ? { 'X-Vault-Token': token } : {}) } };
  }

  async #call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw translate(e);
    }
  }

  /**
   * GET `/v1/<path>`, with an optional query (e.g. `version`). `jsonNumbers`: numbers in `data` stay
   * JsonNumber (their text as stored), for secret values.
   */
  read(path: string, query?: Record<string, string>, jsonNumbers = false): Promise<VaultResponse> {
    const qs = query && Object.keys(query).length > 0 ? `?${new URLSearchParams(query).toString()}` : '';
    return this.#call(() => this.#client.read(`${path}${qs}`, { ...this.#opts(), ...(jsonNumbers ? { jsonNumbers: true } : {}) }));
  }

  list(path: string): Promise<VaultResponse> {
    return this.#call(() => this.#client.list(path, this.#opts()));
  }

  approleLogin(mount: string, roleId: string, secretId: string): Promise<VaultResponse> {
    return this.#call(() => this.#client.approleLogin({ mount_point: mount, role_id: roleId, secret_id: secretId, requestOptions: this.#opts() }));
  }

  kubernetesLogin(mount: string, role: string, jwt: string): Promise<VaultResponse> {
    return this.#call(() => this.#client.kubernetesLogin({ mount_point: mount, role, jwt, requestOptions: this.#opts() }));
  }

  userpassLogin(mount: string, username: string, password: string): Promise<VaultResponse> {
    return this.#call(() => this.#client.userpassLogin({ mount_point: mount, username, password, requestOptions: this.#opts() }));
  }

  /** JWT login; `role` may be empty (the mount's default_role applies), so this uses a plain write like ESO. */
  jwtLogin(mount: string, role: string | undefined, jwt: string): Promise<VaultResponse> {
    return this.#call(() => this.#client.write(`auth/${mount}/login`, role ? { role, jwt } : { jwt }, this.#opts()));
  }

  /** Cert login at any mount (node-vault's certLogin is fixed to auth/cert); the TLS client cert authenticates. */
  certLogin(mount: string, name: string | undefined): Promise<VaultResponse> {
    return this.#call(() => this.#client.write(`auth/${mount}/login`, name ? { name } : {}, this.#opts()));
  }

  /** Token operations take the token explicitly (node-vault reads `client.token` asynchronously for them). */
  lookupSelf(token: string): Promise<VaultResponse> {
    return this.#call(() => this.#client.tokenLookupSelf({ requestOptions: this.#opts(token) }));
  }

  renewSelf(token: string, increment?: string): Promise<VaultResponse> {
    return this.#call(() => this.#client.tokenRenewSelf({ ...(increment ? { increment } : {}), requestOptions: this.#opts(token) }));
  }

  async revokeSelf(token: string): Promise<void> {
    await this.#call(() => this.#client.write('auth/token/revoke-self', {}, this.#opts(token)));
  }

  /** `sys/health`; node-vault resolves non-2xx health answers with the body. */
  health(): Promise<{ sealed?: boolean; initialized?: boolean; standby?: boolean }> {
    return this.#call(() => this.#client.health({ requestOptions: this.#opts() }));
  }
}
