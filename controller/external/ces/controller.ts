// Wires the ClusterExternalSecret reconciler: informers on ClusterExternalSecrets and Namespaces, the
// ExternalSecret controller's own ExternalSecret caches (per watched namespace, or cluster-wide; only
// those controlled by a CES matter; shared, not a second copy), and one work queue keyed "/<ces-name>". A CES is reconciled when it changes (status-only updates
// dropped), when a namespace it selects (before or after the change) appears, changes or goes, when one
// of its children changes, when an ExternalSecret that blocked one of its namespaces goes, and every
// spec.refreshTime. Until clusterexternalsecrets.external-secrets.io/v1 is served it probes slowly.
import { stableJson } from '../../../src/external/index.js';
import type { Json, KubeClient } from '../../kube/index.js';
import { isNotFound } from '../../kube/index.js';
import { errorText } from '../../log.js';
import type { ControllerMetrics } from '../../metrics/index.js';
import { Informer, objectKey, type InformerView, type WorkQueue } from '../../runtime/index.js';
import { retryForeverQueue, type RetryQueueSettings } from '../retry-queue.js';
import { childName, controllingCes, storedState } from './child.js';
import { CesMetrics } from './metrics.js';
import { WriteOverlay } from './overlay.js';
import { reconcileClusterExternalSecret, type CesReconcileContext } from './reconcile.js';
import { selects } from './select.js';
import type { ClusterExternalSecretObject, NamespaceObject } from './types.js';
import { forNamespace } from '../../runtime/per-namespace.js';

export interface CesControllerOptions extends RetryQueueSettings {
  client: KubeClient;
  /** [''] for all namespaces; otherwise children are only written in these. */
  namespaces: string[];
  /**
   * The ExternalSecret controller's ExternalSecret caches by watched namespace ('' for all), the same
   * keys as `namespaces`; that controller starts and stops them.
   */
  externalSecrets: ReadonlyMap<string, InformerView>;
  watchIdleTimeoutMs: number;
  probePeriodMs?: number;
  metrics: ControllerMetrics;
}

const ESO_PATH = '/apis/external-secrets.io/v1';
const cesKey = (name: string) => `/${name}`;

export class ClusterExternalSecretController {
  readonly queue: WorkQueue;
  private readonly ces: Informer;
  private readonly nsInformer: Informer;
  private readonly children: ReadonlyMap<string, InformerView>;
  private readonly childOverlay = new WriteOverlay<Readonly<Json>>();
  private readonly cesOverlay = new WriteOverlay<ClusterExternalSecretObject>();
  /** child key → what the server stored after our last write (generation, our metadata) and the fingerprint of what we sent. */
  private readonly sent = new Map<string, { stored: string; fp: string }>();
  private readonly ctx: CesReconcileContext;
  private probeTimer: NodeJS.Timeout | undefined;
  private served = false;
  private probed = false;
  private stopped = false;
  private workersWanted = false;

