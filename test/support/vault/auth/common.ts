// Token parameters shared by every auth method's roles (token_policies, token_ttl, …) and the
// login response they produce.
import type { AuthMount } from '../state.js';
import { type Ctx, type Reply, envelope, fail, badRequest } from '../reply.js';
import { issueToken, authBlock } from '../tokens.js';
import { asStringList, parseDuration } from '../util.js';

export interface TokenParams {
  policies: string[];
  ttl: number;
  maxTtl: number;
  explicitMaxTtl: number;
  period: number;
  numUses: number;
  noDefaultPolicy: boolean;
}

export function tokenParams(body: Record<string, unknown>, prev?: TokenParams): TokenParams {
  const dur = (k: string, legacy: string | undefined, d: number) => {
    const v = body[k] ?? (legacy ? body[legacy] : undefined);
    if (v === undefined) return d;
    try { return parseDuration(v, k); } catch (e) { fail(badRequest((e as Error).message)); }
  };
  const pol = body.token_policies ?? body.policies;
  return {
    policies: pol !== undefined ? asStringList(pol) : prev?.policies ?? [],
    ttl: dur('token_ttl', 'ttl', prev?.ttl ?? 0),
    maxTtl: dur('token_max_ttl', 'max_ttl', prev?.maxTtl ?? 0),
    explicitMaxTtl: dur('token_explicit_max_ttl', undefined, prev?.explicitMaxTtl ?? 0),
    period: dur('token_period', 'period', prev?.period ?? 0),
    numUses: body.token_num_uses !== undefined ? Number(body.token_num_uses) : prev?.numUses ?? 0,
    noDefaultPolicy: body.token_no_default_policy !== undefined ? body.token_no_default_policy === true : prev?.noDefaultPolicy ?? false,
  };
}

export function tokenParamsData(p: TokenParams): Record<string, unknown> {
  return {
    token_policies: p.policies, policies: p.policies, token_ttl: p.ttl, ttl: p.ttl, token_max_ttl: p.maxTtl, max_ttl: p.maxTtl,
    token_explicit_max_ttl: p.explicitMaxTtl, token_period: p.period, period: p.period, token_num_uses: p.numUses,
    token_no_default_policy: p.noDefaultPolicy, token_type: 'default', token_bound_cidrs: [],
  };
}

export function loginReply(ctx: Ctx, mount: AuthMount, p: TokenParams, meta: Record<string, string>, displayName: string, loginPath = 'login'): Reply {
  const t = issueToken(ctx.state, ctx.ns, {
    policies: p.policies, noDefaultPolicy: p.noDefaultPolicy, ttl: p.ttl, maxTtl: p.maxTtl, explicitMaxTtl: p.explicitMaxTtl,
    period: p.period, numUses: p.numUses, path: `auth/${mount.path}${loginPath}`, meta, displayName: `${mount.type}-${displayName}`.replace(/-$/, ''),
    orphan: true, renewable: true,
  });
  return envelope({ auth: authBlock(ctx.state, t), mountType: mount.type });
}

/** `role/<name>` CRUD plus LIST `role` for methods whose roles are plain records. */
export function roleCrud<R extends { params: TokenParams }>(
  ctx: Ctx, roles: Map<string, R>, name: string | undefined,
  build: (body: Record<string, unknown>, prev: R | undefined) => R, view: (r: R) => Record<string, unknown>, mountType: string,
): Reply {
  if (name === undefined || name === '') {
    const keys = [...roles.keys()].sort();
    return keys.length === 0 ? { status: 404, body: { errors: [] } } : envelope({ data: { keys }, mountType });
  }
  const key = name.toLowerCase();
  switch (ctx.method) {
    case 'GET': { const r = roles.get(key); return r ? envelope({ data: view(r), mountType }) : { status: 404, body: { errors: [] } }; }
    case 'DELETE': roles.delete(key); return { status: 204 };
    case 'POST': roles.set(key, build(ctx.body, roles.get(key))); return { status: 204 };
    case 'LIST': return { status: 404, body: { errors: [] } };
    default: return { status: 405, body: { errors: ['1 error occurred:\n\t* unsupported operation\n\n'] } };
  }
}

export function methodState<T>(mount: AuthMount, init: () => T): T {
  if (!mount.state.s) mount.state.s = init();
  return mount.state.s as T;
}
