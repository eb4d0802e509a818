// The child ExternalSecret a ClusterExternalSecret wants in one namespace (ESO createOrUpdateExternalSecret):
// labels and annotations exactly spec.externalSecretMetadata's (plus the CES's force-sync annotation),
// spec exactly spec.externalSecretSpec, and a controller ownerReference to the CES (so the garbage
// collector removes children with it). Ownership is ESO's: controller reference of kind
// ClusterExternalSecret in group external-secrets.io with the CES's name.
import { stableJson } from '../../../src/external/index.js';
import type { Json } from '../../kube/index.js';
import { ANNOTATION_FORCE_SYNC, CES_KIND, ESO_API, type ClusterExternalSecretObject } from './types.js';

interface OwnerRef { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean; blockOwnerDeletion?: boolean }
interface ChildMeta { name: string; namespace: string; resourceVersion?: string; labels?: Record<string, string>; annotations?: Record<string, string>; ownerReferences?: OwnerRef[] }

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');

/** spec.externalSecretName, or the ClusterExternalSecret's name. */
export function childName(ces: ClusterExternalSecretObject): string {
  return ces.spec.externalSecretName || ces.metadata.name!;
}

export function cesOwnerReference(ces: ClusterExternalSecretObject): OwnerRef {
  return { apiVersion: ESO_API, kind: CES_KIND, name: ces.metadata.name!, uid: ces.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

/** The name of the ClusterExternalSecret controlling `es`, if one does. */
export function controllingCes(es: Readonly<Json>): string | undefined {
  const ref = ((es.metadata as ChildMeta | undefined)?.ownerReferences ?? []).find((r) => r.controller);
  return ref && ref.kind === CES_KIND && groupOf(ref.apiVersion) === 'external-secrets.io' ? ref.name : undefined;
}

export function isOwnedBy(es: Readonly<Json>, cesName: string): boolean {
  return controllingCes(es) === cesName;
}

function desiredMeta(ces: ClusterExternalSecretObject): { labels?: Record<string, string>; annotations?: Record<string, string> } {
  const md = ces.spec.externalSecretMetadata ?? {};
  const annotations = { ...(md.annotations ?? {}) };
  const force = ces.metadata.annotations?.[ANNOTATION_FORCE_SYNC];
  if (force !== undefined) annotations[ANNOTATION_FORCE_SYNC] = force;
  else delete annotations[ANNOTATION_FORCE_SYNC];
  return {
    ...(md.labels && Object.keys(md.labels).length ? { labels: { ...md.labels } } : {}),
    ...(Object.keys(annotations).length ? { annotations } : {}),
  };
}

/** SetControllerReference: our reference replaces any to the same group/kind/name, others are kept. */
function withOwner(refs: readonly OwnerRef[], ces: ClusterExternalSecretObject): OwnerRef[] {
  const mine = cesOwnerReference(ces);
  const i = refs.findIndex((r) => groupOf(r.apiVersion) === 'external-secrets.io' && r.kind === mine.kind && r.name === mine.name);
  const out = [...refs];
  if (i >= 0) out[i] = mine; else out.push(mine);
  return out;
}

/** The body to POST for a new child. */
export function newChild(ces: ClusterExternalSecretObject, namespace: string): Json {
  return {
    apiVersion: ESO_API,
    kind: 'ExternalSecret',
    metadata: { name: childName(ces), namespace, ...desiredMeta(ces), ownerReferences: [cesOwnerReference(ces)] },
    spec: structuredClone(ces.spec.externalSecretSpec ?? {}),
  };
}

/** The body to PUT over `existing` (owned by this CES), or undefined when it already matches. */
export function updatedChild(ces: ClusterExternalSecretObject, existing: Readonly<Json>): Json | undefined {
  const cur = existing.metadata as ChildMeta;
  const { labels, annotations } = desiredMeta(ces);
  const metadata: ChildMeta = { ...cur, ownerReferences: withOwner(cur.ownerReferences ?? [], ces) };
  if (labels) metadata.labels = labels; else delete metadata.labels;
  if (annotations) metadata.annotations = annotations; else delete metadata.annotations;
  const next: Json = { ...existing, metadata, spec: structuredClone(ces.spec.externalSecretSpec ?? {}) };
  delete next.status;
  return fingerprint(existing) === fingerprint(next) ? undefined : next;
}

/** What this controller decides about a child: labels, annotations, ownerReferences and spec. */
export function fingerprint(o: Readonly<Json>): string {
  const m = o.metadata as ChildMeta;
  return stableJson({ l: m.labels ?? {}, a: m.annotations ?? {}, o: m.ownerReferences ?? [], s: o.spec ?? {} });
}

/** The stored state our decisions cover, without the spec: generation (bumped by spec changes only) and our metadata. */
export function storedState(o: Readonly<Json>): string {
  const m = o.metadata as ChildMeta & { generation?: number };
  return stableJson({ g: m.generation, l: m.labels ?? {}, a: m.annotations ?? {}, o: m.ownerReferences ?? [] });
}
