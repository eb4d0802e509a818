// The virtual, create-only review resources and the ServiceAccount token subresource.
import type { KObject, UserInfo } from '../types.js';
import { isMap } from '../types.js';
import type { Store } from '../store.js';
import { fieldErr, invalid, notFound } from '../status.js';
import type { TokenIssuer } from './tokens.js';
import { API_AUDIENCES, saUser } from './tokens.js';
import type { Attributes } from './rbac.js';
import { authorize, rulesFor } from './rbac.js';

type Body = Record<string, unknown>;
const spec = (b: Body): Body => (isMap(b['spec']) ? (b['spec'] as Body) : {});
const head = (kind: string, group: string, b: Body) => ({ kind, apiVersion: `${group}/v1`, metadata: { creationTimestamp: null, ...((b['metadata'] as object) ?? {}) } });

export function tokenRequest(store: Store, issuer: TokenIssuer, ns: string, name: string, body: Body, rfc3339: (d: Date) => string): KObject {
  const sa = store.get('/serviceaccounts', ns, name);
  if (!sa) throw notFound({ group: '', resource: 'serviceaccounts' }, name);
  const s = spec(body);
  const audiences = Array.isArray(s['audiences']) && s['audiences'].length ? (s['audiences'] as string[]) : API_AUDIENCES;
  const exp = typeof s['expirationSeconds'] === 'number' ? s['expirationSeconds'] : 3600;
  if (exp < 600) throw invalid('TokenRequest', 'authentication.k8s.io', name, [fieldErr.invalid('spec.expirationSeconds', exp, 'may not specify a duration less than 10 minutes')]);
  if (exp > 2 ** 32) throw invalid('TokenRequest', 'authentication.k8s.io', name, [fieldErr.invalid('spec.expirationSeconds', exp, 'may not specify a duration larger than 2^32 seconds')]);
  const ref = isMap(s['boundObjectRef']) ? (s['boundObjectRef'] as { kind?: string; name?: string; uid?: string }) : undefined;
  const bound = ref?.kind ? { [ref.kind.toLowerCase()]: { name: ref.name, uid: ref.uid } } : undefined;
  const t = issuer.issue({ namespace: ns, name, uid: sa.metadata.uid!, audiences, expirationSeconds: exp, ...(bound ? { bound } : {}) });
  return {
    kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1',
    metadata: { name, namespace: ns, creationTimestamp: null } as unknown as KObject['metadata'],
    spec: { audiences, expirationSeconds: exp, boundObjectRef: ref ?? null },
    status: { token: t.token, expirationTimestamp: rfc3339(t.exp) },
  };
}

/** Authenticates an issued token as the apiserver would (signature, expiry, audiences, SA still there). */
export function authenticateSaToken(store: Store, issuer: TokenIssuer, token: string, audiences: string[]): { user: UserInfo; audiences: string[] } | { error: string } {
  const v = issuer.verify(token, audiences);
  if ('error' in v) return v;
  const k = v.claims['kubernetes.io'];
  const sa = store.get('/serviceaccounts', k.namespace, k.serviceaccount.name);
  if (!sa || sa.metadata.uid !== k.serviceaccount.uid) return { error: 'invalid bearer token, service account token has been invalidated' };
  return { user: saUser(v.claims), audiences: v.claims.aud.filter((a) => audiences.includes(a)) };
}

export function tokenReview(store: Store, issuer: TokenIssuer, body: Body): object {
  const s = spec(body);
  const audiences = Array.isArray(s['audiences']) && s['audiences'].length ? (s['audiences'] as string[]) : API_AUDIENCES;
  const r = authenticateSaToken(store, issuer, String(s['token'] ?? ''), audiences);
  const status = 'error' in r ? { user: {}, error: `[${r.error}]` } : { authenticated: true, user: r.user, audiences: r.audiences };
  return { ...head('TokenReview', 'authentication.k8s.io', body), spec: s, status };
}

function attrsOf(s: Body): Attributes | undefined {
  const ra = s['resourceAttributes'] as Record<string, string> | undefined;
  if (ra) return { verb: ra['verb'] ?? '', group: ra['group'] ?? '', resource: ra['resource'] ?? '', subresource: ra['subresource'] ?? '', namespace: ra['namespace'] ?? '', name: ra['name'] ?? '' };
  const nra = s['nonResourceAttributes'] as Record<string, string> | undefined;
  if (nra) return { verb: nra['verb'] ?? '', path: nra['path'] ?? '' };
  return undefined;
}

export function accessReview(store: Store, user: UserInfo, kind: string, body: Body): object {
  const s = spec(body);
  const a = attrsOf(s);
  if (!a) throw invalid(kind, 'authorization.k8s.io', '', [fieldErr.required('spec.resourceAttributes', 'exactly one of nonResourceAttributes or resourceAttributes must be specified')]);
  const allowed = authorize(store, user, a);
  const reason = allowed ? (user.groups.includes('system:masters') ? '' : 'RBAC: allowed by binding') : '';
  return { ...head(kind, 'authorization.k8s.io', body), spec: s, status: { allowed, ...(reason ? { reason } : {}) } };
}

/** SubjectAccessReview: asks about the user named in the spec. */
export function subjectAccessReview(store: Store, kind: string, body: Body, ns?: string): object {
  const s = spec(body);
  const user: UserInfo = { username: String(s['user'] ?? ''), groups: [...((s['groups'] as string[] | undefined) ?? [])], ...(s['uid'] ? { uid: String(s['uid']) } : {}) };
  if (ns && isMap(s['resourceAttributes'])) (s['resourceAttributes'] as Body)['namespace'] = ns;
  return accessReview(store, user, kind, { ...body, spec: s });
}

export function rulesReview(store: Store, user: UserInfo, body: Body): object {
  const s = spec(body);
  const ns = String(s['namespace'] ?? '');
  const rules = user.groups.includes('system:masters') ? [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, { verbs: ['*'], nonResourceURLs: ['*'] }] : rulesFor(store, user, ns || undefined);
  const resourceRules = rules.filter((r) => !r.nonResourceURLs).map((r) => ({ verbs: r.verbs ?? [], apiGroups: r.apiGroups ?? [], resources: r.resources ?? [], ...(r.resourceNames ? { resourceNames: r.resourceNames } : {}) }));
  const nonResourceRules = rules.filter((r) => r.nonResourceURLs).map((r) => ({ verbs: r.verbs ?? [], nonResourceURLs: r.nonResourceURLs ?? [] }));
  return { ...head('SelfSubjectRulesReview', 'authorization.k8s.io', body), spec: s, status: { resourceRules, nonResourceRules, incomplete: false } };
}

export function selfSubjectReview(user: UserInfo, body: Body): object {
  return { ...head('SelfSubjectReview', 'authentication.k8s.io', body), status: { userInfo: user } };
}