  constructor(private readonly o: CesControllerOptions) {
    this.queue = retryForeverQueue('clusterexternalsecrets', o);
    const informer = (name: string, path: string) => new Informer({
      name, client: o.client, path, idleTimeoutMs: o.watchIdleTimeoutMs, log: o.log,
      onError: () => o.metrics.watchRestarts.inc({ resource: name.split('/')[0]! }),
    });
    this.ces = informer('clusterexternalsecrets', `${ESO_PATH}/clusterexternalsecrets`);
    this.ces.on({
      add: (c) => this.queue.add(objectKey(c)),
      update: (old, c) => { if (specOrMetaChanged(old, c)) this.queue.add(objectKey(c)); },
      delete: (c) => { this.cesOverlay.forget(objectKey(c)); this.ctx.metrics?.remove(String((c.metadata as { name?: string }).name)); },
      relisted: () => this.enqueueAll(),
    });
    this.nsInformer = informer('namespaces', '/api/v1/namespaces');
    this.nsInformer.on({
      add: (n) => this.namespaceChanged(n),
      update: (old, n) => { if (namespaceChanged(old, n)) { this.namespaceChanged(old); this.namespaceChanged(n); } },
      delete: (n) => this.namespaceChanged(n),
    });
    this.children = o.externalSecrets;
    for (const ci of this.children.values()) {
      const poke = (es: Readonly<Json>) => {
        this.childOverlay.forget(objectKey(es));
        const owner = controllingCes(es);
        if (owner) this.queue.add(cesKey(owner));
        else this.blockerChanged(es);
      };
      // Status writes by the ExternalSecret controller are not our business; anything we decide about is.
      ci.on({ add: poke, update: (old, es) => { if (childChanged(old, es)) { poke(old); poke(es); } }, delete: (es) => { this.sent.delete(objectKey(es)); poke(es); } });
    }
    this.ctx = {
      client: o.client,
      getCes: (name) => this.cesOverlay.read(cesKey(name), this.ces.get('', name) as ClusterExternalSecretObject | undefined),
      namespaces: () => this.nsInformer.list() as unknown as NamespaceObject[],
      inScope: (ns) => this.children.has('') || this.children.has(ns),
      getChild: (ns, name) => this.getChild(ns, name),
      childrenOf: (cesName) => this.childrenOf(cesName),
      childWritten: (ns, name, before, after, fp) => {
        this.childOverlay.record(`${ns}/${name}`, before, after);
        if (after && fp) this.sent.set(`${ns}/${name}`, { stored: storedState(after), fp }); else this.sent.delete(`${ns}/${name}`);
      },
      lastSent: (ns, name, current) => {
        const s = this.sent.get(`${ns}/${name}`);
        return s && s.stored === storedState(current) ? s.fp : undefined;
      },
      statusWritten: (before, after) => this.cesOverlay.record(cesKey(before.metadata.name!), before, after),
      metrics: new CesMetrics(o.metrics.registry),
      log: o.log,
    };
  }

  start(): void { void this.probe(); }

  /** The informers this controller starts and stops (the ExternalSecret caches are not its own). */
  private get informers(): Informer[] { return [this.ces, this.nsInformer]; }

  private get caches(): InformerView[] { return [...this.informers, ...this.children.values()]; }

  get hasSynced(): boolean { return this.served && this.caches.every((i) => i.hasSynced); }

  /** For /readyz when the sealed half is off: the first probe answered, and the CRD is absent or the caches are synced. */
  get ready(): boolean { return this.probed && (!this.served || this.hasSynced); }

  startWorkers(): void {
    this.workersWanted = true;
    if (this.served) void this.runWorkers();
  }

