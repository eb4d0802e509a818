// auth.cert: TLS client certificate auth. The login client presents clientCert/secretRef (PEM) in
// the TLS handshake; `vaultRole` names the trusted certificate entry to match.
import type { VaultAuthSpec } from '../spec.js';
import type { ErrorScope } from '../errors.js';
import { type Login, runLogin, trimMount } from './common.js';

export function certLogin(spec: NonNullable<VaultAuthSpec['cert']>, scope: ErrorScope): Login {
  const mount = trimMount(spec.path, 'cert');
  return (api) => runLogin(() => api.certLogin(mount, spec.vaultRole), scope, 'cert', mount,
    'check that Vault trusts the client certificate (auth/cert/certs) and that it has not expired');
}
