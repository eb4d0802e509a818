// One Vault token per provider client, reused across reads. A login token is renewed (renew-self)
// once two thirds of its lease have passed, replaced by a fresh login when it cannot be renewed or
// renewal no longer extends it (max TTL), re-obtained when Vault says it is invalid (expired or
// revoked), and revoked on close. A static token (tokenSecretRef) belongs to the user: it is used
// as is, never renewed or revoked. Checks run lazily before each operation, so there are no timers.
import { providerError } from '../../errors.js';
import { VaultHttpError, type VaultApi } from './client.js';
import type { AuthPlan, LoginResult } from './auth/index.js';
import { sealedError, type ErrorScope } from './errors.js';

export interface SessionStats { logins: number; renewals: number; revocations: number }

export class TokenSession {
  readonly stats: SessionStats = { logins: 0, renewals: 0, revocations: 0 };
  #token: string | undefined;
  #obtainedMs = 0;
  #leaseSec = 0;
  #initialLeaseSec = 0;
  #renewable = false;
  #pending: Promise<void> | undefined;
  #closed = false;

  constructor(
    private readonly api: VaultApi,
    private readonly loginApi: VaultApi,
    private readonly plan: AuthPlan,
    private readonly scope: ErrorScope,
    private readonly now: () => number,
    private readonly renewFraction = 2 / 3,
  ) {
    if ('token' in plan) { this.#token = plan.token; api.token = plan.token; }
  }

  get isLogin(): boolean { return 'login' in this.plan; }

  /** Makes sure a usable token is set on the data client (login, renewal or re-login as needed). */
  ensure(): Promise<void> {
    if (this.#closed) return Promise.reject(providerError('ClientClosed', 'Vault client is closed', { subject: this.scope.store }));
    if (!this.isLogin) return Promise.resolve();
    if (!this.#pending) {
      const due = this.#due();
      if (due === 'none') return Promise.resolve();
      this.#pending = (due === 'renew' ? this.#renew() : this.#login()).finally(() => { this.#pending = undefined; });
    }
    return this.#pending;
  }

  #due(): 'none' | 'renew' | 'login' {
    if (!this.#token) return 'login';
    if (this.#leaseSec <= 0) return 'none';
    const elapsed = this.now() - this.#obtainedMs;
    if (elapsed >= this.#leaseSec * 1000) return 'login';
    if (elapsed >= this.#leaseSec * 1000 * this.renewFraction) return this.#renewable ? 'renew' : 'login';
    return 'none';
  }

  #remember(r: LoginResult, fresh: boolean): void {
    this.#token = r.token;
    this.api.token = r.token;
    this.#obtainedMs = this.now();
    this.#leaseSec = r.leaseDuration;
    this.#renewable = r.renewable;
    if (fresh) this.#initialLeaseSec = r.leaseDuration;
  }

  async #login(): Promise<void> {
    const old = this.#token;
    const oldAlive = old !== undefined && (this.#leaseSec <= 0 || this.now() - this.#obtainedMs < this.#leaseSec * 1000);
    this.loginApi.token = '';
    this.#token = undefined;
    const r = await (this.plan as { login: (api: VaultApi) => Promise<LoginResult> }).login(this.loginApi);
    this.stats.logins++;
    this.#remember(r, true);
    if (old && oldAlive) await this.#revoke(old);
  }

  async #renew(): Promise<void> {
    try {
      const res = await this.loginApi.renewSelf(this.#token!);
      const auth = res.auth;
      this.stats.renewals++;
      if (!auth || !(auth.lease_duration > 0)) return this.#login();
      this.#remember({ token: this.#token!, leaseDuration: auth.lease_duration, renewable: auth.renewable }, false);
      // Capped by the token's max TTL: a short extension would mean renewing on every read.
      if (auth.lease_duration < this.#initialLeaseSec * (1 - this.renewFraction)) return this.#login();
    } catch (e) {
      if (e instanceof VaultHttpError && e.status === 503) throw sealedError(this.scope, e);
      await this.#login();
    }
  }

  async #revoke(token: string): Promise<void> {
    try {
      await this.loginApi.revokeSelf(token);
      this.stats.revocations++;
    } catch {
      // best effort: an expired or already revoked token needs no revocation
    }
  }

  /** True when Vault no longer accepts the current token (lookup-self answers 403). */
  async #tokenInvalid(): Promise<boolean> {
    try {
      await this.loginApi.lookupSelf(this.#token ?? '');
      return false;
    } catch (e) {
      return e instanceof VaultHttpError && e.status === 403;
    }
  }

  /**
   * Runs `op` with a valid token. On 403 it asks lookup-self whether the token itself is bad
   * (expired/revoked): a login token is then replaced and `op` retried once; a static token gives
   * a clear error. A 403 with a valid token is a policy denial and is passed on.
   */
  async run<T>(op: () => Promise<T>): Promise<T> {
    await this.ensure();
    try {
      return await op();
    } catch (e) {
      if (!(e instanceof VaultHttpError && e.status === 403)) throw e;
      if (!(await this.#tokenInvalid())) throw e;
      if (!this.isLogin) {
        throw providerError('VaultTokenInvalid', 'the Vault token is invalid, expired or revoked', {
          subject: `${this.scope.store}: spec.provider.vault.auth.tokenSecretRef`, hint: 'put a valid token into the referenced Secret',
        });
      }
      this.#token = undefined;
      this.#leaseSec = 0;
      await this.ensure();
      return op();
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    if (this.#pending) await this.#pending.catch(() => undefined);
    this.#closed = true;
    if (this.isLogin && this.#token && (this.#leaseSec <= 0 || this.now() - this.#obtainedMs < this.#leaseSec * 1000)) {
      await this.#revoke(this.#token);
    }
    this.#token = undefined;
    this.api.token = '';
  }
}
