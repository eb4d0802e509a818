// The key manager: keeps the registry in step with the key Secrets (watched, so added, changed and
// removed keys apply without a restart), generates keys on first start, at the cutoff and every renewal
// period (leader only), and on request: SIGUSR1, or a `cloak.dev/rotate-request` annotation that
// `cloak keys rotate` puts on a key Secret with the caller's RBAC. A key's Secret is written before the key is used. Scheduled
// keys get a name derived from the key they replace, so two replicas racing on one renewal collide on
// the API server's AlreadyExists instead of making two keys.
import { createHash } from 'node:crypto';
import { generateSealingKey, type SealingKey, type KeyOptions } from '../../src/crypto/index.js';
import { clusterError } from '../../src/errors.js';
import { ANNOTATION_ROTATE_HANDLED, ANNOTATION_ROTATE_REQUEST, KEY_LABEL, keySecretManifest } from '../../src/sealed/index.js';
import type { Json, KubeClient } from '../kube/index.js';
import { isAlreadyExists, isNotFound } from '../kube/index.js';
import type { Logger } from '../log.js';
import { errorText } from '../log.js';
import type { Informer } from '../runtime/index.js';
import { parseKeySecret, type ControllerKey, type KeyOrderPriority } from './key-secret.js';
import type { KeyRegistry } from './registry.js';

export interface KeyManagerOptions {
  client: KubeClient;
  namespace: string;
  prefix: string;
  registry: KeyRegistry;
  /** Informer over the active key Secrets in `namespace`. */
  informer: Informer;
  renewPeriodMs: number;
  cutoffTime: Date | undefined;
  keySize: number;
  keyTtlMs: number;
  commonName: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  orderPriority: KeyOrderPriority;
  log: Logger;
  now?: () => number;
  generate?: (o: KeyOptions) => Promise<SealingKey>;
}

