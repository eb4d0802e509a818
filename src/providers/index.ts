// The provider registry: a literal map from the key under `spec.provider` to a lazy import, so a
// command that never reads AWS never loads the AWS SDK. Exactly one provider per store.
import { inputError } from '../errors.js';
import type { ProviderFactory } from './types.js';

type Load = () => Promise<ProviderFactory<never>>;

const registry = {
  aws: async () => (await import('./aws/index.js')).awsProvider,
  vault: async () => (await import('./vault/index.js')).vaultProvider,
  fake: async () => (await import('./fake/index.js')).fakeProvider,
  kubernetes: async () => (await import('./kubernetes/index.js')).kubernetesProvider,
} satisfies Record<string, Load>;

export type ProviderName = keyof typeof registry;

export const providerNames = Object.keys(registry) as ProviderName[];

export function isProviderName(name: string): name is ProviderName {
  return Object.hasOwn(registry, name);
}

/** Loads a provider factory; an unknown name is an input error listing the supported ones. */
export async function loadProvider(name: string, subject?: string): Promise<ProviderFactory<unknown>> {
  if (!isProviderName(name)) {
    throw inputError('UnsupportedProvider', `provider ${JSON.stringify(name)} is not supported`, {
      subject, hint: `use one of: ${providerNames.join(', ')}`,
    });
  }
  return (await registry[name]()) as ProviderFactory<unknown>;
}

/** The one provider key of a store's `spec.provider`, or an error naming the problem. */
export function providerOf(provider: Record<string, unknown> | undefined, subject: string): { name: string; spec: unknown } {
  const keys = Object.keys(provider ?? {}).filter((k) => provider![k] !== null && provider![k] !== undefined);
  if (keys.length !== 1) {
    throw inputError('InvalidStore', keys.length === 0 ? 'spec.provider is empty' : `spec.provider has several providers (${keys.join(', ')})`, {
      subject, hint: 'set exactly one provider block',
    });
  }
  return { name: keys[0]!, spec: provider![keys[0]!] };
}

export type { ProviderFactory, ProviderClient, RemoteRef, FindRef, SecretMap, ConnectContext, StoreIdentity, ValidationResult, ResolvedSecrets } from './types.js';
