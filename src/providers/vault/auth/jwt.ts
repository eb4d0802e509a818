// auth.jwt: a JWT from secretRef, or a ServiceAccount token the engine minted
// (kubernetesServiceAccountToken), exchanged at auth/<path>/login.
import type { ResolvedSecrets } from '../../types.js';
import type { VaultAuthSpec } from '../spec.js';
import type { ErrorScope } from '../errors.js';
import { type Login, credential, runLogin, trimMount } from './common.js';

export function jwtLogin(spec: NonNullable<VaultAuthSpec['jwt']>, secrets: ResolvedSecrets, scope: ErrorScope): Login {
  const mount = trimMount(spec.path, 'jwt');
  return async (api) => {
    const jwt = spec.secretRef
      ? credential(secrets, 'auth.jwt.secretRef', scope)
      : credential(secrets, 'auth.jwt.kubernetesServiceAccountToken.serviceAccountRef', scope, true) ?? credential(secrets, 'auth.jwt.serviceAccountRef', scope);
    return runLogin(() => api.jwtLogin(mount, spec.role, jwt.trim()), scope, 'jwt', mount,
      `check the JWT's issuer, audience and expiry against the Vault role${spec.role ? ` "${spec.role}"` : ''}`);
  };
}
