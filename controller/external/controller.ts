// Wires the ExternalSecret reconciler: informers on external-secrets.io/v1 ExternalSecrets and on
// Secrets labelled managed=true (per watched namespace, or cluster-wide), one work queue, and one
// shared provider client cache and read cache for the process. Until the API group is served (CRDs
// not installed) it says so once and probes slowly; the sealed half and /readyz never wait for it.
import { LABEL_MANAGED } from '../../src/external/index.js';
import type { ExternalSecretObject } from '../../src/manifests/external-types.js';
import { ClientCache } from '../../src/providers/shared/client-cache.js';
import { ReadCache } from '../../src/providers/shared/read-cache.js';
import { StoreLimiter } from '../../src/providers/shared/rate-limit.js';
import type { EventRecorder } from '../events/index.js';
import type { Json, KubeClient } from '../kube/index.js';
import { isNotFound } from '../kube/index.js';
import { errorText } from '../log.js';
import type { ControllerMetrics } from '../metrics/index.js';
import { Informer, metadataOnly, objectKey, type WorkQueue, type InformerView } from '../runtime/index.js';
import { indexInformer, type IndexLookup } from '../runtime/informer-index.js';
import { retryForeverQueue, type RetryQueueSettings } from './retry-queue.js';
import { stableJson } from '../../src/external/index.js';
import { LABEL_CREATED_BY } from './orphans.js';
import { reconcileExternalSecret, type ExternalReconcileContext } from './reconcile.js';
import { DEFAULT_CONTROLLER_CLASS } from './store-gate.js';
import { apiSources } from './sources.js';
import { sharedGets } from './shared-gets.js';
import { StoreController } from './stores/controller.js';
import { referencesStore, type StoreId } from './stores/dependents.js';
import { readyCondition } from './stores/status.js';
import { providerObservers } from './provider-metrics.js';
import { forNamespace } from '../runtime/per-namespace.js';

export interface ExternalControllerOptions extends RetryQueueSettings {
  client: KubeClient;
  /** [''] for all namespaces. */
  namespaces: string[];
  watchIdleTimeoutMs: number;
  /** How often to look again for the external-secrets.io/v1 API while it is not served. */
  probePeriodMs?: number;
  /** Provider calls per store (kind/namespace/name): concurrency, and a token bucket (qps <= 0: no rate limit). */
  providerConcurrency?: number;
  providerQps?: number;
  providerBurst?: number;
  /** --provider-timeout: bound on each provider request (ExternalSecret reads and store validation). */
  providerTimeoutMs?: number;
  /** --enable-cluster-stores: watch and allow ClusterSecretStores (default true). */
  clusterStores?: boolean;
  /** --store-requeue-interval: store re-validation when spec.refreshInterval is unset (default 5m). */
  storeRequeueIntervalMs?: number;
  /** --controller-class: stores with another spec.controller (and their ExternalSecrets) are left alone (default "default"). */
  controllerClass?: string;
  /** --enable-flood-gate: an ExternalSecret syncs only from stores that are Ready=True (default true). */
  floodGate?: boolean;
  recorder: EventRecorder;
  metrics: ControllerMetrics;
}

const ES_PATH = '/apis/external-secrets.io/v1';

export class ExternalSecretController {
  readonly queue: WorkQueue;
  readonly stores: StoreController;
  private readonly external = new Map<string, Informer>();
  private readonly secrets = new Map<string, Informer>();
  /** "namespace/target name" → ExternalSecrets, and "namespace/created-by" → managed Secrets, per informer. */
  private readonly byTarget = new Map<string, IndexLookup>();
  private readonly byCreatedBy = new Map<string, IndexLookup>();
  /** "namespace/name" → resourceVersion of the Secret write we made and whose watch event is still to come. */
  private readonly ownSecretWrites = new Map<string, string>();
  private readonly written = new Map<string, { before: string | undefined; after: ExternalSecretObject }>();
  private readonly clients = new ClientCache();
  private readonly reads = new ReadCache();
  private readonly ctx: ExternalReconcileContext;
  private probeTimer: NodeJS.Timeout | undefined;
  private served = false;
  private probed = false;
  private stopped = false;
  private workersWanted = false;

