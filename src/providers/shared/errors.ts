// The one error every provider shares: the remote secret (or the version asked for) does not exist.
// The engine treats it specially (ESO's NoSecretErr: target.deletionPolicy Delete/Merge skip it).
import { providerError, isCloakError, type CloakError } from '../../errors.js';

export const SecretNotFoundCode = 'SecretNotFound';

/** `subject` names the remote key (never a value), e.g. `fake store "x" key "/foo" version "v2"`. */
export function secretNotFound(subject: string, hint?: string): CloakError {
  return providerError(SecretNotFoundCode, 'secret does not exist', { subject, hint });
}

export function isSecretNotFound(e: unknown): e is CloakError {
  return isCloakError(e) && e.code === SecretNotFoundCode;
}
