// While a store is invalid, watch the Secrets and ConfigMaps its provider block names (one
// field-selected watch per object, never all Secrets), so fixing a credential re-validates the store
// at once instead of at its next backoff retry. Watches end when the store validates or goes away.
import { findCredentialRefs } from '../../../src/external/index.js';
import type { SecretStoreObject } from '../../../src/manifests/external-types.js';
import { providerOf } from '../../../src/providers/index.js';
import type { KubeClient } from '../../kube/index.js';
import type { Logger } from '../../log.js';
import { Informer } from '../../runtime/index.js';

export interface CredentialObject { type: 'Secret' | 'ConfigMap'; namespace: string; name: string }

/** The Secrets/ConfigMaps a store reads at validation (referent ClusterSecretStore refs have no namespace: none). */
export function credentialObjects(store: SecretStoreObject): CredentialObject[] {
  let block: Record<string, unknown>;
  try { block = (providerOf(store.spec?.provider, 'store').spec ?? {}) as Record<string, unknown>; } catch { return []; }
  const out = new Map<string, CredentialObject>();
  for (const r of findCredentialRefs(block)) {
    if (r.type === 'ServiceAccount') continue;
    const namespace = store.kind === 'SecretStore' ? store.metadata.namespace : r.namespace;
    if (!namespace) continue;
    out.set(`${r.type}/${namespace}/${r.name}`, { type: r.type, namespace, name: r.name });
  }
  return [...out.values()];
}

interface Watch { informer: Informer; stores: Set<string> }

export class CredentialWatch {
  private readonly watches = new Map<string, Watch>();
  private readonly byStore = new Map<string, Set<string>>();

  constructor(private readonly o: { client: KubeClient; watchIdleTimeoutMs: number; log: Logger; onChange(storeKey: string): void }) {}

  /** Watches exactly `objects` for `storeKey` (an empty list ends its watches). */
  set(storeKey: string, objects: CredentialObject[]): void {
    const want = new Set(objects.map((x) => `${x.type}/${x.namespace}/${x.name}`));
    for (const k of this.byStore.get(storeKey) ?? []) if (!want.has(k)) this.release(k, storeKey);
    if (want.size === 0) { this.byStore.delete(storeKey); return; }
    this.byStore.set(storeKey, want);
    for (const x of objects) {
      const k = `${x.type}/${x.namespace}/${x.name}`;
      let w = this.watches.get(k);
      if (!w) {
        w = { informer: this.informer(x, k), stores: new Set() };
        this.watches.set(k, w);
      }
      w.stores.add(storeKey);
    }
  }

  get size(): number { return this.watches.size; }

  async stop(): Promise<void> {
    const all = [...this.watches.values()];
    this.watches.clear();
    this.byStore.clear();
    await Promise.all(all.map((w) => w.informer.stop()));
  }

  private informer(x: CredentialObject, k: string): Informer {
    const i = new Informer({
      name: `store-credential ${x.type} ${x.namespace}/${x.name}`,
      client: this.o.client,
      path: `/api/v1/namespaces/${x.namespace}/${x.type === 'Secret' ? 'secrets' : 'configmaps'}`,
      fieldSelector: `metadata.name=${x.name}`,
      idleTimeoutMs: this.o.watchIdleTimeoutMs,
      log: this.o.log,
    });
    let live = false;
    const poke = () => { if (live) for (const s of this.watches.get(k)?.stores ?? []) this.o.onChange(s); };
    i.on({ add: poke, update: poke, delete: poke });
    // The object may have been fixed between the failed validation and this list: check once then.
    void i.synced.then(() => { live = true; poke(); });
    i.start();
    return i;
  }

  private release(k: string, storeKey: string): void {
    const w = this.watches.get(k);
    if (!w) return;
    w.stores.delete(storeKey);
    if (w.stores.size === 0) {
      this.watches.delete(k);
      void w.informer.stop();
    }
  }
}
