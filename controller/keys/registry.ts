// The set of active controller keys, by key Secret name. The newest (by ordering time) seals; all decrypt.
import type { ControllerKey } from './key-secret.js';

export interface KeyChange { added: ControllerKey[]; removed: ControllerKey[] }

export class KeyRegistry {
  private readonly keys = new Map<string, ControllerKey>();
  private readonly listeners: Array<(c: KeyChange) => void> = [];
  private generation = 0;

  onChange(fn: (c: KeyChange) => void): void { this.listeners.push(fn); }

  /** Bumped on every change; lets caches tell whether the key set moved. */
  get version(): number { return this.generation; }

  set(key: ControllerKey): void {
    const old = this.keys.get(key.name);
    // Same key re-read (watch echo, relist): keep what we knew. A key this process generated keeps its
    // precise generation time, which the certificate's NotBefore (whole seconds) would blur.
    if (old && old.fingerprint === key.fingerprint) return;
    this.keys.set(key.name, key);
    this.emit({ added: [key], removed: old ? [old] : [] });
  }

  remove(name: string): void {
    const old = this.keys.get(name);
    if (!old) return;
    this.keys.delete(name);
    this.emit({ added: [], removed: [old] });
  }

  has(name: string): boolean { return this.keys.has(name); }
  get size(): number { return this.keys.size; }

  /** Distinct keys (the same key stored twice counts once), newest first. */
  all(): ControllerKey[] {
    const seen = new Set<string>();
    return [...this.keys.values()]
      .sort(compareNewestFirst)
      .filter((k) => (seen.has(k.fingerprint) ? false : (seen.add(k.fingerprint), true)));
  }

  newest(): ControllerKey | undefined {
    return this.all()[0];
  }

  /** Every key Secret name holding this key. */
  namesOf(fp: string): string[] {
    return [...this.keys.values()].filter((k) => k.fingerprint === fp).map((k) => k.name).sort();
  }

  byFingerprint(fp: string): ControllerKey | undefined {
    return this.all().find((k) => k.fingerprint === fp);
  }

  private emit(c: KeyChange): void {
    this.generation++;
    for (const fn of [...this.listeners]) fn(c);
  }
}

function compareNewestFirst(a: ControllerKey, b: ControllerKey): number {
  const d = b.orderingTime.getTime() - a.orderingTime.getTime();
  if (d !== 0) return d;
  return a.name < b.name ? 1 : a.name > b.name ? -1 : 0;
}
