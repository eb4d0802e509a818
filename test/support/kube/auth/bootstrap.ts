// What a fresh cluster holds: the system namespaces and the bootstrap RBAC policy the apiserver
// reconciles on start (cluster-admin for system:masters, discovery and self-review for everyone signed in).
import type { KObject } from '../types.js';

const RBAC = 'rbac.authorization.k8s.io/v1';
const labels = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
const ann = { 'rbac.authorization.kubernetes.io/autoupdate': 'true' };

const role = (name: string, rules: object[]): KObject => ({ apiVersion: RBAC, kind: 'ClusterRole', metadata: { name, labels, annotations: ann }, rules });
const binding = (name: string, groups: string[], roleName = name): KObject => ({
  apiVersion: RBAC, kind: 'ClusterRoleBinding', metadata: { name, labels, annotations: ann },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
  subjects: groups.map((g) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: g })),
});

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export function bootstrapRbac(): { clusterRoles: KObject[]; clusterRoleBindings: KObject[] } {
  const readOnly = ['get', 'list', 'watch'];
  return {
    clusterRoles: [
      role('cluster-admin', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { nonResourceURLs: ['*'], verbs: ['*'] }]),
      role('system:discovery', [{ nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'], verbs: ['get'] }]),
      role('system:public-info-viewer', [{ nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'], verbs: ['get'] }]),
      role('system:basic-user', [
        { apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], verbs: ['create'] },
        { apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'], verbs: ['create'] },
      ]),
      role('system:auth-delegator', [
        { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
        { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] },
      ]),
      role('system:service-account-issuer-discovery', [{ nonResourceURLs: ['/.well-known/openid-configuration', '/.well-known/openid-configuration/', '/openid/v1/jwks', '/openid/v1/jwks/'], verbs: ['get'] }]),
      role('view', [{ apiGroups: ['', 'apps', 'coordination.k8s.io', 'events.k8s.io'], resources: ['configmaps', 'endpoints', 'events', 'pods', 'serviceaccounts', 'services', 'deployments', 'leases', 'namespaces'], verbs: readOnly }]),
      role('edit', [
        { apiGroups: ['', 'apps', 'coordination.k8s.io', 'events.k8s.io'], resources: ['configmaps', 'endpoints', 'events', 'pods', 'secrets', 'serviceaccounts', 'services', 'deployments', 'leases'], verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] },
        { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] },
      ]),
    ],
    clusterRoleBindings: [
      binding('cluster-admin', ['system:masters']),
      binding('system:discovery', ['system:authenticated']),
      binding('system:public-info-viewer', ['system:authenticated', 'system:unauthenticated']),
      binding('system:basic-user', ['system:authenticated']),
      binding('system:service-account-issuer-discovery', ['system:serviceaccounts']),
    ],
  };
}
