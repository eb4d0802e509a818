// Wires the SealedSecret reconciler: informers on SealedSecrets and Secrets (per watched namespace, or
// cluster-wide; Secrets cached as value-free views, secret-view.ts), one work queue, event handlers
// that only enqueue keys, retries when keys change, and a periodic level-triggered resync. Workers run
// only while this replica leads.
import type { BuildOptions, DecryptFn } from '../../src/sealed/index.js';
import type { EventRecorder } from '../events/index.js';
import type { KeyRegistry } from '../keys/index.js';
import type { Json, KubeClient } from '../kube/index.js';
import { isNotFound } from '../kube/index.js';
import type { Logger } from '../log.js';
import type { ControllerMetrics } from '../metrics/index.js';
import { Informer, objectKey, WorkQueue } from '../runtime/index.js';
import { ANNOTATION_UNSEALED_WITH } from './apply.js';
import { reconcileSealedSecret, type ReconcileContext, type Unsealed } from './reconcile.js';
import { ResultCache, stableJson } from './result-cache.js';
import { secretView } from './secret-view.js';
import { forNamespace } from '../runtime/per-namespace.js';

export interface SealedControllerOptions {
  client: KubeClient;
  /** [''] for all namespaces. */
  namespaces: string[];
  labelSelector: string;
  skipRecreate: boolean;
  updateStatus: boolean;
  oldGcBehavior: boolean;
  workers: number;
  maxRetries: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  queueQps: number;
  queueBurst: number;
  resyncPeriodMs: number;
  watchIdleTimeoutMs: number;
  keys: KeyRegistry;
  decrypt: DecryptFn;
  forgetKey?: (fingerprint: string) => void;
  renderTemplate: BuildOptions['renderTemplate'];
  recorder: EventRecorder;
  metrics: ControllerMetrics;
  log: Logger;
}

const SS_PATH = '/apis/bitnami.com/v1alpha1';

export class SealedSecretController {
  readonly queue: WorkQueue;
  private readonly sealed = new Map<string, Informer>();
  private readonly secrets = new Map<string, Informer>();
  private readonly failing = new Set<string>();
  private readonly cache = new ResultCache<Unsealed>();
  private readonly ctx: ReconcileContext;
  private resyncTimer: NodeJS.Timeout | undefined;

  constructor(private readonly o: SealedControllerOptions) {
    this.queue = new WorkQueue({
      name: 'sealedsecrets',
      concurrency: o.workers,
      baseDelayMs: o.backoffBaseMs,
      maxDelayMs: o.backoffMaxMs,
      maxRetries: o.maxRetries,
      qps: o.queueQps,
      burst: o.queueBurst,
      log: o.log,
    });
    for (const ns of o.namespaces) {
      const informer = new Informer({
        name: `sealedsecrets${ns ? `/${ns}` : ''}`,
        client: o.client,
        path: ns ? `${SS_PATH}/namespaces/${ns}/sealedsecrets` : `${SS_PATH}/sealedsecrets`,
        ...(o.labelSelector ? { labelSelector: o.labelSelector } : {}),
        idleTimeoutMs: o.watchIdleTimeoutMs,
        log: o.log,
        onError: () => o.metrics.watchRestarts.inc({ resource: 'sealedsecrets' }),
      });
      informer.on({
        add: (s) => this.queue.add(objectKey(s)),
        update: (old, s) => { if (relevantChange(old, s)) this.queue.add(objectKey(s)); },
        delete: (s) => { this.cache.delete(String((s.metadata as { uid?: string }).uid)); this.queue.add(objectKey(s)); },
        relisted: () => { for (const s of informer.list()) this.queue.add(objectKey(s)); },
      });
      this.sealed.set(ns, informer);
      if (!o.skipRecreate) {
        const si = new Informer({
          name: `secrets${ns ? `/${ns}` : ''}`,
          client: o.client,
          // Unlike Bitnami, not filtered by --label-selector: a Secret need not carry its SealedSecret's labels.
          path: ns ? `/api/v1/namespaces/${ns}/secrets` : '/api/v1/secrets',
          // No values in memory: metadata and value digests of Secrets we may write, a name for the rest.
          transform: secretView,
          idleTimeoutMs: o.watchIdleTimeoutMs,
          log: o.log,
          onError: () => o.metrics.watchRestarts.inc({ resource: 'secrets' }),
        });
        const poke = (s: Readonly<Json>, deleted = false) => {
          const m = s.metadata as { namespace: string; name: string; resourceVersion?: string };
          const key = `${m.namespace}/${m.name}`;
          // The echo of our own write needs no reconcile; anything else (edit, delete, foreign write) does.
          if (!deleted && m.resourceVersion && this.ctx.secretWritten.get(key) === m.resourceVersion) return;
          this.ctx.secretWritten.delete(key);
          if (this.getSealedSecret(m.namespace, m.name)) this.queue.add(key);
        };
        si.on({ add: (s) => poke(s), update: (_o, s) => poke(s), delete: (s) => poke(s, true) });
        this.secrets.set(ns, si);
      }
    }
    o.keys.onChange((c) => {
      if (c.removed.length > 0) {
        this.cache.clear();
        for (const k of c.removed) o.forgetKey?.(k.fingerprint);
        this.enqueueAll();
      } else {
        for (const k of this.failing) this.queue.add(k);
      }
    });
    this.ctx = {
      client: o.client,
      getSealedSecret: (ns, name) => this.getSealedSecret(ns, name),
      getSecret: (ns, name) => this.getSecret(ns, name),
      keys: o.keys,
      decrypt: o.decrypt,
      renderTemplate: o.renderTemplate,
      cache: this.cache,
      recorder: o.recorder,
      metrics: o.metrics,
      log: o.log,
      updateStatus: o.updateStatus,
      oldGcBehavior: o.oldGcBehavior,
      now: () => new Date(),
      onOutcome: (key, ok) => { if (ok) this.failing.delete(key); else this.failing.add(key); },
      statusWritten: new Map(),
      secretWritten: new Map(),
    };
  }

