// The provider contract: a factory validates a store's provider block and connects with
// credentials the caller already resolved; a client only reads, and is closed when done.
// Providers never import Kubernetes code.

/** ESO's `remoteRef` / `dataFrom[].extract` fields. */
export interface RemoteRef {
  key: string;
  property?: string;
  version?: string;
  metadataPolicy?: 'None' | 'Fetch';
  conversionStrategy?: 'Default' | 'Unicode';
  decodingStrategy?: 'Auto' | 'Base64' | 'Base64URL' | 'None';
  nullBytePolicy?: 'Ignore' | 'Fail';
}

/** ESO's `dataFrom[].find`. */
export interface FindRef {
  path?: string;
  name?: { regexp: string };
  tags?: Record<string, string>;
  conversionStrategy?: 'Default' | 'Unicode';
  decodingStrategy?: 'Auto' | 'Base64' | 'Base64URL' | 'None';
  nullBytePolicy?: 'Ignore' | 'Fail';
}

export type SecretMap = Record<string, Uint8Array>;

export type ValidationResult = 'Ready' | 'Unknown' | 'Error';

export interface ProviderClient {
  /** One value; `property` selects inside it (gjson path semantics). Throws SecretNotFound when absent. */
  getSecret(ref: RemoteRef): Promise<Uint8Array>;
  /** One remote secret exploded into keys (`dataFrom.extract`). */
  getSecretMap(ref: RemoteRef): Promise<SecretMap>;
  /** Secrets selected by name regexp, tags or path (`dataFrom.find`): name → whole payload. */
  getAllSecrets(ref: FindRef): Promise<SecretMap>;
  validate(): Promise<ValidationResult>;
  close(): Promise<void>;
}

/** A value from a Kubernetes Secret the engine already read for the provider (token, keys, CA). */
export type ResolvedSecrets = Record<string, Uint8Array>;

export interface StoreIdentity {
  kind: 'SecretStore' | 'ClusterSecretStore';
  name: string;
  /** Store namespace, or for referent ClusterSecretStore auth the ExternalSecret's namespace. */
  namespace?: string;
  resourceVersion?: string;
}

export interface ConnectContext {
  store: StoreIdentity;
  /**
   * Credentials resolved from `*SecretRef` selectors, keyed by the selector's path in the provider
   * block (e.g. `auth.tokenSecretRef`), plus ServiceAccount tokens under `auth.kubernetes.serviceAccountRef`.
   */
  secrets: ResolvedSecrets;
  /** For providers that may use the process environment (AWS default chain). */
  env?: Record<string, string | undefined>;
  fetch?: typeof fetch;
  /** Injectable clock for token expiry/renewal. */
  now?: () => number;
  /** Deadline for each provider HTTP request, connect to last byte (default 30s). */
  timeoutMs?: number;
  /** Largest provider response body accepted (default 64 MiB). */
  maxResponseBytes?: number;
}

export const PROVIDER_TIMEOUT_MS = 30_000;
export const PROVIDER_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

export interface ProviderFactory<Spec = unknown> {
  /** The key under `spec.provider` (e.g. `vault`, `aws`, `fake`, `kubernetes`). */
  readonly name: string;
  /** Problems with the provider block, each naming the field; empty when valid. */
  validateStore(spec: Spec): string[];
  connect(spec: Spec, ctx: ConnectContext): Promise<ProviderClient>;
}
