// Shared shapes of the test API server: objects, resource definitions, request context.

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonMap = { [k: string]: Json };

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
  managedFields?: ManagedFieldsEntry[];
  [k: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: 'Apply' | 'Update';
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: JsonMap;
  subresource?: string;
}

export interface KObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [k: string]: unknown;
}

/** One CRD version's schema facts the server needs. */
export interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  schema?: JsonMap; // openAPIV3Schema
  status: boolean;
  scale?: JsonMap;
  printerColumns?: Json[];
  selectableFields?: string[];
}

export interface ResourceDef {
  group: string;
  version: string;
  resource: string;
  kind: string;
  listKind: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  subresources: string[]; // e.g. ['status'], ['token'], ['proxy']
  /** Custom resource: unstructured semantics (422 on unconditional PUT, 415 on SMP, kind/apiVersion on list items). */
  custom: boolean;
  /** Create-only virtual resource (reviews). */
  virtual?: boolean;
  /** Maintains metadata.generation (CRs, apps, rbac… not Secret/ConfigMap). */
  generation: boolean;
  /** Has a status subresource: status dropped on create, ignored on main-resource writes. */
  statusSubresource: boolean;
  /** Field selectors supported besides metadata.name / metadata.namespace. */
  fieldLabels: string[];
  /** Top-level fields a strict decoder knows (built-ins only; CRs use the schema). */
  knownFields?: string[];
  crd?: CrdVersion;
}

export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

export type Clock = () => Date;

export const gv = (d: { group: string; version: string }): string => (d.group ? `${d.group}/${d.version}` : d.version);
export const groupResource = (d: { group: string; resource: string }): string => (d.group ? `${d.resource}.${d.group}` : d.resource);
export const storageKey = (d: { group: string; resource: string }): string => `${d.group}/${d.resource}`;
export const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));
export const isMap = (v: unknown): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v);
