// ESO's two store gates in front of an ExternalSecret sync (pkg/controllers/externalsecret
// shouldSkipUnmanagedStore; the client manager's ShouldProcessStore and assertStoreIsUsable):
// - `--controller-class`: a store whose spec.controller is set and differs from ours belongs to
//   another controller. An ExternalSecret naming one is skipped before anything is read or written
//   (no status, no Event, no requeue); an empty spec.controller is everyone's.
// - `--enable-flood-gate` (ESO's default true): each store an entry reads from must be Ready=True
//   when it is used; a store without a Ready condition yet (not validated) is not ready either.
//   The sync fails as any provider error does (Ready=False, the existing Secret kept, backoff) and
//   the store turning Ready retries it at once (the store watch).
import { inputError } from '../../src/errors.js';
import { conditionsAllow, type EngineSources } from '../../src/external/index.js';
import { storeKindOf } from '../../src/external/store.js';
import type { ExternalSecretObject, SecretStoreObject, StoreKind } from '../../src/manifests/external-types.js';
import { storeRefsOf } from './stores/dependents.js';
import { readyCondition } from './stores/status.js';

export const DEFAULT_CONTROLLER_CLASS = 'default';

export interface StoreGateOptions {
  /** --controller-class */
  controllerClass: string;
  /** --enable-flood-gate */
  floodGate: boolean;
}

/** ESO's ShouldProcessStore: no store, an empty spec.controller or our class. */
export function shouldProcessStore(store: SecretStoreObject | undefined, controllerClass: string): boolean {
  const cls = store?.spec?.controller;
  return !cls || cls === controllerClass;
}

/** The store cache (or a live read while the cache has not listed yet). */
export type CachedStoreLookup = (kind: StoreKind, name: string, namespace?: string) => SecretStoreObject | undefined | Promise<SecretStoreObject | undefined>;

/**
 * ESO's shouldSkipUnmanagedStore: the first store the ExternalSecret names (secretStoreRef, then
 * data[] and dataFrom[] sourceRef.storeRef) whose class is not ours. Stores that do not exist (or
 * cannot be looked up, e.g. a disabled ClusterSecretStore) are passed over: the sync reports them.
 */
export async function unmanagedStore(es: ExternalSecretObject, lookup: CachedStoreLookup, controllerClass: string): Promise<SecretStoreObject | undefined> {
  for (const ref of storeRefsOf(es)) {
    let store: SecretStoreObject | undefined;
    try {
      const kind = storeKindOf(ref);
      store = await lookup(kind, ref.name, kind === 'SecretStore' ? es.metadata.namespace : undefined);
    } catch {
      continue;
    }
    if (!shouldProcessStore(store, controllerClass)) return store;
  }
  return undefined;
}

function storeName(store: SecretStoreObject): string {
  return `${store.kind} ${JSON.stringify(store.metadata.name)}`;
}

/** ESO's assertStoreIsUsable: Ready=True, else `SecretStore "name" is not ready` (plus the store's own reason). */
export function assertStoreUsable(store: SecretStoreObject): void {
  const ready = readyCondition(store);
  if (ready?.status === 'True') return;
  const why = !ready ? 'it has not been validated yet' : [ready.reason, ready.message].filter(Boolean).join(': ');
  throw inputError('StoreNotReady', `${storeName(store)} is not ready${why ? ` (${why})` : ''}`, {
    hint: 'fix the store (kubectl describe it); its ExternalSecrets are retried as soon as it is Ready',
  });
}

/**
 * `sources` whose getStore applies ESO's checks in the client manager's order: the class (a store
 * that changed hands since the skip check), the ClusterSecretStore conditions (left to
 * resolveStore, which reports them), then the flood gate.
 */
export function gatedSources(base: EngineSources, namespace: string, o: StoreGateOptions): EngineSources {
  return {
    ...base,
    getStore: async (kind, name, ns) => {
      const store = await base.getStore(kind, name, ns);
      if (!store) return store;
      if (!shouldProcessStore(store, o.controllerClass)) {
        throw inputError('UnmanagedStore', `can not reference unmanaged store: ${storeName(store)} has spec.controller ${JSON.stringify(store.spec.controller)} and this controller's --controller-class is ${JSON.stringify(o.controllerClass)}`);
      }
      if (!o.floodGate) return store;
      if (kind === 'ClusterSecretStore' && store.spec.conditions?.length) {
        const labels = (await base.namespaceLabels?.(namespace)) ?? { 'kubernetes.io/metadata.name': namespace };
        if (!conditionsAllow(store.spec.conditions, namespace, labels)) return store; // resolveStore refuses it with ESO's message
      }
      assertStoreUsable({ ...store, kind });
      return store;
    },
  };
}
