// Small helpers for provider tests against the Vault test server.
import type { ConnectContext } from '../../../src/providers/types.js';
import { vaultProvider, type VaultProviderSpec } from '../../../src/providers/vault/index.js';
import type { VaultProviderClient } from '../../../src/providers/vault/index.js';

export const txt = (v: Uint8Array) => Buffer.from(v).toString('utf8');

export function ctxFor(secrets: Record<string, string>, now?: () => number): ConnectContext {
  return {
    store: { kind: 'SecretStore', name: 'vault', namespace: 'apps' },
    secrets: Object.fromEntries(Object.entries(secrets).map(([k, v]) => [k, new TextEncoder().encode(v)])),
    now,
  };
}

export async function connect(spec: VaultProviderSpec, secrets: Record<string, string> = {}, now?: () => number): Promise<VaultProviderClient> {
  return (await vaultProvider.connect(spec, ctxFor(secrets, now))) as VaultProviderClient;
}

/** Asserts a rejection's CloakError code and returns the error for further checks. */
export async function rejectsWith(p: Promise<unknown>, code: string): Promise<Error & { code: string; line: string; subject?: string; hint?: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as Error & { code: string; line: string };
    if (err.code !== code) throw new Error(`expected code ${code}, got ${err.code}: ${err.message}`, { cause: e });
    return err;
  }
  throw new Error(`expected rejection with ${code}, got success`);
}
