// Vault failures as one-line Cloak errors that say what failed and what to do. Messages carry
// Vault's own error text (which never echoes secret data) and paths, never values.
import { providerError, isCloakError, type CloakError } from '../../errors.js';
import { secretNotFound } from '../shared/errors.js';
import { VaultHttpError, VaultTransportError } from './client.js';

export interface ErrorScope {
  /** e.g. `SecretStore default/vault` */
  store: string;
  server: string;
}

const clean = (msgs: string[]) => msgs.map((m) => m.replace(/^\d+ errors? occurred:\s*/, '').replace(/\s*\n\t\*\s*/g, '; ').replace(/^;\s*/, '').trim()).filter(Boolean).join('; ');

/** Maps an error from a data operation (read, list, metadata) on `path`. */
export function vaultError(e: unknown, scope: ErrorScope, op: string, path: string): CloakError {
  if (isCloakError(e)) return e;
  const subject = `${scope.store}: Vault ${op} "${path}"`;
  if (e instanceof VaultHttpError) {
    switch (e.status) {
      case 404: return secretNotFound(subject);
      case 403: return providerError('VaultPermissionDenied', 'permission denied', { subject, hint: `grant the Vault token's policy "${op === 'list' ? 'list' : 'read'}" on ${path}`, cause: e });
      case 503: return sealedError(scope, e);
      case 429: return providerError('VaultRateLimited', `Vault rate limit exceeded (${clean(e.errors) || '429'})`, { subject, hint: 'raise the Vault rate-limit quota or the refresh interval', cause: e });
      default: return providerError('VaultRequestFailed', `Vault answered ${e.status}${e.errors.length ? `: ${clean(e.errors)}` : ''}`, { subject, cause: e });
    }
  }
  return transportError(e, scope, subject);
}

export function sealedError(scope: ErrorScope, cause?: unknown): CloakError {
  return providerError('VaultSealed', 'Vault is sealed', { subject: `${scope.store}: Vault at ${scope.server}`, hint: 'unseal Vault (vault operator unseal); reads resume on the next refresh', cause });
}

export function transportError(e: unknown, scope: ErrorScope, subject: string): CloakError {
  if (e instanceof VaultTransportError && (e.code === 'ETIMEDOUT' || e.code === 'ETOOBIG')) {
    const slow = e.code === 'ETIMEDOUT';
    return providerError(slow ? 'VaultTimeout' : 'VaultResponseTooLarge', slow ? `Vault at ${scope.server} did not answer in time (${e.message})` : `Vault at ${scope.server} sent a ${e.message}`, {
      subject, hint: slow ? 'check that Vault is up and reachable; raise the timeout (--timeout, CLOAK_TIMEOUT, controller --provider-timeout) if it is only slow' : 'check spec.provider.vault.server points at Vault', cause: e,
    });
  }
  if (e instanceof VaultTransportError) {
    const tls = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/i.test(e.code);
    return providerError(tls ? 'VaultTLSError' : 'VaultUnreachable', tls ? `TLS handshake with Vault at ${scope.server} failed (${e.code})` : `cannot reach Vault at ${scope.server} (${e.code})`, {
      subject, hint: tls ? 'set caBundle or caProvider to the CA that signed Vault\'s certificate' : 'check spec.provider.vault.server and network access', cause: e,
    });
  }
  return providerError('VaultRequestFailed', (e as Error)?.message ?? String(e), { subject, cause: e });
}

/** Maps a login failure; `method` like `appRole`, `mount` like `approle`. */
export function loginError(e: unknown, scope: ErrorScope, method: string, mount: string, hint: string): CloakError {
  if (isCloakError(e)) return e;
  const subject = `${scope.store}: Vault ${method} login at auth/${mount}`;
  if (e instanceof VaultHttpError) {
    if (e.status === 503) return sealedError(scope, e);
    const why = clean(e.errors) || `status ${e.status}`;
    const h = e.status === 404 || /no handler for route/.test(why) ? `enable the auth method at auth/${mount} or set its path in the store` : hint;
    return providerError('VaultLoginFailed', `login failed: ${why}`, { subject, hint: h, cause: e });
  }
  return transportError(e, scope, subject);
}
