// auth.kubernetes: a ServiceAccount JWT (minted by the engine for serviceAccountRef, or from
// secretRef, or the pod's own token) exchanged at auth/<mountPath>/login for a role.
import type { ResolvedSecrets } from '../../types.js';
import type { VaultAuthSpec } from '../spec.js';
import type { ErrorScope } from '../errors.js';
import { type Login, credential, podServiceAccountToken, runLogin, trimMount } from './common.js';

export function kubernetesLogin(spec: NonNullable<VaultAuthSpec['kubernetes']>, secrets: ResolvedSecrets, scope: ErrorScope): Login {
  const mount = trimMount(spec.mountPath, 'kubernetes');
  return async (api) => {
    const jwt = spec.serviceAccountRef
      ? credential(secrets, 'auth.kubernetes.serviceAccountRef', scope)
      : spec.secretRef
        ? credential(secrets, 'auth.kubernetes.secretRef', scope)
        : podServiceAccountToken(scope);
    return runLogin(() => api.kubernetesLogin(mount, spec.role, jwt.trim()), scope, 'kubernetes', mount,
      `check that Vault role "${spec.role}" binds this ServiceAccount and namespace and that Vault can reach the Kubernetes TokenReview API`);
  };
}
