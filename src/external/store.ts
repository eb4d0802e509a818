// Finding the store an entry reads from: `sourceRef.storeRef` or `spec.secretStoreRef`, kind
// SecretStore (the ExternalSecret's namespace) or ClusterSecretStore (subject to `spec.conditions`).
import { inputError } from '../errors.js';
import type { ClusterSecretStoreCondition, SecretStoreObject, StoreKind, StoreRef } from '../manifests/external-types.js';
import { compileGoRegexp, goMatch } from '../providers/shared/go-regexp.js';
import type { EngineSources } from './sources.js';

export function storeKindOf(ref: StoreRef): StoreKind {
  const kind = ref.kind ?? 'SecretStore';
  if (kind !== 'SecretStore' && kind !== 'ClusterSecretStore') {
    throw inputError('InvalidStoreRef', `store kind ${JSON.stringify(kind)} is not supported`, {
      hint: 'use SecretStore or ClusterSecretStore',
    });
  }
  return kind;
}

export function storeLabel(store: SecretStoreObject): string {
  const ns = store.kind === 'SecretStore' && store.metadata.namespace ? `${store.metadata.namespace}/` : '';
  return `${store.kind} ${ns}${store.metadata.name}`;
}

/** Loads the store and checks it may be used from `namespace`. */
export async function resolveStore(ref: StoreRef, namespace: string, sources: EngineSources): Promise<SecretStoreObject> {
  if (!ref || typeof ref.name !== 'string' || ref.name === '') {
    throw inputError('InvalidStoreRef', 'no store named', { hint: 'set spec.secretStoreRef.name (or sourceRef.storeRef)' });
  }
  const kind = storeKindOf(ref);
  const store = await sources.getStore(kind, ref.name, kind === 'SecretStore' ? namespace : undefined);
  if (!store) {
    const where = kind === 'SecretStore' ? `${namespace}/${ref.name}` : ref.name;
    throw inputError('StoreNotFound', `${kind} ${where} not found`, {
      hint: kind === 'SecretStore' ? 'a SecretStore must be in the ExternalSecret\'s namespace; pass it with --store' : 'pass it with --store',
    });
  }
  if (kind === 'ClusterSecretStore' && store.spec.conditions?.length) {
    const labels = (await sources.namespaceLabels?.(namespace)) ?? { 'kubernetes.io/metadata.name': namespace };
    if (!conditionsAllow(store.spec.conditions, namespace, labels)) {
      // ESO's message, then the fix (the controller's status shows messages, not hints).
      throw inputError('StoreNotAllowed', `using cluster store ${JSON.stringify(ref.name)} is not allowed from namespace ${JSON.stringify(namespace)}: denied by spec.condition; to allow it, add ${JSON.stringify(namespace)} to spec.conditions[].namespaces (or match it with namespaceSelector or namespaceRegexes) of ClusterSecretStore ${JSON.stringify(ref.name)}`);
    }
  }
  return store;
}

/** ESO `shouldProcessSecret`: any selector, name or regex of any condition matching allows. */
export function conditionsAllow(conditions: ClusterSecretStoreCondition[], namespace: string, labels: Record<string, string>): boolean {
  for (const c of conditions) {
    if (c.namespaceSelector && selectorMatches(c.namespaceSelector, labels)) return true;
    if (c.namespaces?.includes(namespace)) return true;
    for (const r of c.namespaceRegexes ?? []) {
      if (goMatch(compileGoRegexp(r, 'spec.conditions.namespaceRegexes'), namespace)) return true;
    }
  }
  return false;
}

/** metav1.LabelSelector semantics (matchLabels AND matchExpressions; an empty selector matches all). */
export function selectorMatches(sel: NonNullable<ClusterSecretStoreCondition['namespaceSelector']>, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    const val = labels[e.key];
    switch (e.operator) {
      case 'In': if (!has || !(e.values ?? []).includes(val!)) return false; break;
      case 'NotIn': if (has && (e.values ?? []).includes(val!)) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}
