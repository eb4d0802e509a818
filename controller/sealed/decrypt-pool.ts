// A pool of decrypt worker threads so RSA work uses every core. It plugs into src/sealed's
// unsealItems as its `decrypt` function. The threads start on the first decrypt: each idle one holds
// about 16 MB, and a controller without SealedSecrets (External Secrets only) never needs them.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { cryptoError } from '../../src/errors.js';
import type { DecryptKey } from '../../src/sealed/index.js';
import type { WorkerReply, WorkerRequest } from './decrypt-worker.js';

interface Slot {
  worker: Worker | undefined;
  pending: number;
  keys: Set<string>;
}

export class DecryptPool {
  private readonly slots: Slot[] = [];
  private readonly waiting = new Map<number, { resolve: (b: Buffer) => void; reject: (e: unknown) => void; slot: Slot }>();
  private nextId = 1;
  private closed = false;
  private started = false;

  constructor(threads = 0) {
    const n = threads > 0 ? threads : availableParallelism();
    for (let i = 0; i < n; i++) this.slots.push({ worker: undefined, pending: 0, keys: new Set<string>() });
  }

  private spawn(slot: Slot): void {
    const worker = new Worker(new URL('./decrypt-worker.js', import.meta.url));
    worker.unref();
    slot.worker = worker;
    slot.keys.clear();
    worker.on('message', (r: WorkerReply) => this.onReply(r));
    // 'error' is followed by 'exit': whichever comes first replaces the worker, the other finds it gone.
    worker.on('error', (e) => { if (slot.worker === worker) this.failSlot(slot, e); });
    worker.on('exit', (code) => { if (slot.worker === worker) this.failSlot(slot, new Error(`exited with code ${code}`)); });
  }

  /** The current worker threads (for health checks and fault tests); none before the first decrypt. */
  get workers(): readonly Worker[] { return this.slots.flatMap((s) => (s.worker ? [s.worker] : [])); }

  get size(): number { return this.slots.length; }

  /** Decrypts on the least busy worker; rejects like hybridDecrypt (code DecryptFailed/TooShort). */
  decrypt = (key: DecryptKey, blob: Buffer, label: Buffer): Promise<Buffer> => {
    if (this.closed) return Promise.reject(cryptoError('PoolClosed', 'the decrypt pool is shut down'));
    if (!this.started) { this.started = true; for (const s of this.slots) this.spawn(s); }
    const slot = this.slots.reduce((a, b) => (b.pending < a.pending ? b : a));
    const worker = slot.worker!;
    if (!slot.keys.has(key.fingerprint)) {
      worker.postMessage({ type: 'key', fingerprint: key.fingerprint, privateKey: key.privateKey } satisfies WorkerRequest);
      slot.keys.add(key.fingerprint);
    }
    const id = this.nextId++;
    slot.pending++;
    if (slot.pending === 1) worker.ref();
    return new Promise<Buffer>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, slot });
      // Exact-size copies: cloning a view of Node's shared 8 KiB buffer pool would copy the whole pool.
      worker.postMessage({ type: 'decrypt', id, fingerprint: key.fingerprint, blob: new Uint8Array(blob), label: new Uint8Array(label) } satisfies WorkerRequest);
    });
  };

  /** Drops a retired key from every worker. */
  forget(fingerprint: string): void {
    for (const s of this.slots) {
      if (s.keys.delete(fingerprint)) s.worker?.postMessage({ type: 'forget', fingerprint } satisfies WorkerRequest);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return; // a second close (shutdown racing a failure path) has nothing left to stop
    this.closed = true;
    const workers = this.workers;
    for (const s of this.slots) s.worker = undefined; // their exits are expected now
    for (const [id, w] of this.waiting) { w.reject(cryptoError('PoolClosed', 'the decrypt pool is shut down')); this.waiting.delete(id); }
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private onReply(r: WorkerReply): void {
    const w = this.waiting.get(r.id);
    if (!w) return;
    this.waiting.delete(r.id);
    w.slot.pending--;
    if (w.slot.pending === 0) w.slot.worker?.unref();
    if (r.ok) w.resolve(Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength));
    else w.reject(cryptoError(r.code, r.message));
  }

  private failSlot(slot: Slot, e: unknown): void {
    for (const [id, w] of this.waiting) {
      if (w.slot !== slot) continue;
      this.waiting.delete(id);
      w.reject(cryptoError('WorkerFailed', `decrypt worker failed: ${e instanceof Error ? e.message : String(e)}`));
    }
    slot.pending = 0;
    // A crashed worker is replaced; its keys are sent again on first use.
    if (!this.closed) this.spawn(slot);
  }
}
