// AppRole: roles with a role_id and SecretIDs (generated or custom, with TTL and use limits).
import { randomUUID } from 'node:crypto';
import type { AuthMount } from '../state.js';
import { type Ctx, type Reply, envelope, badRequest, noContent, notFound, unsupportedOperation } from '../reply.js';
import { type TokenParams, tokenParams, tokenParamsData, loginReply, methodState, roleCrud } from './common.js';
import { parseDuration, isPlainObject } from '../util.js';

interface SecretId { id: string; accessor: string; createdMs: number; ttl: number; numUses: number; metadata: Record<string, string> }
interface Role { name: string; roleId: string; bindSecretId: boolean; secretIdTtl: number; secretIdNumUses: number; params: TokenParams; secretIds: Map<string, SecretId> }
interface State { roles: Map<string, Role> }

const stateOf = (m: AuthMount) => methodState<State>(m, () => ({ roles: new Map() }));

function view(r: Role): Record<string, unknown> {
  return { bind_secret_id: r.bindSecretId, local_secret_ids: false, secret_id_bound_cidrs: null, secret_id_num_uses: r.secretIdNumUses, secret_id_ttl: r.secretIdTtl, token_bound_cidrs: [], ...tokenParamsData(r.params) };
}

function live(ctx: Ctx, s: SecretId): boolean {
  return s.ttl === 0 || ctx.state.now() < s.createdMs + s.ttl * 1000;
}

export const approle = {
  unauthenticated: (rest: string) => rest === 'login',
  handle(ctx: Ctx, mount: AuthMount, rest: string): Reply {
    const st = stateOf(mount);
    if (rest === 'login') return login(ctx, mount, st);
    if (rest === 'role' || rest === 'role/') return roleCrud(ctx, st.roles, undefined, () => { throw new Error('unreachable'); }, view, 'approle');
    const m = /^role\/([^/]+)(?:\/(.+))?$/.exec(rest);
    if (!m) return notFound();
    const name = m[1]!.toLowerCase();
    const sub = m[2];
    if (!sub) {
      return roleCrud(ctx, st.roles, name, (b, prev) => ({
        name,
        roleId: prev?.roleId ?? (typeof b.role_id === 'string' && b.role_id ? b.role_id : randomUUID()),
        bindSecretId: b.bind_secret_id !== undefined ? b.bind_secret_id !== false : prev?.bindSecretId ?? true,
        secretIdTtl: b.secret_id_ttl !== undefined ? parseDuration(b.secret_id_ttl) : prev?.secretIdTtl ?? 0,
        secretIdNumUses: b.secret_id_num_uses !== undefined ? Number(b.secret_id_num_uses) : prev?.secretIdNumUses ?? 0,
        params: tokenParams(b, prev?.params),
        secretIds: prev?.secretIds ?? new Map(),
      }), view, 'approle');
    }
    const role = st.roles.get(name);
    if (!role) return badRequest(`role "${name}" does not exist`);
    switch (sub) {
      case 'role-id':
        if (ctx.method === 'GET') return envelope({ data: { role_id: role.roleId }, mountType: 'approle' });
        if (ctx.method !== 'POST' || typeof ctx.body.role_id !== 'string' || ctx.body.role_id === '') return badRequest('missing role_id');
        role.roleId = ctx.body.role_id;
        return noContent();
      case 'secret-id':
      case 'custom-secret-id': {
        if (ctx.method === 'LIST') {
          const keys = [...role.secretIds.values()].filter((s) => live(ctx, s)).map((s) => s.accessor).sort();
          return keys.length ? envelope({ data: { keys }, mountType: 'approle' }) : notFound();
        }
        if (ctx.method !== 'POST') return unsupportedOperation();
        const b = ctx.body;
        const id = sub === 'custom-secret-id' ? String(b.secret_id ?? '') : randomUUID();
        if (id === '') return badRequest('missing secret_id');
        const ttl = b.ttl !== undefined ? parseDuration(b.ttl) : role.secretIdTtl;
        const numUses = b.num_uses !== undefined ? Number(b.num_uses) : role.secretIdNumUses;
        const s: SecretId = { id, accessor: randomUUID(), createdMs: ctx.state.now(), ttl, numUses, metadata: isPlainObject(b.metadata) ? (b.metadata as Record<string, string>) : {} };
        role.secretIds.set(id, s);
        return envelope({ data: { secret_id: id, secret_id_accessor: s.accessor, secret_id_num_uses: numUses, secret_id_ttl: ttl }, mountType: 'approle' });
      }
      case 'secret-id/lookup': {
        const s = role.secretIds.get(String(ctx.body.secret_id ?? ''));
        if (!s || !live(ctx, s)) return noContent();
        return envelope({ data: { secret_id_accessor: s.accessor, secret_id_num_uses: s.numUses, secret_id_ttl: s.ttl, metadata: s.metadata }, mountType: 'approle' });
      }
      case 'secret-id/destroy':
        role.secretIds.delete(String(ctx.body.secret_id ?? ''));
        return noContent();
      default:
        return notFound();
    }
  },
};

function login(ctx: Ctx, mount: AuthMount, st: State): Reply {
  const roleId = ctx.body.role_id;
  if (typeof roleId !== 'string' || roleId === '') return badRequest('missing role_id');
  const role = [...st.roles.values()].find((r) => r.roleId === roleId);
  if (!role) return badRequest('invalid role or secret ID');
  if (role.bindSecretId) {
    const sid = ctx.body.secret_id;
    if (typeof sid !== 'string' || sid === '') return badRequest('missing secret_id');
    const s = role.secretIds.get(sid);
    if (!s || !live(ctx, s)) { if (s) role.secretIds.delete(sid); return badRequest('invalid role or secret ID'); }
    if (s.numUses > 0) { s.numUses -= 1; if (s.numUses === 0) role.secretIds.delete(sid); }
  }
  return loginReply(ctx, mount, role.params, { role_name: role.name }, '');
}
