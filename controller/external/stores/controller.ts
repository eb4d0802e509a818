// The SecretStore / ClusterSecretStore side of the external half: informers on both kinds (SecretStores
// per watched namespace or cluster-wide; ClusterSecretStores unless --enable-cluster-stores=false),
// a work queue validating each store, and the store lookup the ExternalSecret reconciler uses
// (refusing ClusterSecretStores when they are disabled).
// `onStoreUsable` fires when a store's spec changes or its Ready condition becomes True, so the
// owner can retry dependent ExternalSecrets at once instead of after their backoff. While a store is
// invalid, the credential objects it names are watched, so fixing one re-validates at once.
import { inputError } from '../../../src/errors.js';
import type { EngineSources } from '../../../src/external/index.js';
import { stableJson } from '../../../src/external/index.js';
import type { SecretStoreObject, StoreKind } from '../../../src/manifests/external-types.js';
import type { ClientCache } from '../../../src/providers/shared/client-cache.js';
import type { StoreLimiter } from '../../../src/providers/shared/rate-limit.js';
import type { EventRecorder } from '../../events/index.js';
import type { Json, KubeClient } from '../../kube/index.js';
import type { ControllerMetrics } from '../../metrics/index.js';
import { Informer, type WorkQueue } from '../../runtime/index.js';
import { retryForeverQueue, type RetryQueueSettings } from '../retry-queue.js';
import { CredentialWatch, credentialObjects } from './credential-watch.js';
import { storeKey, type StoreId } from './dependents.js';
import { observeStoreCondition, removeStoreMetrics } from './metrics.js';
import { reconcileStore, type StoreReconcileContext } from './reconcile.js';
import { isStoreReady } from './status.js';
import { validateStore } from './validate.js';
import { forNamespace } from '../../runtime/per-namespace.js';

export interface StoreControllerOptions extends RetryQueueSettings {
  client: KubeClient;
  /** [''] for all namespaces. */
  namespaces: string[];
  clusterStores: boolean;
  watchIdleTimeoutMs: number;
  requeueIntervalMs: number;
  controllerClass?: string;
  clients: ClientCache;
  /** Credential reads (Secrets, ConfigMaps, ServiceAccount tokens) over the API. */
  sources: EngineSources;
  limiter?: StoreLimiter;
  /** --provider-timeout: bound on each provider request while validating. */
  providerTimeoutMs?: number;
  recorder: EventRecorder;
  metrics: ControllerMetrics;
  onStoreUsable(store: StoreId): void;
  /** Any store or watched credential changed (before the reconciles it causes are queued). */
  onWatchEvent?(): void;
}

const ESO = '/apis/external-secrets.io/v1';

export class StoreController {
  readonly queue: WorkQueue;
  private readonly namespaced = new Map<string, Informer>();
  private cluster: Informer | undefined;
  private readonly written = new Map<string, { before: string | undefined; after: SecretStoreObject }>();
  private readonly ctx: StoreReconcileContext;
  private readonly credentials: CredentialWatch;

  constructor(private readonly o: StoreControllerOptions) {
    this.queue = retryForeverQueue('secretstores', o);
    for (const ns of o.namespaces) {
      this.namespaced.set(ns, this.informer('SecretStore', ns ? `${ESO}/namespaces/${ns}/secretstores` : `${ESO}/secretstores`, `secretstores${ns ? `/${ns}` : ''}`));
    }
    this.credentials = new CredentialWatch({
      client: o.client, watchIdleTimeoutMs: o.watchIdleTimeoutMs, log: o.log,
      onChange: (key) => { o.onWatchEvent?.(); this.queue.forget(key); this.queue.add(key); },
    });
    if (o.clusterStores) this.cluster = this.informer('ClusterSecretStore', `${ESO}/clustersecretstores`, 'clustersecretstores');
    this.ctx = {
      client: o.client,
      getStore: (key) => this.byKey(key),
      validate: (store) => validateStore(store, { sources: o.sources, clients: o.clients, ...(o.limiter ? { limiter: o.limiter } : {}), ...(o.providerTimeoutMs ? { timeoutMs: o.providerTimeoutMs } : {}) }),
      recorder: o.recorder,
      observe: (store, outcome) => {
        observeStoreCondition(o.metrics, store, outcome.ready);
        this.credentials.set(this.keyOf(store as unknown as Json), outcome.ready ? [] : credentialObjects(store));
      },
      statusWritten: (key, before, after) => this.written.set(key, { before: before.metadata.resourceVersion, after }),
      controllerClass: o.controllerClass ?? 'default',
      defaultRefreshMs: o.requeueIntervalMs,
      log: o.log,
      now: () => Date.now(),
    };
  }

