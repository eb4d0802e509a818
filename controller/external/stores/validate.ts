// Validating one store as ESO's validateStore does: build a client (provider block, credentials,
// connection), then ask it to Validate (Vault: unsealed and the token is accepted or a login works;
// AWS: credentials resolve; kubernetes: a rules review; fake: its validationResult). The outcome
// carries ESO's reason and message plus our real error after ': ' (never a value).
import { isCloakError } from '../../../src/errors.js';
import { findCredentialRefs, openStore, storeLabel, type EngineSources } from '../../../src/external/index.js';
import { isReferent } from '../../../src/external/credentials.js';
import type { SecretStoreObject } from '../../../src/manifests/external-types.js';
import { providerOf } from '../../../src/providers/index.js';
import type { ClientCache } from '../../../src/providers/shared/client-cache.js';
import type { StoreLimiter } from '../../../src/providers/shared/rate-limit.js';
import { errorText } from '../../log.js';
import { capabilitiesOf } from './capabilities.js';
import { StoreMessage, StoreReason, type StoreOutcome } from './status.js';

/** ESO's error text for a Validate() that returns ValidationResultError without a transport error. */
const ERROR_RESULT: Record<string, string> = {
  fake: 'unable to validate',
  kubernetes: 'client is not allowed to get secrets in spec.provider.kubernetes.remoteNamespace',
};

export interface ValidateDeps {
  sources: EngineSources;
  /** Shared with the ExternalSecret reconciler, so a validated client (and its Vault token) is reused. */
  clients: ClientCache;
  limiter?: StoreLimiter;
  env?: Record<string, string | undefined>;
  /** --provider-timeout: bound on each provider request while validating. */
  timeoutMs?: number;
}

/** The error as one line; the store's own label is dropped from the subject (the status is on the store). */
export function storeErrorText(store: SecretStoreObject, e: unknown): string {
  const label = storeLabel(store);
  if (isCloakError(e) && e.subject) {
    const subject = e.subject === label ? '' : e.subject.startsWith(`${label}: `) ? e.subject.slice(label.length + 2) : e.subject;
    return errorText(subject ? `${subject}: ${e.message}` : e.message);
  }
  return errorText(e);
}

export async function validateStore(store: SecretStoreObject, deps: ValidateDeps): Promise<StoreOutcome> {
  const invalid = (message: string, e: unknown): StoreOutcome =>
    ({ ready: false, reason: StoreReason.InvalidProviderConfig, message: `${message}: ${storeErrorText(store, e)}` });
  let providerName: string;
  let block: Record<string, unknown>;
  try {
    const p = providerOf(store.spec?.provider, storeLabel(store));
    providerName = p.name;
    block = (p.spec ?? {}) as Record<string, unknown>;
  } catch (e) {
    return invalid(StoreMessage.createClient, e);
  }
  if (isReferent(findCredentialRefs(block), store.kind)) {
    // Referent auth: credentials come from each ExternalSecret's namespace, so there is nothing to log in with here.
    return { ready: true, reason: StoreReason.ValidationUnknown, message: `${StoreMessage.unknown}: credentials are read from each ExternalSecret's namespace (referent auth), so they are checked per ExternalSecret` };
  }
  const namespace = store.kind === 'SecretStore' ? store.metadata.namespace ?? '' : '';
  let handle;
  try {
    handle = await openStore(store, namespace, { sources: deps.sources, clients: deps.clients, ...(deps.limiter ? { limiter: deps.limiter } : {}), ...(deps.env ? { env: deps.env } : {}), ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}) }, deps.clients);
  } catch (e) {
    return invalid(StoreMessage.createClient, e);
  }
  try {
    const result = await handle.validate();
    if (result === 'Unknown') return { ready: true, reason: StoreReason.ValidationUnknown, message: StoreMessage.unknown };
    if (result === 'Error') return invalid(StoreMessage.validate, new Error(ERROR_RESULT[providerName] ?? `the ${providerName} provider reported the store as invalid`));
    const capabilities = capabilitiesOf(providerName);
    return { ready: true, reason: StoreReason.Valid, message: StoreMessage.validated, ...(capabilities ? { capabilities } : {}) };
  } catch (e) {
    return invalid(StoreMessage.validate, e);
  } finally {
    handle.release();
  }
}
