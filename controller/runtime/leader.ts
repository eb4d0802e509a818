// Leader election on a coordination.k8s.io/v1 Lease, as client-go's leaderelection does it: Get, then
// Create or Update with the stored resourceVersion (the API server's 409 decides races). Expiry is judged
// by when *we* last saw the record change, not by the holder's clock. The leader releases on shutdown.
import type { Json, KubeClient } from '../kube/index.js';
import { isAlreadyExists, isConflict, isNotFound } from '../kube/index.js';
import type { Logger } from '../log.js';
import { errorText } from '../log.js';

export interface LeaderElectorOptions {
  client: KubeClient;
  namespace: string;
  name: string;
  identity: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  log: Logger;
  onStartedLeading: () => void;
  onStoppedLeading: () => void;
  now?: () => number;
}

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export class LeaderElector {
  private leading = false;
  private observed: { record: string; at: number } | undefined;
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private readonly now: () => number;

  constructor(private readonly o: LeaderElectorOptions) {
    this.now = o.now ?? Date.now;
  }

  get isLeader(): boolean { return this.leading; }

  start(): void {
    this.loop ??= this.run();
  }

  /** Stops campaigning; a leader releases the Lease so another replica takes over at once. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
    if (this.leading) {
      await this.release().catch((e: unknown) => this.o.log.warn('could not release the lease', { error: errorText(e) }));
      this.setLeading(false);
    }
  }

  private path(name?: string): string {
    const base = `/apis/coordination.k8s.io/v1/namespaces/${this.o.namespace}/leases`;
    return name ? `${base}/${name}` : base;
  }

  private async run(): Promise<void> {
    const signal = this.abort.signal;
    let lastRenew = this.now();
    while (!signal.aborted) {
      let ok = false;
      // A leader's attempt is bounded by the renew deadline (client-go gives it a context with that
      // timeout): a PUT that hangs must not keep us leading after another replica may have taken over.
      const attempt = new AbortController();
      const onAbort = () => attempt.abort();
      signal.addEventListener('abort', onAbort, { once: true });
      let deadline: NodeJS.Timeout | undefined;
      if (this.leading) {
        deadline = setTimeout(() => {
          attempt.abort();
          this.stepDown();
        }, Math.max(0, lastRenew + this.o.renewDeadlineMs - this.now()));
      }
      try {
        ok = await this.tryAcquireOrRenew(attempt.signal);
        if (attempt.signal.aborted) ok = false;
      } catch (e) {
        if (!attempt.signal.aborted) this.o.log.warn('lease update failed', { lease: this.o.name, error: errorText(e) });
      } finally {
        clearTimeout(deadline);
        signal.removeEventListener('abort', onAbort);
      }
      if (signal.aborted) break;
      if (ok) {
        lastRenew = this.now();
        if (!this.leading) {
          this.o.log.info('became leader', { lease: this.o.name, identity: this.o.identity });
          this.setLeading(true);
        }
      } else if (this.leading && this.now() - lastRenew > this.o.renewDeadlineMs) {
        this.stepDown();
      }
      await sleep(this.o.retryPeriodMs * (ok || this.leading ? 1 : 1 + Math.random() * 0.2), signal);
    }
  }

  private stepDown(): void {
    if (!this.leading) return;
    this.o.log.warn('lost leadership: the lease was not renewed within the renew deadline', { lease: this.o.name, identity: this.o.identity });
    this.setLeading(false);
  }

  private setLeading(v: boolean): void {
    if (this.leading === v) return;
    this.leading = v;
    if (v) this.o.onStartedLeading(); else this.o.onStoppedLeading();
  }

  private async tryAcquireOrRenew(signal: AbortSignal): Promise<boolean> {
    const now = this.now();
    const desired = (old?: LeaseSpec): LeaseSpec => ({
      holderIdentity: this.o.identity,
      leaseDurationSeconds: Math.max(1, Math.round(this.o.leaseDurationMs / 1000)),
      acquireTime: old?.holderIdentity === this.o.identity && old.acquireTime ? old.acquireTime : microTime(now),
      renewTime: microTime(now),
      leaseTransitions: (old?.leaseTransitions ?? 0) + (old?.holderIdentity === this.o.identity ? 0 : old ? 1 : 0),
    });
    let lease: Json;
    try {
      lease = await this.o.client.request('GET', this.path(this.o.name), { signal });
    } catch (e) {
      if (!isNotFound(e)) throw e;
      try {
        await this.o.client.request('POST', this.path(), {
          body: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.o.name, namespace: this.o.namespace }, spec: desired() },
          signal,
        });
        this.observed = undefined;
        return true;
      } catch (e2) {
        if (isAlreadyExists(e2)) return false;
        throw e2;
      }
    }
    const spec = (lease.spec ?? {}) as LeaseSpec;
    const record = JSON.stringify([spec.holderIdentity, spec.renewTime, spec.leaseDurationSeconds]);
    if (this.observed?.record !== record) this.observed = { record, at: now };
    const durationMs = (spec.leaseDurationSeconds ?? 0) * 1000;
    const heldByOther = !!spec.holderIdentity && spec.holderIdentity !== this.o.identity;
    if (heldByOther && this.observed.at + durationMs > now) return false;
    const body = { ...lease, spec: { ...spec, ...desired(spec) } };
    try {
      await this.o.client.request('PUT', this.path(this.o.name), { body, signal });
      return true;
    } catch (e) {
      if (isConflict(e)) return false;
      throw e;
    }
  }

  private async release(): Promise<void> {
    const lease = await this.o.client.request<Json>('GET', this.path(this.o.name));
    const spec = (lease.spec ?? {}) as LeaseSpec;
    if (spec.holderIdentity !== this.o.identity) return;
    const now = microTime(this.now());
    await this.o.client.request('PUT', this.path(this.o.name), {
      body: { ...lease, spec: { ...spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: now, acquireTime: now } },
    });
    this.o.log.info('released leadership', { lease: this.o.name });
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) { resolve(); return; }
    const t = setTimeout(finish, ms);
    function finish() { clearTimeout(t); signal.removeEventListener('abort', finish); resolve(); }
    signal.addEventListener('abort', finish, { once: true });
  });
}
