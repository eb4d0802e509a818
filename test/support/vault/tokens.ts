// The token store: issuing, TTL countdown on the injectable clock, renewal capped at the max TTL,
// revocation (children with their parent), and the `auth/token/*` endpoints.
import type { Namespace, Token, VaultState } from './state.js';
import { type Ctx, type Reply, envelope, noContent, badRequest, errors, unsupportedPath, permissionDenied } from './reply.js';
import { accessorId, asStringList, formatDuration, parseDuration, rfc3339Nano, serviceToken } from './util.js';

export const SYSTEM_MAX_TTL = 768 * 3600;

export interface IssueOptions {
  policies: string[];
  noDefaultPolicy?: boolean;
  ttl?: number;
  maxTtl?: number;
  explicitMaxTtl?: number;
  period?: number;
  renewable?: boolean;
  numUses?: number;
  path: string;
  meta?: Record<string, string> | null;
  displayName: string;
  orphan: boolean;
  parent?: Token;
  id?: string;
}

export function issueToken(state: VaultState, ns: Namespace, o: IssueOptions): Token {
  const now = state.now();
  const isRoot = o.policies.includes('root');
  const policies = [...new Set([...(isRoot || o.noDefaultPolicy ? [] : ['default']), ...o.policies])].sort();
  let maxTtl = o.maxTtl && o.maxTtl > 0 ? Math.min(o.maxTtl, SYSTEM_MAX_TTL) : SYSTEM_MAX_TTL;
  if (o.explicitMaxTtl && o.explicitMaxTtl > 0) maxTtl = Math.min(maxTtl, o.explicitMaxTtl);
  let ttl = o.period && o.period > 0 ? o.period : o.ttl && o.ttl > 0 ? o.ttl : SYSTEM_MAX_TTL;
  if (isRoot && !o.ttl) { ttl = 0; maxTtl = 0; }
  if (maxTtl > 0 && ttl > maxTtl && !(o.period && o.period > 0)) ttl = maxTtl;
  const t: Token = {
    id: o.id ?? serviceToken(),
    accessor: accessorId(),
    ns,
    policies,
    path: o.path,
    meta: o.meta ?? null,
    displayName: o.displayName,
    creationMs: now,
    issueMs: now,
    creationTtl: ttl,
    expireMs: ttl > 0 ? now + ttl * 1000 : 0,
    explicitMaxTtl: o.explicitMaxTtl ?? 0,
    maxTtl,
    period: o.period ?? 0,
    renewable: ttl > 0 && o.renewable !== false,
    numUses: o.numUses ?? 0,
    orphan: o.orphan,
    parent: o.orphan ? undefined : o.parent?.id,
    entityId: '',
  };
  state.tokens.set(t.id, t);
  return t;
}

/** The token if it exists and has not expired (expired tokens are removed, as Vault's expiration manager does). */
export function liveToken(state: VaultState, id: string | undefined): Token | undefined {
  if (!id) return undefined;
  const t = state.tokens.get(id);
  if (!t) return undefined;
  if (t.expireMs > 0 && state.now() >= t.expireMs) { revokeToken(state, t); return undefined; }
  return t;
}

export function revokeToken(state: VaultState, t: Token): void {
  state.tokens.delete(t.id);
  for (const c of [...state.tokens.values()]) if (c.parent === t.id) revokeToken(state, c);
}

export function remainingTtl(state: VaultState, t: Token): number {
  return t.expireMs === 0 ? 0 : Math.max(0, Math.floor((t.expireMs - state.now()) / 1000));
}

export function authBlock(state: VaultState, t: Token, tokenPolicies?: string[]): Record<string, unknown> {
  return {
    client_token: t.id,
    accessor: t.accessor,
    policies: t.policies,
    token_policies: tokenPolicies ?? t.policies,
    metadata: t.meta,
    // The TTL just granted (login, create, renew), as Vault reports it: whole seconds, not a countdown
    // that a millisecond of processing would round down to TTL-1.
    lease_duration: t.expireMs === 0 ? 0 : Math.max(0, Math.round((t.expireMs - state.now()) / 1000)),
    renewable: t.renewable,
    entity_id: t.entityId,
    token_type: 'service',
    orphan: t.orphan,
    mfa_requirement: null,
    num_uses: t.numUses,
  };
}

export function lookupData(state: VaultState, t: Token): Record<string, unknown> {
  return {
    accessor: t.accessor,
    creation_time: Math.floor(t.creationMs / 1000),
    creation_ttl: t.creationTtl,
    display_name: t.displayName,
    entity_id: t.entityId,
    expire_time: t.expireMs ? rfc3339Nano(t.expireMs) : null,
    explicit_max_ttl: t.explicitMaxTtl,
    id: t.id,
    ...(t.expireMs ? { issue_time: rfc3339Nano(t.issueMs) } : {}),
    meta: t.meta,
    num_uses: t.numUses,
    orphan: t.orphan,
    path: t.path,
    policies: t.policies,
    renewable: t.renewable,
    ...(t.ns.path ? { namespace_path: t.ns.path } : {}),
    ...(t.period ? { period: t.period } : {}),
    ttl: remainingTtl(state, t),
    type: 'service',
  };
}

