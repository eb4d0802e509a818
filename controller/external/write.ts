// What to do with the target Secret for each creationPolicy: Owner (controller ownerReference, an
// unowned Secret is adopted, one owned by another ExternalSecret is refused), Orphan/CreateOrMerge
// (create or update, no owner), Merge (update only; never create), None (never write). An immutable
// target whose data would change is refused. Writes nothing when the Secret already matches.
// Owner targets carry ESO's created-by label; writes use ESO's field manager name.
import { createHash } from 'node:crypto';
import { ANNOTATION_DATA_HASH, dataHash, stableJson } from '../../src/external/index.js';
import type { ExternalSecretObject } from '../../src/manifests/external-types.js';
import type { SecretObject } from '../../src/sealed/types.js';
import type { Json } from '../kube/index.js';
import { createdByValue, LABEL_CREATED_BY } from './orphans.js';
import { decodeData } from './refresh.js';
import { Message } from './status.js';

export type WritePlan =
  | { kind: 'noop' }
  | { kind: 'missing' }
  | { kind: 'create'; body: Json }
  | { kind: 'update'; body: Json }
  | { kind: 'refused'; message: string };

interface OwnerRef { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean; blockOwnerDeletion?: boolean }
interface Meta { name: string; namespace: string; uid?: string; resourceVersion?: string; labels?: Record<string, string>; annotations?: Record<string, string>; ownerReferences?: OwnerRef[] }

export function ownerReference(es: ExternalSecretObject): OwnerRef {
  return { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', name: es.metadata.name!, uid: es.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

/** The Secret's controlling ownerReference, if any. */
export function controllerOf(secret: Readonly<Json>): OwnerRef | undefined {
  return ((secret.metadata as Meta).ownerReferences ?? []).find((o) => o.controller);
}

/** ESO's field manager for Secret writes (fqdnFor): `externalsecrets.external-secrets.io/<es-name>`, hashed past 63 characters. */
export function fieldManager(es: ExternalSecretObject): string {
  const name = es.metadata.name ?? '';
  const fqdn = `externalsecrets.external-secrets.io/${name}`;
  return fqdn.length > 63 ? `externalsecrets.external-secrets.io/sha3/${createHash('sha3-224').update(name).digest('hex')}` : fqdn;
}

export function planWrite(es: ExternalSecretObject, want: SecretObject, existing: Readonly<Json> | undefined): WritePlan {
  const policy = es.spec.target?.creationPolicy ?? 'Owner';
  if (policy === 'None') return { kind: 'noop' };
  const desired: SecretObject = policy !== 'Owner' ? want
    : { ...want, metadata: { ...want.metadata, labels: { ...(want.metadata.labels ?? {}), [LABEL_CREATED_BY]: createdByValue(es) } } };
  if (!existing) {
    if (policy === 'Merge') return { kind: 'missing' };
    const body = structuredClone(desired) as unknown as Json;
    if (policy === 'Owner') (body.metadata as Meta).ownerReferences = [ownerReference(es)];
    return { kind: 'create', body };
  }
  const cur = existing.metadata as Meta;
  const owners = [...(cur.ownerReferences ?? [])];
  if (policy === 'Owner') {
    const controller = controllerOf(existing);
    if (controller && controller.uid !== es.metadata.uid) {
      return { kind: 'refused', message: controller.kind === 'ExternalSecret' ? Message.ownedByOther : Message.ownership };
    }
    if (!controller) owners.push(ownerReference(es));
  }
  const desiredMeta = desired.metadata as Meta;
  const data = policy === 'Merge' ? { ...((existing.data ?? {}) as Record<string, string>), ...desired.data } : { ...desired.data };
  const labels = { ...(cur.labels ?? {}), ...(desiredMeta.labels ?? {}) };
  const annotations = { ...(cur.annotations ?? {}), ...(desiredMeta.annotations ?? {}) };
  const next: Json = {
    ...existing,
    metadata: { ...cur, labels, annotations, ...(owners.length ? { ownerReferences: owners } : {}) },
    data,
  };
  if (policy !== 'Merge' && desired.type) next.type = desired.type;
  if (desired.immutable) next.immutable = true;
  if (policy === 'Merge') {
    // The data hash covers the merged data, as ESO computes it after mutation.
    (next.metadata as Meta).annotations![ANNOTATION_DATA_HASH] = dataHash(decodeData(next));
  }
  if (same(existing, next)) return { kind: 'noop' };
  // An immutable Secret still takes metadata changes; its data cannot change.
  if (existing.immutable === true && stableJson(existing.data ?? {}) !== stableJson(next.data)) return { kind: 'refused', message: Message.immutable };
  return { kind: 'update', body: next };
}

function same(a: Readonly<Json>, b: Readonly<Json>): boolean {
  const pick = (o: Readonly<Json>) => {
    const m = o.metadata as Meta;
    return { labels: m.labels ?? {}, annotations: m.annotations ?? {}, owners: m.ownerReferences ?? [], data: o.data ?? {}, type: o.type ?? 'Opaque', immutable: o.immutable ?? false };
  };
  return stableJson(pick(a)) === stableJson(pick(b));
}
