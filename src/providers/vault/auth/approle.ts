// auth.appRole: role_id (inline or from roleRef) + secret_id from secretRef.
import type { ResolvedSecrets } from '../../types.js';
import type { VaultAuthSpec } from '../spec.js';
import type { ErrorScope } from '../errors.js';
import { type Login, credential, runLogin, trimMount } from './common.js';

export function appRoleLogin(spec: NonNullable<VaultAuthSpec['appRole']>, secrets: ResolvedSecrets, scope: ErrorScope): Login {
  const mount = trimMount(spec.path, 'approle');
  return async (api) => {
    const roleId = spec.roleId ?? credential(secrets, 'auth.appRole.roleRef', scope).trim();
    const secretId = credential(secrets, 'auth.appRole.secretRef', scope).trim();
    return runLogin(() => api.approleLogin(mount, roleId, secretId), scope, 'appRole', mount, 'check the role_id and that the secret_id is current (not expired or used up)');
  };
}
