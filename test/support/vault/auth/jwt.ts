// JWT auth: tokens signed by a configured public key or a JWKS endpoint; roles bind audiences,
// subject and claims, and name the claim that identifies the user.
import { createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import type { AuthMount } from '../state.js';
import { type Ctx, type Reply, envelope, badRequest, noContent, notFound, unsupportedOperation, fail } from '../reply.js';
import { type TokenParams, tokenParams, tokenParamsData, loginReply, methodState, roleCrud } from './common.js';
import { asStringList, isPlainObject } from '../util.js';
import { httpJson } from './http-client.js';

interface Role { roleType: string; boundAudiences: string[]; userClaim: string; boundSubject: string; boundClaims: Record<string, unknown>; claimMappings: Record<string, string>; params: TokenParams }
interface Config { jwksUrl: string; jwksCa: string; pubkeys: string[]; boundIssuer: string; defaultRole: string }
interface State { roles: Map<string, Role>; config?: Config }
const stateOf = (m: AuthMount) => methodState<State>(m, () => ({ roles: new Map() }));

const LEEWAY = 150;

export const jwt = {
  unauthenticated: (rest: string) => rest === 'login',
  async handle(ctx: Ctx, mount: AuthMount, rest: string): Promise<Reply> {
    const st = stateOf(mount);
    if (rest === 'login') return login(ctx, mount, st);
    if (rest === 'config') {
      if (ctx.method === 'GET') {
        const c = st.config;
        return c ? envelope({ data: { jwks_url: c.jwksUrl, jwks_ca_pem: c.jwksCa, jwt_validation_pubkeys: c.pubkeys, bound_issuer: c.boundIssuer, default_role: c.defaultRole, oidc_discovery_url: '' }, mountType: mount.type }) : notFound();
      }
      if (ctx.method !== 'POST') return unsupportedOperation();
      const b = ctx.body;
      if (b.oidc_discovery_url) return badRequest('oidc_discovery_url is not supported by this test server; use jwks_url or jwt_validation_pubkeys');
      const pubkeys = asStringList(b.jwt_validation_pubkeys);
      for (const k of pubkeys) { try { createPublicKey(k); } catch { return badRequest('error parsing public key'); } }
      const jwksUrl = String(b.jwks_url ?? '');
      if (!jwksUrl && pubkeys.length === 0) return badRequest('exactly one of \'jwt_validation_pubkeys\', \'jwks_url\' or \'oidc_discovery_url\' must be set');
      st.config = { jwksUrl, jwksCa: String(b.jwks_ca_pem ?? ''), pubkeys, boundIssuer: String(b.bound_issuer ?? ''), defaultRole: String(b.default_role ?? '') };
      return noContent();
    }
    if (rest === 'role' || rest === 'role/') return roleCrud(ctx, st.roles, undefined, () => fail(notFound()), () => ({}), mount.type);
    const m = /^role\/([^/]+)$/.exec(rest);
    if (!m) return notFound();
    return roleCrud(ctx, st.roles, m[1]!, (b, prev) => {
      const userClaim = String(b.user_claim ?? prev?.userClaim ?? '');
      if (!userClaim) fail(badRequest('a user claim must be defined on the role'));
      return {
        roleType: String(b.role_type ?? prev?.roleType ?? 'oidc'),
        boundAudiences: b.bound_audiences !== undefined ? asStringList(b.bound_audiences) : prev?.boundAudiences ?? [],
        userClaim,
        boundSubject: String(b.bound_subject ?? prev?.boundSubject ?? ''),
        boundClaims: isPlainObject(b.bound_claims) ? b.bound_claims : prev?.boundClaims ?? {},
        claimMappings: isPlainObject(b.claim_mappings) ? (b.claim_mappings as Record<string, string>) : prev?.claimMappings ?? {},
        params: tokenParams(b, prev?.params),
      };
    }, (r) => ({ role_type: r.roleType, bound_audiences: r.boundAudiences, user_claim: r.userClaim, bound_subject: r.boundSubject, bound_claims: r.boundClaims, claim_mappings: r.claimMappings, ...tokenParamsData(r.params) }), mount.type);
  },
};

const ALGS: Record<string, { hash: string; opts?: Record<string, unknown> }> = {
  RS256: { hash: 'sha256' }, RS384: { hash: 'sha384' }, RS512: { hash: 'sha512' },
  PS256: { hash: 'sha256', opts: { padding: 6, saltLength: 32 } },
  ES256: { hash: 'sha256', opts: { dsaEncoding: 'ieee-p1363' } }, ES384: { hash: 'sha384', opts: { dsaEncoding: 'ieee-p1363' } },
  EdDSA: { hash: '' },
};

async function keysFor(cfg: Config, kid: string | undefined): Promise<KeyObject[]> {
  if (cfg.pubkeys.length > 0) return cfg.pubkeys.map((k) => createPublicKey(k));
  const res = await httpJson(cfg.jwksUrl, { ca: cfg.jwksCa || undefined });
  const keys = (res.json as { keys?: Array<Record<string, unknown>> })?.keys ?? [];
  return keys.filter((k) => !kid || k.kid === kid).map((k) => createPublicKey({ key: k as never, format: 'jwk' }));
}

async function verifyJwt(token: string, cfg: Config): Promise<Record<string, unknown>> {
  const parts = token.split('.');
  if (parts.length !== 3) fail(badRequest('error validating token: invalid format'));
  let header: Record<string, unknown>, claims: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
  } catch { fail(badRequest('error validating token: malformed token')); }
  const alg = ALGS[String(header.alg)];
  if (!alg) fail(badRequest(`error validating token: unsupported signing algorithm "${String(header.alg)}"`));
  let keys: KeyObject[];
  try { keys = await keysFor(cfg, typeof header.kid === 'string' ? header.kid : undefined); } catch (e) { fail(badRequest(`error validating token: fetching keys oidc: get keys failed: ${(e as Error).message}`)); }
  const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
  const sig = Buffer.from(parts[2]!, 'base64url');
  const ok = keys.some((key) => { try { return cryptoVerify(alg.hash || null, signed, { key, ...(alg.opts ?? {}) } as never, sig); } catch { return false; } });
  if (!ok) fail(badRequest('error validating token: failed to verify id token signature'));
  return claims;
}

