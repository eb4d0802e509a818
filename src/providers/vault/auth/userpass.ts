// auth.userPass: username + password from secretRef at auth/<path>/login/<username>.
import type { ResolvedSecrets } from '../../types.js';
import type { VaultAuthSpec } from '../spec.js';
import type { ErrorScope } from '../errors.js';
import { type Login, credential, runLogin, trimMount } from './common.js';

export function userPassLogin(spec: NonNullable<VaultAuthSpec['userPass']>, secrets: ResolvedSecrets, scope: ErrorScope): Login {
  const mount = trimMount(spec.path, 'userpass');
  return async (api) => {
    const password = credential(secrets, 'auth.userPass.secretRef', scope);
    return runLogin(() => api.userpassLogin(mount, spec.username, password), scope, 'userPass', mount, `check the password for Vault user "${spec.username}"`);
  };
}
