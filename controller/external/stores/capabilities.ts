// What each provider reports as `status.capabilities` (ESO's Provider.Capabilities()): the four
// providers Cloak supports are ReadWrite upstream (PushSecret capable), even though Cloak only reads.
import type { Capabilities } from './status.js';

const BY_PROVIDER: Record<string, Capabilities> = {
  vault: 'ReadWrite',
  aws: 'ReadWrite',
  fake: 'ReadWrite',
  kubernetes: 'ReadWrite',
};

export function capabilitiesOf(provider: string): Capabilities | undefined {
  return Object.hasOwn(BY_PROVIDER, provider) ? BY_PROVIDER[provider] : undefined;
}