async function login(ctx: Ctx, mount: AuthMount, st: State): Promise<Reply> {
  const cfg = st.config;
  if (!cfg) return badRequest('could not load configuration');
  const roleName = String(ctx.body.role ?? '') || cfg.defaultRole;
  if (!roleName) return badRequest('missing role');
  const role = st.roles.get(roleName.toLowerCase());
  if (!role) return badRequest(`role "${roleName}" could not be found`);
  const token = ctx.body.jwt;
  if (typeof token !== 'string' || token === '') return badRequest('missing token');
  const claims = await verifyJwt(token, cfg);
  const now = ctx.state.now() / 1000;
  if (typeof claims.exp === 'number' && now > claims.exp + LEEWAY) return badRequest('error validating claims: token is expired (exp)');
  if (typeof claims.nbf === 'number' && now + LEEWAY < claims.nbf) return badRequest('error validating claims: token not valid yet (nbf)');
  if (cfg.boundIssuer && claims.iss !== cfg.boundIssuer) return badRequest('error validating claims: validation failed, invalid issuer claim (iss)');
  const aud = Array.isArray(claims.aud) ? claims.aud.map(String) : typeof claims.aud === 'string' ? [claims.aud] : [];
  if (role.boundAudiences.length > 0 && !aud.some((a) => role.boundAudiences.includes(a))) return badRequest('error validating claims: invalid audience (aud) claim: audience claim does not match any expected audience');
  if (role.boundAudiences.length === 0 && aud.length > 0) return badRequest('audience claim found in JWT but no audiences bound to the role');
  if (role.boundSubject && claims.sub !== role.boundSubject) return badRequest('sub claim does not match bound subject');
  for (const [k, want] of Object.entries(role.boundClaims)) {
    const got = claims[k];
    const allowed = Array.isArray(want) ? want : [want];
    const gotList = Array.isArray(got) ? got : [got];
    if (!gotList.some((g) => allowed.includes(g))) return badRequest(`claim "${k}" does not match any associated bound claim values`);
  }
  const user = claims[role.userClaim];
  if (user === undefined || user === null || user === '') return badRequest(`claim "${role.userClaim}" not found in token`);
  const meta: Record<string, string> = { role: roleName };
  for (const [claim, metaKey] of Object.entries(role.claimMappings)) if (claims[claim] !== undefined) meta[metaKey] = String(claims[claim]);
  return loginReply(ctx, mount, role.params, meta, String(user));
}