  constructor(private readonly o: ExternalControllerOptions) {
    this.queue = retryForeverQueue('externalsecrets', o);
    for (const ns of o.namespaces) {
      const informer = new Informer({
        name: `externalsecrets${ns ? `/${ns}` : ''}`,
        client: o.client,
        path: ns ? `${ES_PATH}/namespaces/${ns}/externalsecrets` : `${ES_PATH}/externalsecrets`,
        idleTimeoutMs: o.watchIdleTimeoutMs,
        log: o.log,
        onError: () => o.metrics.watchRestarts.inc({ resource: 'externalsecrets' }),
      });
      informer.on({
        add: (s) => this.queue.add(objectKey(s)),
        update: (old, s) => { if (relevantChange(old, s)) this.queue.add(objectKey(s)); },
        // a last pass for a deleted ExternalSecret clears its metrics (ESO: NotFound → condition Deleted)
        delete: (s) => { this.written.delete(objectKey(s)); this.queue.add(objectKey(s)); },
        relisted: () => { for (const s of informer.list()) this.queue.add(objectKey(s)); },
      });
      this.external.set(ns, informer);
      this.byTarget.set(ns, indexInformer(informer, (o) => {
        const es = o as unknown as ExternalSecretObject;
        return [`${es.metadata.namespace}/${es.spec?.target?.name || es.metadata.name}`];
      }));
      const si = new Informer({
        name: `managed-secrets${ns ? `/${ns}` : ''}`,
        client: o.client,
        path: ns ? `/api/v1/namespaces/${ns}/secrets` : '/api/v1/secrets',
        labelSelector: `${LABEL_MANAGED}=true`,
        // Only routes events to ExternalSecrets and finds orphans by label: the values stay out of memory.
        transform: metadataOnly,
        idleTimeoutMs: o.watchIdleTimeoutMs,
        log: o.log,
        onError: () => o.metrics.watchRestarts.inc({ resource: 'managed-secrets' }),
      });
      const poke = (s: Readonly<Json>) => {
        const m = s.metadata as { namespace: string; name: string };
        for (const es of this.targeting(m.namespace, m.name)) this.queue.add(objectKey(es as unknown as Json));
      };
      // The event of our own write is not drift: a pass for it would only GET the Secret again.
      const pokeUnlessOurs = (s: Readonly<Json>) => {
        const m = s.metadata as { namespace: string; name: string; resourceVersion?: string };
        const k = `${m.namespace}/${m.name}`;
        const ours = this.ownSecretWrites.get(k);
        if (ours !== undefined) this.ownSecretWrites.delete(k);
        if (ours === undefined || ours !== m.resourceVersion) poke(s);
      };
      si.on({ add: pokeUnlessOurs, update: (_o, s) => pokeUnlessOurs(s), delete: (s) => { this.ownSecretWrites.delete(objectKey(s)); poke(s); } });
      this.secrets.set(ns, si);
      this.byCreatedBy.set(ns, indexInformer(si, (o) => {
        const m = o.metadata as { namespace?: string; labels?: Record<string, string> };
        const by = m.labels?.[LABEL_CREATED_BY];
        return by ? [`${m.namespace ?? ''}/${by}`] : [];
      }));
    }
    const shared = sharedGets();
    const api = apiSources(o.client, shared);
    this.stores = new StoreController({
      client: o.client, namespaces: o.namespaces, clusterStores: o.clusterStores ?? true,
      workers: o.workers, backoffBaseMs: o.backoffBaseMs, backoffMaxMs: o.backoffMaxMs, queueQps: o.queueQps, queueBurst: o.queueBurst,
      watchIdleTimeoutMs: o.watchIdleTimeoutMs, requeueIntervalMs: o.storeRequeueIntervalMs ?? 5 * 60_000, controllerClass: o.controllerClass ?? DEFAULT_CONTROLLER_CLASS,
      clients: this.clients, sources: api, ...(o.providerTimeoutMs ? { providerTimeoutMs: o.providerTimeoutMs } : {}), recorder: o.recorder, metrics: o.metrics, log: o.log,
      onStoreUsable: (store) => this.retryDependents(store),
      onWatchEvent: () => shared.changed(),
    });
    this.ctx = {
      client: o.client,
      getExternalSecret: (ns, name) => this.getExternalSecret(ns, name),
      sources: this.stores.sources(api),
      clients: this.clients,
      reads: this.reads,
      ...(o.providerTimeoutMs ? { timeoutMs: o.providerTimeoutMs } : {}),
      recorder: o.recorder,
      log: o.log,
      now: () => Date.now(),
      statusWritten: (key, before, after) => this.written.set(key, { before: before.metadata.resourceVersion, after }),
      metrics: { syncCalls: o.metrics.esSyncCalls, syncErrors: o.metrics.esSyncErrors, condition: o.metrics.esCondition, duration: o.metrics.esReconcileDuration },
      secretsCreatedBy: (ns, value) => this.secretsCreatedBy(ns, value),
      managedSecretCached: (ns, name) => {
        const i = forNamespace(this.secrets, ns);
        return i?.hasSynced ? i.get(ns, name) !== undefined : undefined;
      },
      secretWritten: (ns, name, rv) => { if (rv) this.ownSecretWrites.set(`${ns}/${name}`, rv); },
      limiter: new StoreLimiter({
        concurrency: o.providerConcurrency ?? 8,
        ...((o.providerQps ?? 0) > 0 ? { ratePerSecond: o.providerQps, burst: o.providerBurst ?? Math.ceil(o.providerQps!) } : {}),
      }),
      ...providerObservers(this.reads, o.metrics),
      gate: { controllerClass: o.controllerClass ?? DEFAULT_CONTROLLER_CLASS, floodGate: o.floodGate ?? true },
      // the store caches once listed (ESO reads its cache); a live read until then, so a first pass
      // right after start never writes status on another controller's ExternalSecret
      cachedStore: (kind, name, namespace) => this.stores.hasSynced ? this.stores.getStore(kind, name, namespace) : api.getStore(kind, name, namespace),
    };
  }

