// What to write for a SealedSecret's Secret: Bitnami's ownership and merge rules (§4.4) as pure
// functions, so "running twice writes nothing" is a property of the data, not of timing.
import type { Json } from '../kube/index.js';
import type { SecretObject } from '../../src/sealed/index.js';

export const ANNOTATION_MANAGED = 'sealedsecrets.bitnami.com/managed';
export const ANNOTATION_PATCH = 'sealedsecrets.bitnami.com/patch';
/** Ours: which keys (fingerprints) opened the items of this Secret. Lets every replica count key use. */
export const ANNOTATION_UNSEALED_WITH = 'cloak.dev/unsealed-with';

type Meta = { labels?: Record<string, string>; annotations?: Record<string, string>; ownerReferences?: Array<Record<string, unknown>>; resourceVersion?: string; [k: string]: unknown };

export type ApplyPlan =
  | { action: 'create'; secret: SecretObject }
  | { action: 'update'; secret: Json }
  | { action: 'none' }
  | { action: 'unmanaged' };

export function isControlledBy(secret: Readonly<Json>, ssUid: string): boolean {
  const refs = ((secret.metadata ?? {}) as Meta).ownerReferences ?? [];
  return refs.some((r) => r.controller === true && r.uid === ssUid && r.kind === 'SealedSecret');
}

/** Decides create/update/none for `desired` given the live Secret (if any). */
export function planApply(existing: Readonly<Json> | undefined, desired: SecretObject, ssUid: string): ApplyPlan {
  if (!existing) return { action: 'create', secret: desired };
  const meta = (existing.metadata ?? {}) as Meta;
  const managed = meta.annotations?.[ANNOTATION_MANAGED] === 'true';
  const patch = meta.annotations?.[ANNOTATION_PATCH] === 'true';
  if (!isControlledBy(existing, ssUid) && !managed && !patch) return { action: 'unmanaged' };

  const next = structuredClone(existing) as Json & { metadata: Meta; data?: Record<string, string>; type?: string };
  const dm = desired.metadata;
  if (patch) {
    next.data = { ...(next.data ?? {}), ...(desired.data ?? {}) };
    next.metadata.labels = { ...(meta.labels ?? {}), ...(dm.labels ?? {}) };
    next.metadata.annotations = { ...(meta.annotations ?? {}), ...(dm.annotations ?? {}) };
    if (managed) setOrDelete(next.metadata, 'ownerReferences', dm.ownerReferences);
  } else {
    next.data = { ...(desired.data ?? {}) };
    setOrDelete(next.metadata, 'labels', dm.labels);
    setOrDelete(next.metadata, 'annotations', dm.annotations);
    setOrDelete(next.metadata, 'ownerReferences', dm.ownerReferences);
  }
  next.type = desired.type ?? 'Opaque';
  return sameContent(existing, next) ? { action: 'none' } : { action: 'update', secret: next };
}

function setOrDelete(meta: Meta, field: 'labels' | 'annotations' | 'ownerReferences', value: unknown): void {
  const empty = value === undefined || (Array.isArray(value) ? value.length === 0 : typeof value === 'object' && value !== null && Object.keys(value).length === 0);
  if (empty) delete meta[field];
  else (meta as Record<string, unknown>)[field] = structuredClone(value);
}

/** Compares what we manage: data, type, labels, annotations, ownerReferences (empty == absent). */
export function sameContent(a: Readonly<Json>, b: Readonly<Json>): boolean {
  const ma = (a.metadata ?? {}) as Meta;
  const mb = (b.metadata ?? {}) as Meta;
  return equalMap(a.data as Record<string, string> | undefined, b.data as Record<string, string> | undefined)
    && (a.type ?? 'Opaque') === (b.type ?? 'Opaque')
    && equalMap(ma.labels, mb.labels)
    && equalMap(ma.annotations, mb.annotations)
    && equalRefs(ma.ownerReferences, mb.ownerReferences);
}

function equalMap(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ka = Object.keys(a ?? {});
  if (ka.length !== Object.keys(b ?? {}).length) return false;
  return ka.every((k) => b !== undefined && Object.hasOwn(b, k) && (a as Record<string, string>)[k] === b[k]);
}

function equalRefs(a: Array<Record<string, unknown>> | undefined, b: Array<Record<string, unknown>> | undefined): boolean {
  const norm = (r: Record<string, unknown>) => JSON.stringify([r.apiVersion, r.kind, r.name, r.uid, r.controller ?? false, r.blockOwnerDeletion ?? false]);
  const xa = (a ?? []).map(norm);
  const xb = (b ?? []).map(norm);
  return xa.length === xb.length && xa.every((x, i) => x === xb[i]);
}