  start(): void {
    for (const i of [...this.sealed.values(), ...this.secrets.values()]) i.start();
    if (this.o.resyncPeriodMs > 0) {
      this.resyncTimer = setInterval(() => this.enqueueAll(), this.o.resyncPeriodMs);
      this.resyncTimer.unref();
    }
  }

  /** Resolves once every informer has listed successfully. */
  async synced(): Promise<void> {
    await Promise.all([...this.sealed.values(), ...this.secrets.values()].map((i) => i.synced));
  }

  get hasSynced(): boolean {
    return [...this.sealed.values(), ...this.secrets.values()].every((i) => i.hasSynced);
  }

  startWorkers(): void {
    this.enqueueAll();
    this.queue.run((key) => reconcileSealedSecret(key, this.ctx));
  }

  async stopWorkers(): Promise<void> {
    await this.queue.pause();
  }

  async stop(): Promise<void> {
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    await this.queue.shutdown();
    await Promise.all([...this.sealed.values(), ...this.secrets.values()].map((i) => i.stop()));
  }

  enqueueAll(): void {
    for (const i of this.sealed.values()) for (const s of i.list()) this.queue.add(objectKey(s));
  }

  listSealedSecrets(): Readonly<Json>[] {
    return [...this.sealed.values()].flatMap((i) => i.list());
  }

  /** How many SealedSecrets currently unseal with each key (from the Secrets' unsealed-with annotation). */
  async countByKey(): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const ss of this.listSealedSecrets()) {
      const m = ss.metadata as { namespace: string; name: string; uid?: string };
      const secret = await this.getSecret(m.namespace, m.name).catch(() => undefined);
      const a = ((secret?.metadata ?? {}) as { annotations?: Record<string, string> }).annotations?.[ANNOTATION_UNSEALED_WITH];
      if (!a) continue;
      for (const fp of new Set(a.split(','))) counts.set(fp, (counts.get(fp) ?? 0) + 1);
    }
    return counts;
  }

  getSealedSecret(namespace: string, name: string): Readonly<Json> | undefined {
    const i = forNamespace(this.sealed, namespace);
    return i?.get(namespace, name);
  }

  private async getSecret(namespace: string, name: string): Promise<Readonly<Json> | undefined> {
    const i = forNamespace(this.secrets, namespace);
    if (i) return i.get(namespace, name);
    try {
      return await this.o.client.request<Json>('GET', `/api/v1/namespaces/${namespace}/secrets/${name}`);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }
}

/** Spec, top-level annotations (scope, key hints) or identity changed; status-only updates are dropped. */
function relevantChange(old: Readonly<Json>, s: Readonly<Json>): boolean {
  const mo = old.metadata as { uid?: string; annotations?: unknown; generation?: number; deletionTimestamp?: string };
  const mn = s.metadata as typeof mo;
  return mo.uid !== mn.uid || mo.generation !== mn.generation || mo.deletionTimestamp !== mn.deletionTimestamp
    || stableJson(old.spec ?? {}) !== stableJson(s.spec ?? {}) || stableJson(mo.annotations ?? {}) !== stableJson(mn.annotations ?? {});
}
