// The Vault provider: ESO's `spec.provider.vault` over node-vault, with one reused token per
// client (renewed before expiry, re-obtained when invalid, revoked on close).
import { providerError } from '../../errors.js';
import type { ConnectContext, FindRef, ProviderClient, ProviderFactory, RemoteRef, SecretMap, ValidationResult } from '../types.js';
import { VaultApi, VaultHttpError, type VaultConnection } from './client.js';
import { planAuth } from './auth/index.js';
import { TokenSession } from './token-lifecycle.js';
import { validateVaultSpec, type VaultProviderSpec } from './spec.js';
import { getSecret, getSecretMap, type Reader } from './read.js';
import { getAllSecrets } from './find.js';
import { credential } from './auth/common.js';
import { sealedError, transportError, type ErrorScope } from './errors.js';

export type { VaultProviderSpec } from './spec.js';
export { buildPath, buildMetadataPath } from './paths.js';

export class VaultProviderClient implements ProviderClient {
  readonly reader: Reader;

  constructor(readonly session: TokenSession, api: VaultApi, spec: VaultProviderSpec, readonly scope: ErrorScope) {
    this.reader = { api, session, store: { path: spec.path, version: spec.version ?? 'v2' }, scope, calls: { reads: 0, lists: 0 } };
  }

  getSecret(ref: RemoteRef): Promise<Uint8Array> { return getSecret(this.reader, ref); }
  getSecretMap(ref: RemoteRef): Promise<SecretMap> { return getSecretMap(this.reader, ref); }
  getAllSecrets(ref: FindRef): Promise<SecretMap> { return getAllSecrets(this.reader, ref); }

  /** Ready when Vault is unsealed and the credentials give a token Vault accepts. */
  async validate(): Promise<ValidationResult> {
    let health;
    try {
      health = await this.reader.api.health();
    } catch (e) {
      throw transportError(e, this.scope, `${this.scope.store}: Vault health`);
    }
    if (health?.sealed === true) throw sealedError(this.scope);
    await this.session.run(async () => {
      if (!this.session.isLogin) await this.reader.api.lookupSelf(this.reader.api.token);
    }).catch((e: unknown) => {
      if (e instanceof VaultHttpError && e.status === 403) throw providerError('VaultTokenInvalid', 'the Vault token is invalid, expired or revoked', { subject: `${this.scope.store}: spec.provider.vault.auth.tokenSecretRef`, hint: 'put a valid token into the referenced Secret' });
      throw e;
    });
    return 'Ready';
  }

  close(): Promise<void> { return this.session.close(); }
}

function caFrom(spec: VaultProviderSpec, ctx: ConnectContext, scope: ErrorScope): string | undefined {
  if (spec.caBundle) {
    const text = Buffer.from(spec.caBundle, 'base64').toString('utf8');
    return text.includes('-----BEGIN') ? text : spec.caBundle;
  }
  if (spec.caProvider) return credential(ctx.secrets, 'caProvider', scope);
  return undefined;
}

export async function connectVault(spec: VaultProviderSpec, ctx: ConnectContext): Promise<VaultProviderClient> {
  const scope: ErrorScope = { store: `${ctx.store.kind} ${ctx.store.namespace ? `${ctx.store.namespace}/` : ''}${ctx.store.name}`, server: spec.server };
  const problems = validateVaultSpec(spec);
  if (problems.length > 0) throw providerError('InvalidStore', problems.join('; '), { subject: scope.store });
  const headers: Record<string, string> = { ...(spec.headers ?? {}) };
  if (spec.readYourWrites && spec.forwardInconsistent) headers['X-Vault-Inconsistent'] = 'forward-active-node';
  const tlsCert = spec.tls?.certSecretRef ? credential(ctx.secrets, 'tls.certSecretRef', scope) : undefined;
  const tlsKey = spec.tls?.keySecretRef ? credential(ctx.secrets, 'tls.keySecretRef', scope) : undefined;
  const base: VaultConnection = {
    server: spec.server.replace(/\/+$/, ''), ca: caFrom(spec, ctx, scope), cert: tlsCert, key: tlsKey, headers,
    timeoutMs: ctx.timeoutMs, maxResponseBytes: ctx.maxResponseBytes,
  };
  const plan = planAuth(spec, ctx, scope);
  const api = new VaultApi({ ...base, namespace: spec.namespace });
  const loginConn: VaultConnection = { ...base, namespace: spec.auth?.namespace ?? spec.namespace };
  if ('clientCert' in plan && plan.clientCert) { loginConn.cert = plan.clientCert.cert; loginConn.key = plan.clientCert.key; }
  const loginApi = new VaultApi(loginConn);
  const session = new TokenSession(api, loginApi, plan, scope, ctx.now ?? Date.now);
  return new VaultProviderClient(session, api, spec, scope);
}

export const vaultProvider = {
  name: 'vault',
  validateStore: (spec: VaultProviderSpec) => validateVaultSpec(spec),
  connect: (spec: VaultProviderSpec, ctx: ConnectContext): Promise<ProviderClient> => connectVault(spec, ctx),
} satisfies ProviderFactory<VaultProviderSpec>;
