// Unsealed results per SealedSecret uid + content hash, so an unchanged spec is never decrypted twice.
// Bounded (LRU); cleared when keys are removed.
import { createHash } from 'node:crypto';
import type { Json } from '../kube/index.js';

export interface CachedResult<T> { hash: string; value: T }

export class ResultCache<T> {
  private readonly map = new Map<string, CachedResult<T>>();
  constructor(private readonly max = 10_000) {}

  get(uid: string, hash: string): T | undefined {
    const e = this.map.get(uid);
    if (!e || e.hash !== hash) return undefined;
    this.map.delete(uid);
    this.map.set(uid, e);
    return e.value;
  }

  set(uid: string, hash: string, value: T): void {
    this.map.delete(uid);
    this.map.set(uid, { hash, value });
    while (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
  }

  delete(uid: string): void { this.map.delete(uid); }
  clear(): void { this.map.clear(); }
  get size(): number { return this.map.size; }
}

/** Everything unsealing depends on: name, namespace, uid, top-level annotations (scope, hints) and spec. */
export function unsealInputHash(ss: Readonly<Json>): string {
  const m = (ss.metadata ?? {}) as { name?: string; namespace?: string; uid?: string; annotations?: Record<string, string> };
  return createHash('sha256').update(stableJson([m.namespace, m.name, m.uid, m.annotations ?? {}, ss.spec ?? {}])).digest('hex');
}

export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
