// The built-in kinds this server serves, with the facts discovery and the strategies need.
import type { ResourceDef } from './types.js';

const RW = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const META = ['apiVersion', 'kind', 'metadata'];

interface Spec extends Partial<ResourceDef> { group: string; version: string; resource: string; kind: string }

function def(s: Spec): ResourceDef {
  return {
    listKind: s.kind + 'List',
    singular: s.kind.toLowerCase(),
    namespaced: true,
    shortNames: [],
    categories: [],
    verbs: RW,
    subresources: [],
    custom: false,
    generation: false,
    statusSubresource: false,
    fieldLabels: [],
    ...s,
  };
}

const review = (group: string, resource: string, kind: string, namespaced = false): ResourceDef =>
  def({ group, version: 'v1', resource, kind, namespaced, verbs: ['create'], virtual: true });

export function builtinResources(): ResourceDef[] {
  return [
    def({ group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false, shortNames: ['ns'], subresources: ['status', 'finalize'], statusSubresource: true, fieldLabels: ['status.phase'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], knownFields: [...META, 'spec', 'status'] }),
    def({ group: '', version: 'v1', resource: 'secrets', kind: 'Secret', fieldLabels: ['type'], knownFields: [...META, 'data', 'stringData', 'type', 'immutable'] }),
    def({ group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', shortNames: ['cm'], knownFields: [...META, 'data', 'binaryData', 'immutable'] }),
    def({ group: '', version: 'v1', resource: 'serviceaccounts', kind: 'ServiceAccount', shortNames: ['sa'], subresources: ['token'], knownFields: [...META, 'secrets', 'imagePullSecrets', 'automountServiceAccountToken'] }),
    def({ group: '', version: 'v1', resource: 'services', kind: 'Service', shortNames: ['svc'], categories: ['all'], subresources: ['status', 'proxy'], statusSubresource: true, verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'], knownFields: [...META, 'spec', 'status'] }),
    def({ group: '', version: 'v1', resource: 'endpoints', kind: 'Endpoints', shortNames: ['ep'], knownFields: [...META, 'subsets'] }),
    def({ group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', kind: 'EndpointSlice', knownFields: [...META, 'addressType', 'endpoints', 'ports'] }),
    def({ group: '', version: 'v1', resource: 'events', kind: 'Event', shortNames: ['ev'], fieldLabels: ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type'], knownFields: [...META, 'involvedObject', 'reason', 'message', 'source', 'firstTimestamp', 'lastTimestamp', 'count', 'type', 'eventTime', 'series', 'action', 'related', 'reportingComponent', 'reportingInstance'] }),
    def({ group: '', version: 'v1', resource: 'pods', kind: 'Pod', shortNames: ['po'], categories: ['all'], subresources: ['status'], statusSubresource: true, fieldLabels: ['spec.nodeName', 'spec.serviceAccountName', 'status.phase'], knownFields: [...META, 'spec', 'status'] }),
    def({ group: 'events.k8s.io', version: 'v1', resource: 'events', kind: 'Event', shortNames: ['ev'], knownFields: [...META, 'eventTime', 'series', 'reportingController', 'reportingInstance', 'action', 'reason', 'regarding', 'related', 'note', 'type', 'deprecatedSource', 'deprecatedFirstTimestamp', 'deprecatedLastTimestamp', 'deprecatedCount'] }),
    def({ group: 'coordination.k8s.io', version: 'v1', resource: 'leases', kind: 'Lease', knownFields: [...META, 'spec'] }),
    def({ group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', shortNames: ['deploy'], categories: ['all'], subresources: ['status'], statusSubresource: true, generation: true, knownFields: [...META, 'spec', 'status'] }),
    def({ group: 'policy', version: 'v1', resource: 'poddisruptionbudgets', kind: 'PodDisruptionBudget', shortNames: ['pdb'], subresources: ['status'], statusSubresource: true, generation: true, knownFields: [...META, 'spec', 'status'] }),
    def({ group: 'networking.k8s.io', version: 'v1', resource: 'networkpolicies', kind: 'NetworkPolicy', shortNames: ['netpol'], generation: true, knownFields: [...META, 'spec'] }),
    def({ group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'roles', kind: 'Role', knownFields: [...META, 'rules'] }),
    def({ group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'rolebindings', kind: 'RoleBinding', knownFields: [...META, 'subjects', 'roleRef'] }),
    def({ group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles', kind: 'ClusterRole', namespaced: false, knownFields: [...META, 'rules', 'aggregationRule'] }),
    def({ group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterrolebindings', kind: 'ClusterRoleBinding', namespaced: false, knownFields: [...META, 'subjects', 'roleRef'] }),
    def({ group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions', kind: 'CustomResourceDefinition', namespaced: false, shortNames: ['crd', 'crds'], categories: ['api-extensions'], subresources: ['status'], statusSubresource: true, generation: true, knownFields: [...META, 'spec', 'status'] }),
    review('authentication.k8s.io', 'tokenreviews', 'TokenReview'),
    review('authentication.k8s.io', 'selfsubjectreviews', 'SelfSubjectReview'),
    review('authorization.k8s.io', 'selfsubjectaccessreviews', 'SelfSubjectAccessReview'),
    review('authorization.k8s.io', 'selfsubjectrulesreviews', 'SelfSubjectRulesReview'),
    review('authorization.k8s.io', 'subjectaccessreviews', 'SubjectAccessReview'),
    review('authorization.k8s.io', 'localsubjectaccessreviews', 'LocalSubjectAccessReview', true),
  ];
}

/** Strategic-merge / associative-list keys of the built-in kinds (from the Go struct tags). */
export const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  conditions: 'type',
  ownerReferences: 'uid',
  hostAliases: 'ip',
  tolerations: 'key',
  topologySpreadConstraints: 'topologyKey',
  secrets: 'name',
  resourceClaims: 'name',
};

/** `ports` merges on containerPort in pod specs and on port in Service specs. */
export function mergeKeyFor(kind: string, path: string[], field: string): string | undefined {
  if (field === 'ports') return kind === 'Service' ? 'port' : 'containerPort';
  if (field === 'finalizers') return undefined;
  if (field === 'secrets' && kind !== 'ServiceAccount') return undefined;
  if (field === 'conditions' && path.length === 0) return undefined;
  return MERGE_KEYS[field];
}

/** Lists of scalars merged as sets by strategic merge (patchStrategy=merge without key). */
export const SET_LISTS = new Set(['finalizers']);
