// `spec.provider.vault` as ESO defines it (external-secrets.io/v1), and its validation.

export interface SecretKeySelector { name: string; key?: string; namespace?: string }
export interface ServiceAccountSelector { name: string; namespace?: string; audiences?: string[] }

export interface VaultAuthSpec {
  namespace?: string;
  tokenSecretRef?: SecretKeySelector;
  appRole?: { path?: string; roleId?: string; roleRef?: SecretKeySelector; secretRef: SecretKeySelector };
  kubernetes?: { mountPath?: string; role: string; serviceAccountRef?: ServiceAccountSelector; secretRef?: SecretKeySelector };
  ldap?: unknown;
  userPass?: { path?: string; username: string; secretRef?: SecretKeySelector };
  jwt?: { path?: string; role?: string; secretRef?: SecretKeySelector; kubernetesServiceAccountToken?: { serviceAccountRef: ServiceAccountSelector; audiences?: string[]; expirationSeconds?: number } };
  cert?: { path?: string; vaultRole?: string; clientCert?: SecretKeySelector; secretRef?: SecretKeySelector };
  iam?: unknown;
  gcp?: unknown;
}

export interface VaultProviderSpec {
  server: string;
  path?: string;
  version?: 'v1' | 'v2';
  namespace?: string;
  caBundle?: string;
  caProvider?: { type: 'Secret' | 'ConfigMap'; name: string; key: string; namespace?: string };
  tls?: { certSecretRef?: SecretKeySelector; keySecretRef?: SecretKeySelector };
  readYourWrites?: boolean;
  forwardInconsistent?: boolean;
  headers?: Record<string, string>;
  auth?: VaultAuthSpec;
}

/** The auth methods Cloak implements, in ESO's order of precedence. */
export const AUTH_ORDER = ['tokenSecretRef', 'appRole', 'kubernetes', 'ldap', 'userPass', 'jwt', 'cert', 'iam', 'gcp'] as const;
export type AuthKind = (typeof AUTH_ORDER)[number];
const UNSUPPORTED = new Set<AuthKind>(['ldap', 'iam', 'gcp']);

/** The method ESO would pick: the first one set, in its fixed order. */
export function authKind(spec: VaultProviderSpec): AuthKind | undefined {
  const auth = spec.auth ?? {};
  return AUTH_ORDER.find((k) => (auth as Record<string, unknown>)[k] !== undefined && (auth as Record<string, unknown>)[k] !== null);
}

export function validateVaultSpec(spec: VaultProviderSpec): string[] {
  const p: string[] = [];
  const at = (f: string) => `spec.provider.vault.${f}`;
  if (!spec || typeof spec !== 'object') return ['spec.provider.vault must be an object'];
  if (typeof spec.server !== 'string' || spec.server === '') p.push(`${at('server')} must be set`);
  else {
    try {
      const u = new URL(spec.server);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') p.push(`${at('server')} must be an http:// or https:// URL`);
    } catch {
      p.push(`${at('server')} is not a valid URL`);
    }
  }
  if (spec.version !== undefined && spec.version !== 'v1' && spec.version !== 'v2') p.push(`${at('version')} must be v1 or v2`);
  if (spec.caBundle !== undefined && spec.caProvider !== undefined) p.push(`${at('caBundle')} and ${at('caProvider')} are mutually exclusive`);
  const kind = authKind(spec);
  if (!kind) {
    p.push(`${at('auth')} must set one of tokenSecretRef, appRole, kubernetes, userPass, jwt, cert`);
    return p;
  }
  if (UNSUPPORTED.has(kind)) p.push(`${at(`auth.${kind}`)} is not supported by Cloak; use tokenSecretRef, appRole, kubernetes, userPass, jwt or cert`);
  const a = spec.auth!;
  if (kind === 'tokenSecretRef' && !a.tokenSecretRef?.name) p.push(`${at('auth.tokenSecretRef.name')} must be set`);
  if (kind === 'appRole') {
    if (!a.appRole!.secretRef?.name) p.push(`${at('auth.appRole.secretRef')} must be set`);
    if (!a.appRole!.roleId && !a.appRole!.roleRef?.name) p.push(`${at('auth.appRole')} needs roleId or roleRef`);
  }
  if (kind === 'kubernetes' && !a.kubernetes!.role) p.push(`${at('auth.kubernetes.role')} must be set`);
  if (kind === 'userPass') {
    if (!a.userPass!.username) p.push(`${at('auth.userPass.username')} must be set`);
    if (!a.userPass!.secretRef?.name) p.push(`${at('auth.userPass.secretRef')} must be set`);
  }
  if (kind === 'jwt' && !a.jwt!.secretRef && !a.jwt!.kubernetesServiceAccountToken) p.push(`${at('auth.jwt')} needs secretRef or kubernetesServiceAccountToken`);
  if (kind === 'cert' && (!a.cert!.clientCert?.name || !a.cert!.secretRef?.name)) p.push(`${at('auth.cert')} needs clientCert and secretRef`);
  if (spec.headers !== undefined && (typeof spec.headers !== 'object' || Object.values(spec.headers).some((v) => typeof v !== 'string'))) p.push(`${at('headers')} must map names to strings`);
  return p;
}