  /** Starts the informers once external-secrets.io/v1 is served; probes again slowly until then. */
  start(): void {
    void this.probe();
  }

  get hasSynced(): boolean {
    return this.served && [...this.external.values(), ...this.secrets.values()].every((i) => i.hasSynced);
  }

  /** For /readyz when the sealed half is off: the first probe answered, and the CRDs are absent or the caches are synced. */
  get ready(): boolean {
    return this.probed && (!this.served || this.hasSynced);
  }

  startWorkers(): void {
    this.workersWanted = true;
    if (this.served) void this.runWorkers();
  }

  async stopWorkers(): Promise<void> {
    this.workersWanted = false;
    await Promise.all([this.queue.pause(), this.stores.pause()]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.probeTimer) clearTimeout(this.probeTimer);
    await this.queue.shutdown();
    await this.stores.stop();
    await Promise.all([...this.external.values(), ...this.secrets.values()].map((i) => i.stop()));
    await this.clients.close();
  }

  private async probe(): Promise<void> {
    if (this.stopped) return;
    let missing = false;
    try {
      await this.o.client.request('GET', ES_PATH);
    } catch (e) {
      missing = true;
      if (isNotFound(e)) {
        this.probed = true; // absent CRDs are an answer; an unreachable API server is not
        if (!this.probeTimer) this.o.log.info('external-secrets.io/v1 is not served (CRDs not installed); ExternalSecrets are reconciled once it is', {});
      } else {
        this.o.log.warn('could not look up external-secrets.io/v1; retrying', { error: errorText(e) });
      }
    }
    if (missing) {
      this.probeTimer = setTimeout(() => void this.probe(), this.o.probePeriodMs ?? 30_000);
      this.probeTimer.unref();
      return;
    }
    this.served = true;
    this.probed = true;
    if (this.probeTimer) this.o.log.info('external-secrets.io/v1 is served now; reconciling ExternalSecrets', {});
    for (const i of [...this.external.values(), ...this.secrets.values()]) i.start();
    this.stores.startInformers();
    if (this.workersWanted) await this.runWorkers();
  }

