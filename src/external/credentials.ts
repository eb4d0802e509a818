// Resolving the credential references of a provider block (`*SecretRef`, `secretRef`, `bearerToken`,
// `caProvider`, `serviceAccountRef`…) into bytes keyed by their path, e.g. `auth.tokenSecretRef`.
// Namespace rules follow ESO: a SecretStore may only read its own namespace; a ClusterSecretStore
// reference without a namespace reads the ExternalSecret's namespace (referent auth).
import { createHash } from 'node:crypto';
import { inputError } from '../errors.js';
import type { StoreKind } from '../manifests/external-types.js';
import type { ResolvedSecrets } from '../providers/types.js';
import { keyValueBytes, type ObjectReader } from './sources.js';

export interface CredentialRef {
  /** Path of the selector inside the provider block, e.g. `auth.secretRef.accessKeyIDSecretRef`. */
  path: string;
  type: 'Secret' | 'ConfigMap' | 'ServiceAccount';
  name: string;
  key?: string;
  namespace?: string;
  audiences?: string[];
  expirationSeconds?: number;
}

const secretSelectorKey = /[sS]ecretRef$|^(bearerToken|clientCert|clientKey|authRef|roleRef)$/;
const defaultKeys: Record<string, string> = {
  'auth.kubernetes.secretRef': 'token',
  'tls.certSecretRef': 'tls.crt',
  'tls.keySecretRef': 'tls.key',
};

/** ServiceAccount annotations handed to providers as `<path>/<annotation>` (AWS IRSA). */
const SA_ANNOTATIONS = ['eks.amazonaws.com/role-arn', 'eks.amazonaws.com/audience'];
const DEFAULT_AWS_AUDIENCE = 'sts.amazonaws.com';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Every credential reference in a provider block, depth first in document order. */
export function findCredentialRefs(block: Obj, prefix = ''): CredentialRef[] {
  const out: CredentialRef[] = [];
  for (const [k, v] of Object.entries(block)) {
    if (!isObj(v)) continue;
    const path = prefix ? `${prefix}.${k}` : k;
    const name = str(v.name);
    if (k === 'caProvider' && name && (v.type === 'Secret' || v.type === 'ConfigMap')) {
      out.push({ path, type: v.type, name, key: str(v.key), namespace: str(v.namespace) });
    } else if (secretSelectorKey.test(k) && name) {
      out.push({ path, type: 'Secret', name, key: str(v.key) ?? defaultKeys[path], namespace: str(v.namespace) });
    } else if ((k === 'serviceAccountRef' || k === 'serviceAccount') && name) {
      const own = Array.isArray(v.audiences) ? v.audiences : undefined;
      const outer = Array.isArray(block.audiences) ? block.audiences : undefined;
      // Vault jwt.kubernetesServiceAccountToken: the (deprecated) outer list defaults to ["vault"], as in ESO.
      const audiences = prefix.endsWith('kubernetesServiceAccountToken')
        ? [...(outer?.length ? outer : ['vault']), ...(own ?? [])]
        : own ?? outer;
      const exp = typeof block.expirationSeconds === 'number' ? block.expirationSeconds : undefined;
      out.push({
        path, type: 'ServiceAccount', name, namespace: str(v.namespace),
        audiences: audiences?.filter((a): a is string => typeof a === 'string'), expirationSeconds: exp,
      });
    } else {
      out.push(...findCredentialRefs(v, path));
    }
  }
  return out;
}

export interface ResolveCredentialsOptions {
  storeKind: StoreKind;
  storeName: string;
  /** The SecretStore's namespace. */
  storeNamespace?: string;
  /** The ExternalSecret's namespace (referent auth for ClusterSecretStores). */
  esNamespace?: string;
  providerName: string;
  reader: ObjectReader;
}

/** True when a ClusterSecretStore reads some credential from the ExternalSecret's namespace. */
export function isReferent(refs: CredentialRef[], kind: StoreKind): boolean {
  return kind === 'ClusterSecretStore' && refs.some((r) => r.namespace === undefined);
}

export async function resolveCredentials(block: Obj, o: ResolveCredentialsOptions): Promise<ResolvedSecrets> {
  const store = `${o.storeKind} ${o.storeNamespace ? `${o.storeNamespace}/` : ''}${o.storeName}`;
  const out: ResolvedSecrets = Object.create(null);
  for (const ref of findCredentialRefs(block)) {
    const field = `spec.provider.${o.providerName}.${ref.path}`;
    let ns: string | undefined;
    if (o.storeKind === 'SecretStore') {
      if (ref.namespace !== undefined && ref.namespace !== o.storeNamespace) {
        throw inputError('CrossNamespaceReference', `${field} points to namespace ${JSON.stringify(ref.namespace)}`, {
          subject: store, hint: 'a SecretStore may only read its own namespace; remove the namespace or use a ClusterSecretStore',
        });
      }
      ns = o.storeNamespace;
    } else {
      ns = ref.namespace ?? o.esNamespace;
    }
    if (ns === undefined) continue; // referent auth without an ExternalSecret: nothing to resolve yet
    if (ref.type === 'ServiceAccount') {
      const annotations = await o.reader.serviceAccountAnnotations?.(ns, ref.name);
      for (const a of SA_ANNOTATIONS) {
        const v = annotations?.[a];
        if (v !== undefined) out[`${ref.path}/${a}`] = new TextEncoder().encode(v);
      }
      const audience = annotations?.['eks.amazonaws.com/audience'];
      // AWS web identity (ESO credsFromServiceAccount): the annotated audience or sts.amazonaws.com,
      // then serviceAccountRef.audiences; never the API server's default audience.
      const audiences = o.providerName === 'aws' && ref.path === 'auth.jwt.serviceAccountRef'
        ? [audience || DEFAULT_AWS_AUDIENCE, ...(ref.audiences ?? [])]
        : ref.audiences ?? (audience ? [audience] : undefined);
      const token = await o.reader.serviceAccountToken?.(ns, ref.name, { audiences, expirationSeconds: ref.expirationSeconds });
      if (token !== undefined) out[ref.path] = new TextEncoder().encode(token);
      continue;
    }
    if (!ref.key) {
      throw inputError('InvalidStore', `${field} has no key`, { subject: store, hint: `set ${field}.key` });
    }
    const obj = ref.type === 'Secret' ? await o.reader.getSecret(ns, ref.name) : await o.reader.getConfigMap(ns, ref.name);
    if (!obj) {
      throw inputError('CredentialNotFound', `${ref.type} ${ns}/${ref.name} (from ${field}) not found`, {
        subject: store, hint: `create it, or pass it with --secret`,
      });
    }
    const value = keyValueBytes(obj, ref.key);
    if (value === undefined) {
      throw inputError('CredentialKeyMissing', `${ref.type} ${ns}/${ref.name} has no key ${JSON.stringify(ref.key)} (from ${field})`, {
        subject: store, hint: `add the key or fix ${field}.key`,
      });
    }
    out[ref.path] = value;
  }
  return out;
}

/** A short digest of resolved credentials, so a changed credential Secret gives a new client. */
export function credentialsDigest(secrets: ResolvedSecrets): string {
  const h = createHash('sha256');
  for (const k of Object.keys(secrets).sort()) {
    h.update(k).update('\0').update(secrets[k]!).update('\0');
  }
  return h.digest('base64url').slice(0, 16);
}
