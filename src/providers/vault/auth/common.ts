// What every login returns, and credential lookup from the secrets the engine resolved.
import { readFileSync } from 'node:fs';
import { providerError } from '../../../errors.js';
import type { ResolvedSecrets } from '../../types.js';
import type { VaultApi, VaultResponse } from '../client.js';
import { loginError, type ErrorScope } from '../errors.js';

export interface LoginResult { token: string; leaseDuration: number; renewable: boolean }
export type Login = (api: VaultApi) => Promise<LoginResult>;

/** A credential the engine resolved from a `*SecretRef` (keyed by its path in the provider block). */
export function credential(secrets: ResolvedSecrets, key: string, scope: ErrorScope, optional?: false): string;
export function credential(secrets: ResolvedSecrets, key: string, scope: ErrorScope, optional: true): string | undefined;
export function credential(secrets: ResolvedSecrets, key: string, scope: ErrorScope, optional = false): string | undefined {
  const v = secrets[key];
  if (v === undefined || v.length === 0) {
    if (optional) return undefined;
    throw providerError('MissingCredential', `credential ${key} was not provided or is empty`, {
      subject: `${scope.store}: spec.provider.vault.${key}`, hint: 'check that the referenced Secret and key exist',
    });
  }
  return Buffer.from(v).toString('utf8');
}

/** The Pod's own ServiceAccount token, ESO's last resort for kubernetes auth. */
export function podServiceAccountToken(scope: ErrorScope): string {
  try {
    return readFileSync('/var/run/secrets/kubernetes.io/serviceaccount/token', 'utf8').trim();
  } catch {
    throw providerError('MissingCredential', 'no ServiceAccount token: neither serviceAccountRef nor secretRef is set and the pod token file is absent', {
      subject: `${scope.store}: spec.provider.vault.auth.kubernetes`, hint: 'set auth.kubernetes.serviceAccountRef or auth.kubernetes.secretRef',
    });
  }
}

/** Runs a login call and reads its `auth` block. */
export async function runLogin(call: () => Promise<VaultResponse>, scope: ErrorScope, method: string, mount: string, hint: string): Promise<LoginResult> {
  let res: VaultResponse;
  try {
    res = await call();
  } catch (e) {
    throw loginError(e, scope, method, mount, hint);
  }
  const auth = res?.auth;
  if (!auth || typeof auth.client_token !== 'string' || auth.client_token === '') {
    throw providerError('VaultLoginFailed', 'login returned no client token', { subject: `${scope.store}: Vault ${method} login at auth/${mount}` });
  }
  return { token: auth.client_token, leaseDuration: Number(auth.lease_duration ?? 0), renewable: auth.renewable === true };
}

export const trimMount = (p: string | undefined, dflt: string) => (p ?? dflt).replace(/^\/+|\/+$/g, '') || dflt;
