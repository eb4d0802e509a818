// The controller key Secret in Bitnami's format, so Bitnami's controller and kubeseal read our keys.
import type { SecretObject } from './types.js';

export const KEY_LABEL = 'sealedsecrets.bitnami.com/sealed-secrets-key';
export const KEY_PREFIX = 'sealed-secrets-key';

export interface KeySecretOptions {
  namespace: string;
  keyPem: string;
  certPem: string;
  name?: string;
  /** Bitnami names keys with generateName from the prefix, e.g. `sealed-secrets-keyx7k2p`. */
  generateName?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export function keySecretManifest(o: KeySecretOptions): SecretObject {
  const metadata: SecretObject['metadata'] = {
    ...(o.name ? { name: o.name } : { generateName: o.generateName ?? KEY_PREFIX }),
    namespace: o.namespace,
    labels: { ...(o.labels ?? {}), [KEY_LABEL]: 'active' },
  };
  if (o.annotations && Object.keys(o.annotations).length > 0) metadata.annotations = o.annotations;
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata,
    type: 'kubernetes.io/tls',
    data: {
      'tls.crt': Buffer.from(o.certPem, 'utf8').toString('base64'),
      'tls.key': Buffer.from(o.keyPem, 'utf8').toString('base64'),
    },
  };
}
