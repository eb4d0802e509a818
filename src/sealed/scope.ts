// Sealing scope: the one mapping from (namespace, name, scope) to the OAEP label, and the
// annotations that carry it (Bitnami's EncryptionLabel / SecretScope / UpdateScopeAnnotations).
import { usageError } from '../errors.js';

export const Scope = { Strict: 'strict', NamespaceWide: 'namespace-wide', ClusterWide: 'cluster-wide' } as const;
export type Scope = (typeof Scope)[keyof typeof Scope];

export const ANNOTATION_CLUSTER_WIDE = 'sealedsecrets.bitnami.com/cluster-wide';
export const ANNOTATION_NAMESPACE_WIDE = 'sealedsecrets.bitnami.com/namespace-wide';

export function parseScope(value: string): Scope {
  if (value === '' || value === Scope.Strict) return Scope.Strict;
  if (value === Scope.NamespaceWide || value === Scope.ClusterWide) return value;
  throw usageError('BadScope', `invalid scope "${value}": must be one of: strict, namespace-wide, cluster-wide`);
}

export function scopeFromAnnotations(annotations: Record<string, unknown> | undefined): Scope {
  if (annotations?.[ANNOTATION_CLUSTER_WIDE] === 'true') return Scope.ClusterWide;
  if (annotations?.[ANNOTATION_NAMESPACE_WIDE] === 'true') return Scope.NamespaceWide;
  return Scope.Strict;
}

export function encryptionLabel(namespace: string, name: string, scope: Scope): Buffer {
  switch (scope) {
    case Scope.ClusterWide: return Buffer.alloc(0);
    case Scope.NamespaceWide: return Buffer.from(namespace, 'utf8');
    case Scope.Strict: return Buffer.from(`${namespace}/${name}`, 'utf8');
  }
}

/** Returns a copy with exactly the annotation for `scope` (strict has none). */
export function withScopeAnnotations(annotations: Record<string, string>, scope: Scope): Record<string, string> {
  const out = { ...annotations };
  delete out[ANNOTATION_CLUSTER_WIDE];
  delete out[ANNOTATION_NAMESPACE_WIDE];
  if (scope === Scope.ClusterWide) out[ANNOTATION_CLUSTER_WIDE] = 'true';
  if (scope === Scope.NamespaceWide) out[ANNOTATION_NAMESPACE_WIDE] = 'true';
  return out;
}
