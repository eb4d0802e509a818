// Secret → SealedSecret, with kubeseal's field layout so diffs against kubeseal output stay quiet.
import { hybridEncrypt } from '../crypto/hybrid.js';
import { encodeBase64 } from '../crypto/base64.js';
import type { SealingCertificate } from '../crypto/certificate.js';
import { inputError } from '../errors.js';
import { encryptionLabel, scopeFromAnnotations, withScopeAnnotations, Scope } from './scope.js';
import type { ValidSecret } from './secret-input.js';
import { ANNOTATION_SEALING_KEY, SEALED_SECRET_API_VERSION, type ObjectMeta, type SealedSecretObject } from './types.js';

export interface SealOptions {
  /** An explicit scope overrides the input's scope annotations (unlike kubeseal, `strict` too). */
  scope?: Scope;
  /** Namespace for Secrets that have none (kubeconfig context namespace). */
  defaultNamespace?: string;
  /** `-n`: must agree with a namespace already on the input. */
  namespace?: string;
}

/** Fields a live object carries that must not be committed (last-applied leaks plaintext: Bitnami #227). */
const STRIPPED_META = ['selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp',
  'deletionGracePeriodSeconds', 'managedFields', 'ownerReferences'];
const STRIPPED_ANNOTATIONS = ['kubectl.kubernetes.io/last-applied-configuration', 'kubecfg.ksonnet.io/last-applied-configuration'];

export function sealSecret(secret: ValidSecret, cert: SealingCertificate, o: SealOptions = {}): SealedSecretObject {
  const scope = o.scope ?? scopeFromAnnotations(secret.metadata.annotations);
  const name = secret.metadata.name;
  let namespace = typeof secret.metadata.namespace === 'string' ? secret.metadata.namespace : '';
  if (scope !== Scope.ClusterWide && o.namespace && namespace && o.namespace !== namespace) {
    throw inputError('NamespaceMismatch', `namespace mismatch: input secret is in namespace "${namespace}" but "${o.namespace}" was specified`, {
      subject: `${secret.where} Secret ${name}`,
      hint: 'drop -n or change metadata.namespace',
    });
  }
  if (!namespace && scope !== Scope.ClusterWide) namespace = o.namespace || o.defaultNamespace || 'default';

  const templateMeta: ObjectMeta = {};
  for (const [k, v] of Object.entries(secret.metadata)) if (!STRIPPED_META.includes(k) && v !== undefined) templateMeta[k] = structuredClone(v);
  templateMeta.name = name;
  if (namespace) templateMeta.namespace = namespace;
  else delete templateMeta.namespace;
  const annotations = withScopeAnnotations(stripAnnotations(secret.metadata.annotations), scope);
  if (Object.keys(annotations).length > 0) templateMeta.annotations = annotations;
  else delete templateMeta.annotations;

  const label = encryptionLabel(namespace, name, scope);
  const encryptedData: Record<string, string> = {};
  for (const k of [...secret.items.keys()].sort()) {
    encryptedData[k] = encodeBase64(hybridEncrypt(cert.publicKey, secret.items.get(k) as Buffer, label));
  }

  const topAnnotations = { ...withScopeAnnotations({}, scope), [ANNOTATION_SEALING_KEY]: cert.fingerprint };
  const metadata: ObjectMeta = { name, ...(namespace ? { namespace } : {}), annotations: topAnnotations };
  return {
    kind: 'SealedSecret',
    apiVersion: SEALED_SECRET_API_VERSION,
    metadata,
    spec: {
      template: {
        metadata: templateMeta,
        ...(secret.type !== undefined ? { type: secret.type } : {}),
        ...(secret.immutable !== undefined ? { immutable: secret.immutable } : {}),
      },
      encryptedData,
    },
  } as SealedSecretObject;
}

/** `--raw`: one value, with kubeseal's rules for which of namespace/name each scope needs. */
export function sealRawValue(value: Uint8Array, cert: SealingCertificate, scope: Scope, namespace: string, name: string): string {
  if (scope !== Scope.ClusterWide && !namespace) {
    throw inputError('MissingNamespace', `must provide the --namespace flag with --raw and --scope ${scope}`, { hint: 'pass -n NAMESPACE' });
  }
  if (scope === Scope.Strict && !name) {
    throw inputError('MissingName', 'must provide the --name flag with --raw and --scope strict', { hint: 'pass --name NAME, or use --scope namespace-wide/cluster-wide' });
  }
  return encodeBase64(hybridEncrypt(cert.publicKey, value, encryptionLabel(namespace, name, scope)));
}

function stripAnnotations(a: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(a ?? {})) if (!STRIPPED_ANNOTATIONS.includes(k)) out[k] = v;
  return out;
}
