// What the engine reads from the cluster, as narrow interfaces: stores, Secrets/ConfigMaps for
// credentials and templates, ServiceAccount tokens and namespace labels. The CLI backs them with
// files (memorySources); the controller backs them with its informer caches and the API.
import type { KeyValueObject, SecretStoreObject, StoreKind } from '../manifests/external-types.js';

export interface StoreSource {
  /** `namespace` is set for SecretStore, undefined for ClusterSecretStore. */
  getStore(kind: StoreKind, name: string, namespace?: string): Promise<SecretStoreObject | undefined>;
}

export interface ObjectReader {
  getSecret(namespace: string, name: string): Promise<KeyValueObject | undefined>;
  getConfigMap(namespace: string, name: string): Promise<KeyValueObject | undefined>;
  /** Mints a token via TokenRequest; undefined when the reader cannot (offline). */
  serviceAccountToken?(namespace: string, name: string, o: { audiences?: string[]; expirationSeconds?: number }): Promise<string | undefined>;
  /** A ServiceAccount's annotations (AWS IRSA reads `eks.amazonaws.com/role-arn`); undefined when unknown. */
  serviceAccountAnnotations?(namespace: string, name: string): Promise<Record<string, string> | undefined>;
  /** Labels of a namespace, for ClusterSecretStore `namespaceSelector`; undefined when unknown. */
  namespaceLabels?(namespace: string): Promise<Record<string, string> | undefined>;
}

export interface EngineSources extends ObjectReader, StoreSource {}

/** Sources over objects already in memory (the CLI's `--store` and `--secret` files). */
export function memorySources(o: {
  stores: SecretStoreObject[];
  objects: KeyValueObject[];
  defaultNamespace: string;
}): EngineSources {
  const nsOf = (ns: string | undefined) => ns ?? o.defaultNamespace;
  return {
    async getStore(kind, name, namespace) {
      return o.stores.find((s) => s.kind === kind && s.metadata.name === name &&
        (kind === 'ClusterSecretStore' || nsOf(s.metadata.namespace) === namespace));
    },
    async getSecret(namespace, name) {
      return o.objects.find((x) => x.kind === 'Secret' && x.metadata.name === name && nsOf(x.metadata.namespace) === namespace);
    },
    async getConfigMap(namespace, name) {
      return o.objects.find((x) => x.kind === 'ConfigMap' && x.metadata.name === name && nsOf(x.metadata.namespace) === namespace);
    },
  };
}

/** The bytes of one key of a Secret (data base64 or stringData) or ConfigMap (data or binaryData). */
export function keyValueBytes(obj: KeyValueObject, key: string): Uint8Array | undefined {
  if (obj.stringData && Object.hasOwn(obj.stringData, key)) return new TextEncoder().encode(obj.stringData[key]);
  if (obj.kind === 'Secret') {
    const b64 = obj.data?.[key];
    return b64 === undefined || !Object.hasOwn(obj.data!, key) ? undefined : new Uint8Array(Buffer.from(b64, 'base64'));
  }
  if (obj.data && Object.hasOwn(obj.data, key)) return new TextEncoder().encode(obj.data[key]);
  if (obj.binaryData && Object.hasOwn(obj.binaryData, key)) return new Uint8Array(Buffer.from(obj.binaryData[key]!, 'base64'));
  return undefined;
}
