// Kubernetes auth: roles bound to ServiceAccount names/namespaces; the JWT is checked with a
// TokenReview against the configured Kubernetes API (kubernetes_host), or, when none is
// configured, against the server's static JWT → ServiceAccount map.
import type { AuthMount } from '../state.js';
import { type Ctx, type Reply, envelope, badRequest, errors, noContent, notFound, permissionDenied, unsupportedOperation, fail } from '../reply.js';
import { type TokenParams, tokenParams, tokenParamsData, loginReply, methodState, roleCrud } from './common.js';
import { asStringList } from '../util.js';
import { httpJson } from './http-client.js';

interface Role { names: string[]; namespaces: string[]; audience: string; params: TokenParams }
interface Config { host: string; ca: string; reviewerJwt: string; disableLocalCaJwt: boolean }
interface State { roles: Map<string, Role>; config?: Config }
const stateOf = (m: AuthMount) => methodState<State>(m, () => ({ roles: new Map() }));

const glob = (allowed: string[], v: string) => allowed.some((a) => a === '*' || a === v || (a.endsWith('*') && v.startsWith(a.slice(0, -1))));

export const kubernetes = {
  unauthenticated: (rest: string) => rest === 'login',
  async handle(ctx: Ctx, mount: AuthMount, rest: string): Promise<Reply> {
    const st = stateOf(mount);
    if (rest === 'login') return login(ctx, mount, st);
    if (rest === 'config') {
      if (ctx.method === 'GET') {
        if (!st.config) return notFound();
        return envelope({ data: { kubernetes_host: st.config.host, kubernetes_ca_cert: st.config.ca, token_reviewer_jwt_set: st.config.reviewerJwt !== '', disable_local_ca_jwt: st.config.disableLocalCaJwt, disable_iss_validation: true, issuer: '', pem_keys: [] }, mountType: 'kubernetes' });
      }
      if (ctx.method !== 'POST') return unsupportedOperation();
      const b = ctx.body;
      const host = String(b.kubernetes_host ?? st.config?.host ?? '');
      if (!host) return badRequest('no host provided');
      st.config = { host, ca: String(b.kubernetes_ca_cert ?? st.config?.ca ?? ''), reviewerJwt: String(b.token_reviewer_jwt ?? st.config?.reviewerJwt ?? ''), disableLocalCaJwt: b.disable_local_ca_jwt === true };
      return noContent();
    }
    if (rest === 'role' || rest === 'role/') return roleCrud(ctx, st.roles, undefined, () => { throw new Error('unreachable'); }, () => ({}), 'kubernetes');
    const m = /^role\/([^/]+)$/.exec(rest);
    if (!m) return notFound();
    return roleCrud(ctx, st.roles, m[1]!, (b, prev) => {
      const names = b.bound_service_account_names !== undefined ? asStringList(b.bound_service_account_names) : prev?.names ?? [];
      const namespaces = b.bound_service_account_namespaces !== undefined ? asStringList(b.bound_service_account_namespaces) : prev?.namespaces ?? [];
      if (names.length === 0) fail(badRequest('"bound_service_account_names" can not be empty'));
      if (namespaces.length === 0) fail(badRequest('"bound_service_account_namespaces" can not be empty'));
      return { names, namespaces, audience: String(b.audience ?? prev?.audience ?? ''), params: tokenParams(b, prev?.params) };
    }, (r) => ({ bound_service_account_names: r.names, bound_service_account_namespaces: r.namespaces, audience: r.audience, alias_name_source: 'serviceaccount_uid', ...tokenParamsData(r.params) }), 'kubernetes');
  },
};

interface Identity { namespace: string; name: string; uid: string }

async function review(ctx: Ctx, st: State, jwt: string, role: Role): Promise<Identity | Reply> {
  const cfg = st.config ?? (ctx.state.kubeApi ? { host: ctx.state.kubeApi.url, ca: ctx.state.kubeApi.ca ?? '', reviewerJwt: ctx.state.kubeApi.token, disableLocalCaJwt: true } : undefined);
  if (!cfg) {
    const id = ctx.state.kubernetesTokens.get(jwt);
    return id ?? permissionDenied();
  }
  let res;
  try {
    res = await httpJson(`${cfg.host.replace(/\/$/, '')}/apis/authentication.k8s.io/v1/tokenreviews`, {
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: jwt, ...(role.audience ? { audiences: [role.audience] } : {}) } },
      headers: { Authorization: `Bearer ${cfg.reviewerJwt || jwt}` },
      ca: cfg.ca || undefined,
    });
  } catch (e) {
    return errors(500, `1 error occurred:\n\t* ${(e as Error).message}\n\n`);
  }
  if (res.status < 200 || res.status > 299) return errors(403, `1 error occurred:\n\t* lookup failed: service account unauthorized; this could mean it has been deleted or recreated with a new token\n\n`);
  const status = (res.json as { status?: { authenticated?: boolean; user?: { username?: string; uid?: string }; error?: string } })?.status;
  if (!status?.authenticated) return permissionDenied();
  const parts = (status.user?.username ?? '').split(':');
  if (parts.length !== 4 || parts[0] !== 'system' || parts[1] !== 'serviceaccount') return errors(500, 'lookup failed: JWT names did not match TokenReview');
  return { namespace: parts[2]!, name: parts[3]!, uid: status.user?.uid ?? '' };
}

async function login(ctx: Ctx, mount: AuthMount, st: State): Promise<Reply> {
  const roleName = ctx.body.role;
  const jwt = ctx.body.jwt;
  if (typeof roleName !== 'string' || roleName === '') return badRequest('missing role');
  if (typeof jwt !== 'string' || jwt === '') return badRequest('missing jwt');
  const role = st.roles.get(roleName.toLowerCase());
  if (!role) return badRequest(`invalid role name "${roleName}"`);
  const id = await review(ctx, st, jwt, role);
  if ('status' in id) return id;
  if (!glob(role.names, id.name)) return errors(403, 'service account name not authorized');
  if (!glob(role.namespaces, id.namespace)) return errors(403, 'namespace not authorized');
  return loginReply(ctx, mount, role.params, {
    role: roleName, service_account_name: id.name, service_account_namespace: id.namespace, service_account_secret_name: '', service_account_uid: id.uid,
  }, `${id.namespace}-${id.name}`);
}