/** Renew: the new TTL is the increment (or the original TTL), never past the token's max TTL. */
export function renewToken(state: VaultState, t: Token, incrementRaw: unknown): Reply {
  if (!t.renewable) return badRequest('lease is not renewable');
  const now = state.now();
  let inc: number;
  try { inc = parseDuration(incrementRaw, 'increment'); } catch (e) { return badRequest((e as Error).message); }
  const want = t.period > 0 ? t.period : inc > 0 ? inc : t.creationTtl;
  const warnings: string[] = [];
  let expire = now + want * 1000;
  if (t.period === 0 && t.maxTtl > 0) {
    const cap = t.creationMs + t.maxTtl * 1000;
    if (expire > cap) {
      expire = cap;
      warnings.push(`TTL of "${formatDuration(want)}" exceeded the effective max_ttl of "${formatDuration(Math.max(0, Math.floor((cap - now) / 1000)))}"; TTL value is capped accordingly`);
    }
  }
  t.expireMs = expire;
  return envelope({ auth: authBlock(state, t), warnings, mountType: 'token' });
}

export function handleTokenRoutes(ctx: Ctx, rest: string): Reply {
  const { state } = ctx;
  const t = ctx.token!;
  const b = ctx.body;
  switch (rest) {
    case 'create':
    case 'create-orphan': {
      if (ctx.method !== 'POST') return errors(405, '1 error occurred:\n\t* unsupported operation\n\n');
      const isRoot = t.policies.includes('root');
      const requested = asStringList(b.policies);
      const policies = requested.length > 0 ? requested : t.policies.filter((p) => p !== 'default');
      if (!isRoot) {
        const own = new Set(t.policies);
        if (policies.some((p) => !own.has(p))) return badRequest('child policies must be subset of parent');
      }
      let ttl: number, explicitMaxTtl: number, period: number;
      try {
        ttl = parseDuration(b.ttl ?? b.lease);
        explicitMaxTtl = parseDuration(b.explicit_max_ttl);
        period = parseDuration(b.period);
      } catch (e) { return badRequest((e as Error).message); }
      const orphan = rest === 'create-orphan' || b.no_parent === true;
      const meta = (b.meta ?? null) as Record<string, string> | null;
      const nt = issueToken(state, ctx.ns, {
        policies, noDefaultPolicy: b.no_default_policy === true,
        ttl: ttl > 0 ? ttl : isRoot && policies.includes('root') ? 0 : t.creationTtl > 0 ? Math.min(SYSTEM_MAX_TTL, t.creationTtl) : SYSTEM_MAX_TTL,
        explicitMaxTtl, period, renewable: b.renewable !== false,
        numUses: Number(b.num_uses ?? 0), path: 'auth/token/create', meta,
        displayName: `token${b.display_name ? `-${String(b.display_name)}` : ''}`, orphan, parent: t,
        id: isRoot && typeof b.id === 'string' && b.id ? b.id : undefined,
      });
      return envelope({ auth: authBlock(state, nt), mountType: 'token' });
    }
    case 'lookup-self':
      return envelope({ data: lookupData(state, t), mountType: 'token' });
    case 'lookup': {
      const other = liveToken(state, typeof b.token === 'string' ? b.token : ctx.query.get('token') ?? undefined);
      if (!other) return badRequest('bad token');
      return envelope({ data: lookupData(state, other), mountType: 'token' });
    }
    case 'lookup-accessor': {
      const other = [...state.tokens.values()].find((x) => x.accessor === b.accessor);
      if (!other || !liveToken(state, other.id)) return badRequest('invalid accessor');
      return envelope({ data: { ...lookupData(state, other), id: '' }, mountType: 'token' });
    }
    case 'renew-self':
      return renewToken(state, t, b.increment);
    case 'renew': {
      const other = liveToken(state, typeof b.token === 'string' ? b.token : undefined);
      if (!other) return badRequest('invalid token');
      return renewToken(state, other, b.increment);
    }
    case 'revoke-self':
      revokeToken(state, t);
      return noContent();
    case 'revoke':
    case 'revoke-orphan': {
      const other = state.tokens.get(typeof b.token === 'string' ? b.token : '');
      if (other) {
        if (rest === 'revoke-orphan') { state.tokens.delete(other.id); for (const c of state.tokens.values()) if (c.parent === other.id) { c.parent = undefined; c.orphan = true; } }
        else revokeToken(state, other);
      }
      return noContent();
    }
    case 'accessors':
    case 'accessors/': {
      if (ctx.method !== 'LIST') return errors(405, '1 error occurred:\n\t* unsupported operation\n\n');
      const keys = [...state.tokens.values()].filter((x) => liveToken(state, x.id) && x.ns === ctx.ns).map((x) => x.accessor).sort();
      return envelope({ data: { keys }, mountType: 'token' });
    }
    case 'revoke-accessor': {
      const other = [...state.tokens.values()].find((x) => x.accessor === b.accessor);
      if (other) revokeToken(state, other);
      return noContent();
    }
    default:
      return rest.startsWith('lookup/') || rest.startsWith('roles') ? permissionDenied() : unsupportedPath(`auth/token/${rest}`);
  }
}