  private informer(kind: StoreKind, path: string, name: string): Informer {
    const i = new Informer({
      name, client: this.o.client, path, idleTimeoutMs: this.o.watchIdleTimeoutMs, log: this.o.log,
      onError: () => this.o.metrics.watchRestarts.inc({ resource: kind === 'SecretStore' ? 'secretstores' : 'clustersecretstores' }),
    });
    const id = (s: Readonly<Json>): StoreId => {
      const m = s.metadata as { name: string; namespace?: string };
      return kind === 'SecretStore' ? { kind, name: m.name, namespace: m.namespace ?? '' } : { kind, name: m.name };
    };
    i.on({
      add: (s) => { this.o.onWatchEvent?.(); this.queue.add(storeKey(id(s))); },
      update: (old, s) => {
        this.o.onWatchEvent?.();
        const spec = specChanged(old, s);
        // a new spec starts a fresh backoff
        if (spec) { this.queue.forget(storeKey(id(s))); this.queue.add(storeKey(id(s))); }
        if (spec || (!isStoreReady(old as unknown as SecretStoreObject) && isStoreReady(s as unknown as SecretStoreObject))) this.o.onStoreUsable(id(s));
      },
      delete: (s) => {
        this.o.onWatchEvent?.();
        this.written.delete(storeKey(id(s)));
        this.credentials.set(storeKey(id(s)), []);
        removeStoreMetrics(this.o.metrics, { ...(s as unknown as SecretStoreObject), kind });
      },
      // no `relisted`: a relist delivers its diff as add/update/delete, and re-validating every store
      // on each relist would only add provider calls (the periodic requeue already re-validates)
    });
    return i;
  }

  private get informers(): Informer[] {
    return [...this.namespaced.values(), ...(this.cluster ? [this.cluster] : [])];
  }

  startInformers(): void { for (const i of this.informers) i.start(); }
  get hasSynced(): boolean { return this.informers.every((i) => i.hasSynced); }
  get synced(): Promise<void> { return Promise.all(this.informers.map((i) => i.synced)).then(() => undefined); }

  /** Starts validating (after the caches synced); every known store is validated once. */
  run(): void {
    for (const i of this.informers) for (const s of i.list()) this.queue.add(this.keyOf(s));
    this.queue.run((key, signal) => reconcileStore(key, this.ctx, signal));
  }

  pause(): Promise<void> { return this.queue.pause(); }

  async stop(): Promise<void> {
    await this.queue.shutdown();
    await Promise.all([...this.informers.map((i) => i.stop()), this.credentials.stop()]);
  }

  /**
   * The store an ExternalSecret names, from the caches: a SecretStore only from `namespace` (the
   * ExternalSecret's own), a ClusterSecretStore unless cluster stores are disabled.
   */
  getStore(kind: StoreKind, name: string, namespace?: string): SecretStoreObject | undefined {
    if (kind === 'ClusterSecretStore') {
      if (!this.cluster) throw clusterStoresDisabled(name);
      return this.withKind(this.cluster.get('', name), kind);
    }
    if (namespace === undefined || namespace === '') return undefined;
    const i = forNamespace(this.namespaced, namespace);
    return this.withKind(i?.get(namespace, name), kind);
  }

  /**
   * `sources` for the ExternalSecret reconciler: stores are still read live (a store edited just
   * before an ExternalSecret must not be served stale from the cache), but ClusterSecretStores are
   * refused when disabled. resolveStore asks for a SecretStore in the ExternalSecret's namespace only.
   */
  sources(base: EngineSources): EngineSources {
    return {
      ...base,
      getStore: async (kind, name, namespace) => {
        if (kind === 'ClusterSecretStore' && !this.cluster) throw clusterStoresDisabled(name);
        return base.getStore(kind, name, namespace);
      },
    };
  }

  private byKey(key: string): SecretStoreObject | undefined {
    const [kind, namespace, name] = key.split('/') as [StoreKind, string, string];
    const cached = kind === 'ClusterSecretStore' ? this.withKind(this.cluster?.get('', name), kind) : this.getStore(kind, name, namespace);
    const w = this.written.get(key);
    if (w && cached && cached.metadata.uid === w.after.metadata.uid && cached.metadata.resourceVersion === w.before) return w.after;
    this.written.delete(key);
    return cached;
  }

  private keyOf(s: Readonly<Json>): string {
    const m = s.metadata as { name: string; namespace?: string };
    return m.namespace ? storeKey({ kind: 'SecretStore', name: m.name, namespace: m.namespace }) : storeKey({ kind: 'ClusterSecretStore', name: m.name });
  }

  /** List/watch responses may omit kind on items; the reconcilers rely on it. */
  private withKind(s: Readonly<Json> | undefined, kind: StoreKind): SecretStoreObject | undefined {
    if (!s) return undefined;
    const store = s as unknown as SecretStoreObject;
    return store.kind === kind ? store : { ...store, kind };
  }
}

function clusterStoresDisabled(name: string): Error {
  return inputError('ClusterStoresDisabled', `ClusterSecretStore ${JSON.stringify(name)} cannot be used: this controller runs with --enable-cluster-stores=false; use a SecretStore in the ExternalSecret's namespace, or enable cluster stores`);
}

/** Spec, generation, labels or annotations changed; a status-only update (ours) is not a reason to validate again. */
function specChanged(old: Readonly<Json>, s: Readonly<Json>): boolean {
  const pick = (o: Readonly<Json>) => {
    const m = o.metadata as { uid?: string; generation?: number; labels?: unknown; annotations?: unknown; deletionTimestamp?: string };
    return stableJson({ uid: m.uid, g: m.generation, l: m.labels, a: m.annotations, d: m.deletionTimestamp, spec: o.spec });
  };
  return pick(old) !== pick(s);
}
