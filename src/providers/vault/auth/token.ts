// auth.tokenSecretRef: a static token the user manages; Cloak neither renews nor revokes it.
import type { ResolvedSecrets } from '../../types.js';
import type { ErrorScope } from '../errors.js';
import { credential } from './common.js';

export function staticToken(secrets: ResolvedSecrets, scope: ErrorScope): string {
  return credential(secrets, 'auth.tokenSecretRef', scope).trim();
}
