// /version, legacy discovery (/api, /apis, /api/v1, /apis/g/v) and aggregated discovery (apidiscovery.k8s.io/v2).
import type { ResourceDef } from './types.js';
import type { Registry } from './registry.js';

export const AGGREGATED_CT = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

export const versionInfo = {
  major: '1', minor: '32', gitVersion: 'v1.32.0', gitCommit: '70d3cc986aa8221cd1dfb1121852688902d3bf53', gitTreeState: 'clean',
  buildDate: '2024-12-11T17:59:15Z', goVersion: 'go1.23.3', compiler: 'gc', platform: 'linux/amd64',
};

export const wantsAggregated = (accept: string | undefined): boolean => !!accept && /as=APIGroupDiscoveryList/.test(accept) && /v=v2(;|,|$)/.test(accept);

export function apiVersions(host: string) {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: host }] };
}

export function apiGroupList(reg: Registry) {
  const groups = [];
  for (const [name, versions] of reg.groups()) {
    if (!name) continue;
    const vs = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
    groups.push({ name, versions: vs, preferredVersion: vs[0] });
  }
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

export function apiResourceList(reg: Registry, group: string, version: string) {
  const defs = reg.inVersion(group, version);
  if (!defs.length) return undefined;
  const resources: object[] = [];
  for (const d of defs) {
    resources.push({ name: d.resource, singularName: d.singular, namespaced: d.namespaced, kind: d.kind, verbs: d.verbs, ...(d.shortNames.length ? { shortNames: d.shortNames } : {}), ...(d.categories.length ? { categories: d.categories } : {}), storageVersionHash: hash(d) });
    for (const sub of d.subresources) resources.push({ name: `${d.resource}/${sub}`, singularName: '', namespaced: d.namespaced, kind: subKind(d, sub).kind, ...subKindGroup(d, sub), verbs: subVerbs(sub) });
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}

function subKind(d: ResourceDef, sub: string): { group: string; version: string; kind: string } {
  if (sub === 'token') return { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' };
  if (sub === 'scale') return { group: 'autoscaling', version: 'v1', kind: 'Scale' };
  return { group: d.group, version: d.version, kind: d.kind };
}
const subKindGroup = (d: ResourceDef, sub: string) => (sub === 'token' || sub === 'scale' ? { group: subKind(d, sub).group, version: 'v1' } : {});
function subVerbs(sub: string): string[] {
  if (sub === 'token') return ['create'];
  if (sub === 'proxy') return ['create', 'delete', 'get', 'patch', 'update'];
  if (sub === 'finalize') return ['update'];
  return ['get', 'patch', 'update'];
}
const hash = (d: ResourceDef): string => Buffer.from(`${d.group}/${d.version}/${d.resource}`).toString('base64').slice(0, 11);

export function aggregated(reg: Registry, core: boolean) {
  const items = [];
  for (const [name, versions] of reg.groups()) {
    if ((name === '') !== core) continue;
    items.push({
      metadata: { name, creationTimestamp: null },
      versions: versions.map((v) => ({
        version: v,
        freshness: 'Current',
        resources: reg.inVersion(name, v).map((d) => ({
          resource: d.resource,
          responseKind: { group: d.group, version: d.version, kind: d.kind },
          scope: d.namespaced ? 'Namespaced' : 'Cluster',
          singularResource: d.singular,
          verbs: d.verbs,
          ...(d.shortNames.length ? { shortNames: d.shortNames } : {}),
          ...(d.categories.length ? { categories: d.categories } : {}),
          ...(d.subresources.length ? { subresources: d.subresources.map((s) => ({ subresource: s, responseKind: subKind(d, s), verbs: subVerbs(s) })) } : {}),
        })),
      })),
    });
  }
  return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items };
}
