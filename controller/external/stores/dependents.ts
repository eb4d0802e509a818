// Which ExternalSecrets read from a store: `spec.secretStoreRef` and every data/dataFrom
// `sourceRef.storeRef` (kind defaults to SecretStore). A SecretStore serves only its own namespace;
// a ClusterSecretStore serves ExternalSecrets in every namespace that name it with kind ClusterSecretStore.
import type { ExternalSecretObject, StoreKind, StoreRef } from '../../../src/manifests/external-types.js';

export interface StoreId { kind: StoreKind; name: string; /** SecretStore only. */ namespace?: string }

export function storeRefsOf(es: ExternalSecretObject): StoreRef[] {
  const refs: StoreRef[] = [];
  const spec = es.spec ?? {};
  if (spec.secretStoreRef?.name) refs.push(spec.secretStoreRef);
  for (const d of [...(spec.data ?? []), ...(spec.dataFrom ?? [])]) {
    const r = d?.sourceRef?.storeRef;
    if (r?.name) refs.push(r);
  }
  return refs;
}

export function referencesStore(es: ExternalSecretObject, store: StoreId): boolean {
  if (store.kind === 'SecretStore' && es.metadata.namespace !== store.namespace) return false;
  return storeRefsOf(es).some((r) => (r.kind ?? 'SecretStore') === store.kind && r.name === store.name);
}

/** Queue key of a store: `SecretStore/ns/name` or `ClusterSecretStore//name`. */
export function storeKey(s: StoreId): string {
  return `${s.kind}/${s.kind === 'SecretStore' ? s.namespace ?? '' : ''}/${s.name}`;
}

export function parseStoreKey(key: string): StoreId {
  const [kind, namespace, name] = key.split('/') as [StoreKind, string, string];
  return kind === 'SecretStore' ? { kind, namespace, name } : { kind, name };
}