  async stopWorkers(): Promise<void> {
    this.workersWanted = false;
    await this.queue.pause();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.probeTimer) clearTimeout(this.probeTimer);
    await this.queue.shutdown();
    await Promise.all(this.informers.map((i) => i.stop()));
  }

  enqueueAll(): void {
    for (const c of this.ces.list()) this.queue.add(objectKey(c));
  }

  private async probe(): Promise<void> {
    if (this.stopped) return;
    let served = false;
    try {
      const list = await this.o.client.request<{ resources?: Array<{ name: string }> }>('GET', ESO_PATH);
      served = (list.resources ?? []).some((r) => r.name === 'clusterexternalsecrets');
      this.probed = true;
      if (!served && !this.probeTimer) this.o.log.info('the ClusterExternalSecret CRD is not installed; ClusterExternalSecrets are reconciled once it is', {});
    } catch (e) {
      // The whole group missing is already reported once by the ExternalSecret controller.
      if (isNotFound(e)) this.probed = true; // the group is absent: an answer; an unreachable API server is not
      else this.o.log.warn('could not look up external-secrets.io/v1 for ClusterExternalSecrets; retrying', { error: errorText(e) });
    }
    if (!served) {
      this.probeTimer = setTimeout(() => void this.probe(), this.o.probePeriodMs ?? 30_000);
      this.probeTimer.unref();
      return;
    }
    this.served = true;
    if (this.probeTimer) this.o.log.info('ClusterExternalSecrets are served now; reconciling them', {});
    for (const i of this.informers) i.start();
    if (this.workersWanted) await this.runWorkers();
  }

  private async runWorkers(): Promise<void> {
    await Promise.all(this.caches.map((i) => i.synced));
    if (!this.workersWanted || this.stopped) return;
    this.enqueueAll();
    this.queue.run((key, signal) => reconcileClusterExternalSecret(key, this.ctx, signal));
  }

  private childInformer(ns: string): InformerView | undefined {
    return forNamespace(this.children, ns);
  }

  private getChild(ns: string, name: string): Readonly<Json> | undefined {
    return this.childOverlay.read(`${ns}/${name}`, this.childInformer(ns)?.get(ns, name));
  }

  private childrenOf(cesName: string): Readonly<Json>[] {
    const out: Readonly<Json>[] = [];
    for (const i of this.children.values()) {
      for (const es of i.list()) {
        const cur = this.childOverlay.read(objectKey(es), es);
        if (cur && controllingCes(cur) === cesName) out.push(cur);
      }
    }
    return out;
  }

  /** A namespace appeared, changed or went: every CES selecting it (or that provisioned or failed it). */
  private namespaceChanged(n: Readonly<Json>): void {
    const ns = n as unknown as NamespaceObject;
    for (const c of this.ces.list() as unknown as ClusterExternalSecretObject[]) {
      const st = c.status ?? {};
      if (selects(c, ns) || st.provisionedNamespaces?.includes(ns.metadata.name) || st.failedNamespaces?.some((f) => f.namespace === ns.metadata.name)) {
        this.queue.add(cesKey(c.metadata.name!));
      }
    }
  }

  /** An ExternalSecret not controlled by a CES changed: CESes that failed its namespace because of its name. */
  private blockerChanged(es: Readonly<Json>): void {
    const m = es.metadata as { namespace: string; name: string };
    const ns: NamespaceObject = { metadata: { name: m.namespace, labels: this.namespaceLabels(m.namespace) } };
    for (const c of this.ces.list() as unknown as ClusterExternalSecretObject[]) {
      if (childName(c) !== m.name) continue;
      if ((c.status?.failedNamespaces ?? []).some((f) => f.namespace === m.namespace) || selects(c, ns)) this.queue.add(cesKey(c.metadata.name!));
    }
  }

  private namespaceLabels(name: string): Record<string, string> {
    return ((this.nsInformer.get('', name)?.metadata ?? {}) as { labels?: Record<string, string> }).labels ?? {};
  }
}

/** Spec, labels, annotations, finalizers or deletion changed; status-only updates are dropped. */
function specOrMetaChanged(old: Readonly<Json>, c: Readonly<Json>): boolean {
  const pick = (o: Readonly<Json>) => {
    const m = o.metadata as { uid?: string; generation?: number; labels?: unknown; annotations?: unknown; deletionTimestamp?: string };
    return stableJson({ uid: m.uid, g: m.generation, l: m.labels, a: m.annotations, d: m.deletionTimestamp, spec: o.spec });
  };
  return pick(old) !== pick(c);
}

/** Spec (generation), labels, annotations, ownerReferences or deletion of a child changed. */
function childChanged(old: Readonly<Json>, es: Readonly<Json>): boolean {
  const pick = (o: Readonly<Json>) => {
    const m = o.metadata as { uid?: string; generation?: number; labels?: unknown; annotations?: unknown; ownerReferences?: unknown; deletionTimestamp?: string };
    return stableJson({ u: m.uid, g: m.generation, l: m.labels, a: m.annotations, o: m.ownerReferences, d: m.deletionTimestamp });
  };
  return pick(old) !== pick(es);
}

/** Labels or the terminating state changed (ESO's NamespacePredicate cares about labels). */
function namespaceChanged(old: Readonly<Json>, n: Readonly<Json>): boolean {
  const pick = (o: Readonly<Json>) => {
    const ns = o as unknown as NamespaceObject;
    return stableJson({ l: ns.metadata.labels ?? {}, d: ns.metadata.deletionTimestamp, p: ns.status?.phase });
  };
  return pick(old) !== pick(n);
}