const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export class KeyManager {
  private timer: NodeJS.Timeout | undefined;
  private renewing: Promise<void> | undefined;
  private leading = false;
  private readonly now: () => number;
  /** Rotation requests seen on key Secrets: request id → the Secret that carries it. */
  private readonly requests = new Map<string, string>();
  /** Request ids some key Secret says it was made for. */
  private readonly handled = new Set<string>();
  private requestsDone: Promise<void> = Promise.resolve();

  constructor(private readonly o: KeyManagerOptions) {
    this.now = o.now ?? Date.now;
    o.informer.on({
      add: (s) => this.load(s),
      update: (_old, s) => this.load(s),
      delete: (s) => {
        const name = String((s.metadata as { name?: string }).name ?? '');
        this.noteRequests(name, undefined);
        if (name === this.o.prefix) return; // the legacy key is not label-selected; it stays
        if (this.o.registry.has(name)) this.o.log.info('key removed', { secret: name });
        this.o.registry.remove(name);
        this.schedule();
      },
    });
  }

  /** Loads the legacy key (Secret named exactly the prefix, from pre-v0.9 controllers) once. */
  async loadLegacy(): Promise<void> {
    try {
      const s = await this.o.client.request<Json>('GET', `/api/v1/namespaces/${this.o.namespace}/secrets/${this.o.prefix}`);
      this.load(s);
    } catch (e) {
      if (!isNotFound(e)) this.o.log.warn('could not read the legacy key Secret', { secret: this.o.prefix, error: errorText(e) });
    }
  }

  /** Leader only: make sure a usable key exists, then keep renewing on schedule. */
  async startLeading(): Promise<void> {
    this.leading = true;
    await this.renewIfDue();
    this.schedule();
    await this.handleRequests();
  }

  stopLeading(): void {
    this.leading = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  async stop(): Promise<void> {
    this.stopLeading();
    await this.renewing;
    await this.requestsDone;
  }

  /** Generates a key now (`cloak keys rotate`, SIGUSR1); returns it once its Secret is written. */
  async rotate(reason = 'requested'): Promise<ControllerKey> {
    const key = await this.createKey({ generateName: this.o.prefix }, reason);
    this.schedule();
    return key;
  }

  /** When the next scheduled key is due (ms since epoch), if renewal is on. */
  nextRenewal(): number | undefined {
    const newest = this.o.registry.newest();
    if (!newest || this.o.renewPeriodMs <= 0) return undefined;
    return newest.orderingTime.getTime() + this.o.renewPeriodMs;
  }

  private load(s: Readonly<Json>): void {
    const meta = (s.metadata ?? {}) as { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
    const name = meta.name ?? '';
    this.noteRequests(name, meta.annotations);
    if (name !== this.o.prefix && meta.labels?.[KEY_LABEL] !== 'active') { this.o.registry.remove(name); return; }
    try {
      const key = parseKeySecret(s, this.o.orderPriority);
      const known = this.o.registry.has(name);
      this.o.registry.set(key);
      if (!known) this.o.log.info('key loaded', { secret: name, fingerprint: key.fingerprint, notAfter: key.notAfter.toISOString() });
      this.schedule();
    } catch (e) {
      this.o.registry.remove(name);
      this.o.log.error('key Secret skipped', { secret: name, error: errorText(e) });
    }
  }

  private noteRequests(name: string, annotations: Record<string, string> | undefined): void {
    for (const [id, holder] of this.requests) if (holder === name) this.requests.delete(id);
    const requested = annotations?.[ANNOTATION_ROTATE_REQUEST];
    const handled = annotations?.[ANNOTATION_ROTATE_HANDLED];
    if (handled) this.handled.add(handled);
    if (requested && !this.handled.has(requested)) {
      this.requests.set(requested, name);
      void this.handleRequests();
    }
  }

  /** Leader only: one new key per pending `cloak keys rotate` request, one request at a time. */
  private handleRequests(): Promise<void> {
    this.requestsDone = this.requestsDone.then(async () => {
      for (const [id, holder] of [...this.requests]) {
        if (!this.leading) return;
        if (this.handled.has(id)) { this.requests.delete(id); continue; }
        // Named after the request: a second replica or a restart collides instead of making another key.
        const name = this.o.prefix + derivedSuffix(`rotate-request|${id}`);
        try {
          await this.createKey({ name }, 'requested with cloak keys rotate', { [ANNOTATION_ROTATE_HANDLED]: id }, false);
        } catch (e) {
          if (!isAlreadyExists(e)) {
            this.o.log.error('could not create the requested key; will retry on the next change of a key Secret', { secret: name, error: errorText(e) });
            continue;
          }
        }
        this.handled.add(id);
        this.requests.delete(id);
        this.schedule();
        try {
          await this.o.client.request('PATCH', `/api/v1/namespaces/${this.o.namespace}/secrets/${holder}`, {
            body: { metadata: { annotations: { [ANNOTATION_ROTATE_REQUEST]: null } } },
            contentType: 'application/merge-patch+json',
          });
        } catch (e) {
          if (!isNotFound(e)) this.o.log.warn('could not clear the rotation request', { secret: holder, error: errorText(e) });
        }
      }
    });
    return this.requestsDone;
  }

  private schedule(): void {
    if (!this.leading) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const due = this.nextRenewal();
    if (due === undefined) return;
    // Timers cap at ~24.8 days; re-check at least daily.
    const wait = Math.min(Math.max(0, due - this.now()), 86_400_000);
    this.timer = setTimeout(() => { this.timer = undefined; void this.renewIfDue().finally(() => this.schedule()); }, wait);
    this.timer.unref();
  }

  private renewIfDue(): Promise<void> {
    this.renewing ??= this.doRenew().finally(() => { this.renewing = undefined; });
    return this.renewing;
  }

  private async doRenew(): Promise<void> {
    if (!this.leading) return;
    const newest = this.o.registry.newest();
    let reason: string | undefined;
    if (!newest) reason = 'no key';
    else if (this.o.cutoffTime && newest.orderingTime.getTime() < this.o.cutoffTime.getTime()) reason = 'newest key is older than --key-cutoff-time';
    else if (this.o.renewPeriodMs > 0 && newest.orderingTime.getTime() + this.o.renewPeriodMs <= this.now()) reason = 'renewal period elapsed';
    if (!reason) return;
    const name = this.o.prefix + derivedSuffix(`${newest?.name ?? ''}|${newest?.fingerprint ?? 'initial'}|${reason}`);
    try {
      await this.createKey({ name }, reason);
    } catch (e) {
      this.o.log.error('could not create a new key; will retry', { error: errorText(e) });
      if (this.leading) {
        const t = setTimeout(() => { void this.renewIfDue(); }, 10_000);
        t.unref();
      }
    }
  }

  /**
   * @param reuseExisting for scheduled renewals: when the derived name exists, use that key (another
   *   replica made it); off for requests, whose caller treats AlreadyExists as "already done".
   */
  private async createKey(
    naming: { name: string } | { generateName: string }, reason: string, annotations: Record<string, string> = {}, reuseExisting = true,
  ): Promise<ControllerKey> {
    const generate = this.o.generate ?? generateSealingKey;
    const sk = await generate({
      bits: this.o.keySize,
      commonName: this.o.commonName,
      now: new Date(this.now()),
      validityDays: this.o.keyTtlMs / 86_400_000,
    });
    const manifest = keySecretManifest({
      ...naming,
      namespace: this.o.namespace,
      keyPem: sk.keyPem,
      certPem: sk.certPem,
      labels: this.o.labels,
      annotations: { ...this.o.annotations, ...annotations },
    });
    let written: Json;
    try {
      written = await this.o.client.request<Json>('POST', `/api/v1/namespaces/${this.o.namespace}/secrets`, { body: manifest });
    } catch (e) {
      if (!reuseExisting && isAlreadyExists(e)) throw e;
      if (isAlreadyExists(e) && 'name' in naming) {
        // Another replica made this renewal's key first; use theirs.
        this.o.log.info('key for this renewal already exists', { secret: naming.name });
        const existing = await this.o.client.request<Json>('GET', `/api/v1/namespaces/${this.o.namespace}/secrets/${naming.name}`);
        this.load(existing);
        const key = this.o.registry.all().find((k) => k.name === naming.name);
        if (key) return key;
        // That name is taken by something unusable (e.g. a retired key): fall back to a random name.
        return this.createKey({ generateName: this.o.prefix }, reason);
      }
      throw clusterError('KeyWriteFailed', `could not write the new key Secret: ${errorText(e)}`, {
        subject: `namespace ${this.o.namespace}`,
        hint: 'the controller needs create on secrets in its namespace',
        cause: e,
      });
    }
    // Persisted first, published second: register only after the Secret exists.
    const key = parseKeySecret(written, this.o.orderPriority);
    const generated = { ...key, orderingTime: new Date(Math.max(this.now(), key.orderingTime.getTime())) };
    this.o.registry.set(generated);
    this.o.log.info('new key generated', { secret: key.name, fingerprint: key.fingerprint, reason, certificate: key.certPem.trim() });
    return generated;
  }
}

/** A stable 5-character suffix in Kubernetes' generateName alphabet. */
export function derivedSuffix(basis: string): string {
  const h = createHash('sha256').update(basis).digest();
  let s = '';
  for (let i = 0; i < 5; i++) s += SUFFIX_ALPHABET[(h[i] as number) % SUFFIX_ALPHABET.length];
  return s;
}
