// RBAC authorization from the Role/ClusterRole/RoleBinding/ClusterRoleBinding objects in the store,
// with the system:masters short-circuit the apiserver applies before RBAC.
import type { KObject, UserInfo } from '../types.js';
import type { Store } from '../store.js';

export interface ResourceAttributes { verb: string; group: string; resource: string; subresource?: string; namespace?: string; name?: string }
export interface NonResourceAttributes { verb: string; path: string }
export type Attributes = ResourceAttributes | NonResourceAttributes;

export interface PolicyRule { verbs?: string[]; apiGroups?: string[]; resources?: string[]; resourceNames?: string[]; nonResourceURLs?: string[] }
interface Subject { kind?: string; name?: string; namespace?: string; apiGroup?: string }

const isResource = (a: Attributes): a is ResourceAttributes => 'resource' in a;

function subjectMatches(s: Subject, user: UserInfo, bindingNs: string | undefined): boolean {
  if (s.kind === 'User') return s.name === user.username;
  if (s.kind === 'Group') return !!s.name && user.groups.includes(s.name);
  if (s.kind === 'ServiceAccount') return user.username === `system:serviceaccount:${s.namespace || bindingNs}:${s.name}`;
  return false;
}

function roleRules(store: Store, ref: { kind?: string; name?: string } | undefined, ns: string | undefined): PolicyRule[] {
  if (!ref?.name) return [];
  const role = ref.kind === 'ClusterRole' ? store.get('rbac.authorization.k8s.io/clusterroles', undefined, ref.name) : store.get('rbac.authorization.k8s.io/roles', ns, ref.name);
  return ((role?.['rules'] as PolicyRule[] | undefined) ?? []);
}

/** The rules that apply to user in namespace (cluster-wide ones included). */
export function rulesFor(store: Store, user: UserInfo, ns: string | undefined): PolicyRule[] {
  const rules: PolicyRule[] = [];
  const collect = (b: KObject, bindingNs: string | undefined): void => {
    const subjects = (b['subjects'] as Subject[] | undefined) ?? [];
    if (!subjects.some((s) => subjectMatches(s, user, bindingNs))) return;
    rules.push(...roleRules(store, b['roleRef'] as { kind?: string; name?: string }, bindingNs));
  };
  for (const b of store.list('rbac.authorization.k8s.io/clusterrolebindings')) collect(b, undefined);
  if (ns) for (const b of store.list('rbac.authorization.k8s.io/rolebindings', ns)) collect(b, ns);
  return rules;
}

const has = (list: string[] | undefined, v: string): boolean => !!list && (list.includes('*') || list.includes(v));

export function ruleAllows(r: PolicyRule, a: Attributes): boolean {
  if (!has(r.verbs, a.verb)) return false;
  if (!isResource(a)) {
    return (r.nonResourceURLs ?? []).some((u) => u === '*' || u === a.path || (u.endsWith('*') && a.path.startsWith(u.slice(0, -1))));
  }
  if (!has(r.apiGroups, a.group)) return false;
  const full = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const res = r.resources ?? [];
  if (!(res.includes('*') || res.includes(full) || (a.subresource && res.includes(`*/${a.subresource}`)))) return false;
  if (r.resourceNames?.length) return !!a.name && r.resourceNames.includes(a.name);
  return true;
}

export function authorize(store: Store, user: UserInfo, a: Attributes): boolean {
  if (user.groups.includes('system:masters')) return true;
  return rulesFor(store, user, isResource(a) ? a.namespace : undefined).some((r) => ruleAllows(r, a));
}

/** The apiserver's Forbidden wording for a denied request. */
export function forbiddenText(user: UserInfo, a: Attributes): string {
  if (!isResource(a)) return `User "${user.username}" cannot ${a.verb} path "${a.path}"`;
  const res = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const where = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  return `User "${user.username}" cannot ${a.verb} resource "${res}" in API group "${a.group}" ${where}`;
}
