// Picks the login for a store's auth block (ESO's order) and the connection the login runs on.
import type { ConnectContext } from '../../types.js';
import { authKind, type VaultProviderSpec } from '../spec.js';
import type { ErrorScope } from '../errors.js';
import type { Login } from './common.js';
import { staticToken } from './token.js';
import { appRoleLogin } from './approle.js';
import { kubernetesLogin } from './kubernetes.js';
import { jwtLogin } from './jwt.js';
import { userPassLogin } from './userpass.js';
import { certLogin } from './cert.js';
import { credential } from './common.js';

export type { Login, LoginResult } from './common.js';

export type AuthPlan =
  | { kind: 'tokenSecretRef'; token: string }
  | { kind: string; login: Login; clientCert?: { cert: string; key: string } };

export function planAuth(spec: VaultProviderSpec, ctx: ConnectContext, scope: ErrorScope): AuthPlan {
  const a = spec.auth ?? {};
  const kind = authKind(spec);
  switch (kind) {
    case 'tokenSecretRef': return { kind, token: staticToken(ctx.secrets, scope) };
    case 'appRole': return { kind, login: appRoleLogin(a.appRole!, ctx.secrets, scope) };
    case 'kubernetes': return { kind, login: kubernetesLogin(a.kubernetes!, ctx.secrets, scope) };
    case 'userPass': return { kind, login: userPassLogin(a.userPass!, ctx.secrets, scope) };
    case 'jwt': return { kind, login: jwtLogin(a.jwt!, ctx.secrets, scope) };
    case 'cert': return {
      kind, login: certLogin(a.cert!, scope),
      clientCert: { cert: credential(ctx.secrets, 'auth.cert.clientCert', scope), key: credential(ctx.secrets, 'auth.cert.secretRef', scope) },
    };
    default: throw new Error(`unsupported Vault auth method ${String(kind)}`);
  }
}
