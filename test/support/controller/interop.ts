// Loads test/fixtures/interop (Bitnami vectors) for controller tests.
import { readFileSync, readdirSync } from 'node:fs';
import { createPublicKey } from 'node:crypto';
import { parse } from 'yaml';
import { readPrivateKeys } from '../../../src/sealed/index.js';
import { KeyRegistry, type ControllerKey } from '../../../controller/keys/index.js';

export const INTEROP = new URL('../../../../test/fixtures/interop/', import.meta.url);

export function interopKeys() {
  return readPrivateKeys(readFileSync(new URL('keys/backup.yaml', INTEROP), 'utf8'), 'backup.yaml')
    .map((k) => ({ ...k, publicKey: createPublicKey(k.privateKey) }));
}

/** A controller key registry holding every interop key (dates zero: no rotation logic involved). */
export function interopKeyRegistry(): KeyRegistry {
  const registry = new KeyRegistry();
  for (const k of interopKeys()) {
    registry.set({ name: k.secretName ?? k.fingerprint, fingerprint: k.fingerprint, privateKey: k.privateKey, publicKey: k.publicKey, certPem: '', notBefore: new Date(0), notAfter: new Date(0), created: new Date(0), orderingTime: new Date(0) } satisfies ControllerKey);
  }
  return registry;
}

export function interopBackupText(): string {
  return readFileSync(new URL('keys/backup.yaml', INTEROP), 'utf8');
}

export interface InteropCase {
  name: string;
  sealed: Record<string, unknown>;
  expect: { secret?: { name: string; namespace: string; type: string; labels: Record<string, string>; annotations: Record<string, string>; immutable: boolean | null; data: Record<string, string> }; error?: string };
}

export function interopCases(): InteropCase[] {
  const dir = new URL('cases/', INTEROP);
  return readdirSync(dir).filter((f) => f.endsWith('.sealed.yaml')).sort().map((f) => {
    const name = f.replace(/\.sealed\.yaml$/, '');
    return {
      name,
      sealed: parse(readFileSync(new URL(f, dir), 'utf8')) as Record<string, unknown>,
      expect: JSON.parse(readFileSync(new URL(`${name}.expect.json`, dir), 'utf8')) as InteropCase['expect'],
    };
  });
}