  private async runWorkers(): Promise<void> {
    await Promise.all([...this.external.values(), ...this.secrets.values()].map((i) => i.synced));
    if (!this.workersWanted || this.stopped) return;
    // Store validation starts once the store caches list (a missing store CRD never holds up ExternalSecrets).
    void this.stores.synced.then(() => { if (this.workersWanted && !this.stopped) this.stores.run(); });
    this.enqueueAll();
    this.queue.run((key, signal) => reconcileExternalSecret(key, this.ctx, signal));
  }

  enqueueAll(): void {
    for (const i of this.external.values()) for (const s of i.list()) this.queue.add(objectKey(s));
  }

  /** The ExternalSecret caches by watched namespace, read-only, for the ClusterExternalSecret controller. */
  get externalSecretCaches(): ReadonlyMap<string, InformerView> { return this.external; }

  getExternalSecret(namespace: string, name: string): ExternalSecretObject | undefined {
    const i = forNamespace(this.external, namespace);
    const cached = i?.get(namespace, name) as ExternalSecretObject | undefined;
    const key = `${namespace}/${name}`;
    const w = this.written.get(key);
    if (w && cached && cached.metadata.uid === w.after.metadata.uid && cached.metadata.resourceVersion === w.before) return w.after;
    this.written.delete(key);
    return cached;
  }

  /**
   * A store became usable (spec changed, or Ready turned True): its ExternalSecrets that are not
   * Ready are retried now, their backoff forgotten, instead of after minutes of backoff.
   */
  private retryDependents(store: StoreId): void {
    const informers = store.kind === 'SecretStore' ? [forNamespace(this.external, store.namespace ?? '')] : [...this.external.values()];
    for (const i of informers) {
      for (const es of (i?.list() ?? []) as unknown as ExternalSecretObject[]) {
        if (!referencesStore(es, store) || readyCondition(es)?.status === 'True') continue;
        const key = objectKey(es as unknown as Json);
        this.queue.forget(key);
        this.queue.add(key);
      }
    }
  }

  /** Managed Secrets in `namespace` labelled created-by `value` (informer cache). */
  private secretsCreatedBy(namespace: string, value: string): Json[] {
    const lookup = forNamespace(this.byCreatedBy, namespace);
    return (lookup?.(`${namespace}/${value}`) ?? []) as Json[];
  }

  /** The ExternalSecrets whose target is Secret namespace/name. */
  private targeting(namespace: string, name: string): ExternalSecretObject[] {
    const lookup = forNamespace(this.byTarget, namespace);
    return (lookup?.(`${namespace}/${name}`) ?? []) as unknown as ExternalSecretObject[];
  }
}

/** Spec, labels, annotations, finalizers or deletion changed (ESO's predicate); status-only updates are dropped. */
function relevantChange(old: Readonly<Json>, s: Readonly<Json>): boolean {
  // The API server bumps generation on every spec change (status subresource), so the spec itself
  // is compared only when an object has no generation: one stringified spec less per status write.
  const bySpec = typeof (old.metadata as { generation?: unknown })?.generation !== 'number' || typeof (s.metadata as { generation?: unknown })?.generation !== 'number';
  const pick = (o: Readonly<Json>) => {
    const m = o.metadata as { uid?: string; generation?: number; labels?: unknown; annotations?: unknown; finalizers?: unknown; deletionTimestamp?: string };
    return stableJson({ uid: m.uid, g: m.generation, l: m.labels, a: m.annotations, f: m.finalizers, d: m.deletionTimestamp, ...(bySpec ? { spec: o.spec } : {}) });
  };
  return pick(old) !== pick(s);
}
