// `spec.provider.kubernetes`: shape and ESO's store validation.
export interface Selector { name?: string; key?: string; namespace?: string }

export interface KubernetesSpec {
  remoteNamespace?: string;
  server?: {
    url?: string;
    /** PEM bytes; base64 in YAML. */
    caBundle?: string;
    caProvider?: { type?: 'Secret' | 'ConfigMap'; name?: string; key?: string; namespace?: string };
  };
  auth?: {
    cert?: { clientCert?: Selector; clientKey?: Selector };
    token?: { bearerToken?: Selector };
    serviceAccount?: { name?: string; namespace?: string; audiences?: string[] };
  };
  /** A kubeconfig in a Secret. */
  authRef?: Selector;
}

const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Problems with the block, each naming the field (ESO's ValidateStore plus the CRD's shape rules). */
export function validateKubernetesSpec(spec: KubernetesSpec, storeKind?: 'SecretStore' | 'ClusterSecretStore'): string[] {
  const p: string[] = [];
  const f = 'spec.provider.kubernetes';
  if (!spec || typeof spec !== 'object') return [`${f} must be an object`];
  if (spec.remoteNamespace !== undefined && !dnsLabel.test(spec.remoteNamespace)) {
    p.push(`${f}.remoteNamespace must be a DNS label`);
  }
  const ca = spec.server?.caProvider;
  if (ca) {
    if (ca.type !== 'Secret' && ca.type !== 'ConfigMap') p.push(`${f}.server.caProvider.type must be Secret or ConfigMap`);
    if (!ca.name) p.push(`${f}.server.caProvider.name must be set`);
    if (!ca.key) p.push(`${f}.server.caProvider.key must be set`);
    if (storeKind === 'ClusterSecretStore' && !ca.namespace) p.push(`${f}.server.caProvider.namespace is required for a ClusterSecretStore`);
    if (storeKind === 'SecretStore' && ca.namespace) p.push(`${f}.server.caProvider.namespace is not allowed for a SecretStore`);
  }
  if (spec.authRef) {
    if (!spec.authRef.name) p.push(`${f}.authRef.name must be set`);
    return p;
  }
  const auth = spec.auth ?? {};
  const methods = (['cert', 'token', 'serviceAccount'] as const).filter((m) => auth[m] !== undefined && auth[m] !== null);
  if (methods.length !== 1) {
    p.push(`${f}.auth must set exactly one of cert, token or serviceAccount (or use authRef)`);
    return p;
  }
  if (auth.cert && (!auth.cert.clientCert?.name || !auth.cert.clientKey?.name)) {
    p.push(`${f}.auth.cert needs clientCert and clientKey`);
  }
  if (auth.token && !auth.token.bearerToken?.name) p.push(`${f}.auth.token.bearerToken.name must be set`);
  if (auth.serviceAccount && !auth.serviceAccount.name) p.push(`${f}.auth.serviceAccount.name must be set`);
  return p;
}
