// Impersonation headers (kubectl --as / --as-group), authorized with the `impersonate` verb like the
// apiserver's impersonation filter.
import type { IncomingHttpHeaders } from 'node:http';
import type { UserInfo } from '../types.js';
import type { Store } from '../store.js';
import { badRequest, forbidden } from '../status.js';
import type { ResourceAttributes } from './rbac.js';
import { authorize, forbiddenText } from './rbac.js';

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export function impersonate(store: Store, requester: UserInfo, headers: IncomingHttpHeaders): UserInfo {
  const username = list(headers['impersonate-user'])[0];
  const groups = list(headers['impersonate-group']);
  const uid = list(headers['impersonate-uid'])[0];
  const extra: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers)) if (k.startsWith('impersonate-extra-')) extra[decodeURIComponent(k.slice('impersonate-extra-'.length))] = list(v);
  if (username === undefined) {
    if (groups.length || uid || Object.keys(extra).length) throw badRequest('requested impersonation of groups, uid or extra without impersonating a user');
    return requester;
  }
  const need = (a: ResourceAttributes, resource: string): void => {
    if (!authorize(store, requester, a)) throw forbidden({ group: a.group, resource }, a.name ?? '', forbiddenText(requester, a));
  };
  const sa = username.match(/^system:serviceaccount:([^:]+):([^:]+)$/);
  if (sa) need({ verb: 'impersonate', group: '', resource: 'serviceaccounts', namespace: sa[1]!, name: sa[2]! }, 'serviceaccounts');
  else need({ verb: 'impersonate', group: '', resource: 'users', name: username }, 'users');
  for (const g of groups) need({ verb: 'impersonate', group: '', resource: 'groups', name: g }, 'groups');
  if (uid) need({ verb: 'impersonate', group: 'authentication.k8s.io', resource: 'uids', name: uid }, 'uids');
  for (const [k, vs] of Object.entries(extra)) for (const v of vs) need({ verb: 'impersonate', group: 'authentication.k8s.io', resource: 'userextras', subresource: k, name: v }, 'userextras');
  const out = [...groups];
  if (sa && !groups.length) out.push('system:serviceaccounts', `system:serviceaccounts:${sa[1]}`);
  if (username === 'system:anonymous') { if (!out.includes('system:unauthenticated')) out.push('system:unauthenticated'); }
  else if (!out.includes('system:authenticated')) out.push('system:authenticated');
  return { username, groups: out, ...(uid ? { uid } : {}), ...(Object.keys(extra).length ? { extra } : {}) };
}
