// Authentication and authorization of a request: token lookup, namespace reach, ACL capabilities.
import { capabilities, type Policy } from './acl.js';
import type { Namespace, Token, VaultState } from './state.js';
import { type Ctx, type Op, type Reply, invalidToken, permissionDenied } from './reply.js';
import { liveToken, revokeToken } from './tokens.js';

export function policiesOf(_state: VaultState, t: Token): Policy[] {
  return t.policies.map((n) => t.ns.policies.get(n)).filter((p): p is Policy => p !== undefined);
}

function isWithin(outer: Namespace, inner: Namespace): boolean {
  for (let n: Namespace | undefined = inner; n; n = n.parent) if (n === outer) return true;
  return false;
}

export function requestToken(headers: Record<string, string>): string | undefined {
  const t = headers['x-vault-token'];
  if (t) return t;
  const a = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '');
  return a?.[1];
}

/** Resolve the caller's token; undefined reply means the request may proceed with ctx.token set. */
export function authenticate(ctx: Ctx): Reply | undefined {
  const id = requestToken(ctx.headers);
  if (!id) return permissionDenied();
  const t = liveToken(ctx.state, id);
  if (!t) return invalidToken();
  if (!isWithin(t.ns, ctx.ns)) return permissionDenied();
  ctx.token = t;
  return undefined;
}

/** Checks the capability for `op` on `path` (relative to the request namespace); `sudo` when required. */
export function authorize(ctx: Ctx, path: string, op: Op, needSudo = false): Reply | undefined {
  const t = ctx.token!;
  if (t.policies.includes('root')) return undefined;
  const rel = ctx.ns.path.slice(t.ns.path.length) + path;
  const caps = capabilities(policiesOf(ctx.state, t), rel);
  if (caps.has('deny') || !caps.has(op) || (needSudo && !caps.has('sudo'))) return permissionDenied();
  return undefined;
}

/** Counts a use against tokens created with num_uses; the last use revokes the token. */
export function useToken(ctx: Ctx): void {
  const t = ctx.token;
  if (!t || t.numUses <= 0) return;
  t.numUses -= 1;
  if (t.numUses === 0) revokeToken(ctx.state, t);
}
