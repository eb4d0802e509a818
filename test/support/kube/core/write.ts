// create / update / patch of one object, with the registry's rules for resourceVersion,
// generation, status subresource, finalizers and managedFields.
import type { KObject, ManagedFieldsEntry, ResourceDef } from '../types.js';
import { clone, gv } from '../types.js';
import { ApiError, alreadyExists, badRequest, conflict, fieldErr, internalError, invalid, notFound, unsupportedMediaType } from '../status.js';
import { applyJsonPatch, applyMergePatch, applyStrategicMerge, serverSideApply, trackUpdate } from '../patch/index.js';
import type { Core, WriteOptions } from './context.js';
import { comparable, keyOf, listTypeOf, present, randomSuffix, rfc3339, specPart } from './context.js';
import { checkBody, checkNamespace, defaults, fieldValidation, stamp, validate } from './admit.js';
import { finishDelete } from './delete.js';

export function create(core: Core, def: ResourceDef, ns: string | undefined, body: unknown, opts: WriteOptions, managed?: ManagedFieldsEntry[]): KObject {
  const o = checkBody(def, clone(body));
  const md = o.metadata;
  // The etcd3 store refuses this before anything else (a 500, as on a real server).
  if (md.resourceVersion) throw internalError('resourceVersion should not be set on objects to be created');
  if (def.namespaced) {
    if (md.namespace && ns && md.namespace !== ns) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    md.namespace = ns;
  } else delete md.namespace;
  if (!md.name && md.generateName) md.name = md.generateName + randomSuffix();
  if (!md.name) throw invalid(def.kind, def.group, '', [fieldErr.required('metadata.name', 'name or generateName is required')]);
  checkNamespace(core, def, md.namespace, true, md.name);
  fieldValidation(def, o, opts);
  if (def.statusSubresource && def.kind !== 'Namespace' && def.kind !== 'Service') delete o['status'];
  defaults(def, o, true);
  stamp(core, o);
  if (def.generation) md.generation = 1;
  else delete md.generation;
  validate(def, o, undefined);
  if (core.store.get(keyOf(def), md.namespace, md.name)) throw alreadyExists(def, md.name);
  if (managed) o.metadata.managedFields = managed;
  else { const requested = o.metadata.managedFields; delete o.metadata.managedFields; track(core, def, undefined, o, opts, '', requested); }
  const toStore = { ...o, apiVersion: storageApiVersion(core, def), kind: def.kind } as KObject;
  if (opts.dryRun) return present(def, { ...toStore, metadata: { ...toStore.metadata, resourceVersion: '' } });
  const stored = core.store.put(keyOf(def), toStore, 'ADDED');
  if (def.kind === 'CustomResourceDefinition') core.crdChanged(md.name);
  return present(def, core.store.get(keyOf(def), undefined, md.name) ?? stored);
}

function storageApiVersion(core: Core, def: ResourceDef): string {
  if (!def.crd) return gv(def);
  const storage = core.registry.all().find((d) => d.group === def.group && d.resource === def.resource && d.crd?.storage);
  return gv(storage ?? def);
}

function track(core: Core, def: ResourceDef, old: KObject | undefined, next: KObject, opts: WriteOptions, sub: string, requested?: unknown): void {
  if (opts.fieldManager === undefined) return;
  trackUpdate({ old, next, manager: opts.fieldManager, subresource: sub, apiVersion: gv(def), time: rfc3339(core.now()), listType: listTypeOf(def), requested });
}

export interface UpdateInput { def: ResourceDef; ns: string | undefined; name: string; body: unknown; sub: string; opts: WriteOptions; managed?: ManagedFieldsEntry[] }

export function update(core: Core, i: UpdateInput): { obj: KObject; status: number } {
  const { def } = i;
  const current = core.store.get(keyOf(def), i.ns, i.name);
  if (!current) throw notFound(def, i.name);
  const o = checkBody(def, clone(i.body));
  if (o.metadata.name !== undefined && o.metadata.name !== i.name) throw badRequest(`the name of the object (${o.metadata.name}) does not match the name on the URL (${i.name})`);
  if (def.namespaced && o.metadata.namespace && o.metadata.namespace !== i.ns) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  const rv = o.metadata.resourceVersion;
  if (!rv) {
    if (def.custom) throw invalid(def.kind, def.group, i.name, [fieldErr.invalid('metadata.resourceVersion', '0x0', 'must be specified for an update')]);
  } else if (rv !== current.metadata.resourceVersion) throw conflict(def, i.name);

  let next: KObject;
  if (i.sub === 'status') {
    next = clone(current);
    next['status'] = o['status'];
    if (o['status'] === undefined) delete next['status'];
  } else if (i.sub === 'finalize') {
    next = clone(current);
    next['spec'] = { ...((current['spec'] as object) ?? {}), finalizers: (o['spec'] as { finalizers?: string[] } | undefined)?.finalizers ?? [] };
  } else {
    fieldValidation(def, o, i.opts);
    next = o;
    const keep = current.metadata;
    if (o.metadata.uid && o.metadata.uid !== keep.uid) throw invalid(def.kind, def.group, i.name, [fieldErr.invalid('metadata.uid', o.metadata.uid, 'field is immutable')]);
    next.metadata = { ...next.metadata, name: i.name, uid: keep.uid, creationTimestamp: keep.creationTimestamp };
    if (def.namespaced) next.metadata.namespace = i.ns;
    else delete next.metadata.namespace;
    for (const k of ['deletionTimestamp', 'deletionGracePeriodSeconds', 'generation'] as const) {
      if (keep[k] !== undefined) (next.metadata as Record<string, unknown>)[k] = keep[k];
      else delete next.metadata[k];
    }
    if (def.statusSubresource) { if (current['status'] !== undefined) next['status'] = current['status']; else delete next['status']; }
    if (def.kind === 'Namespace') next['spec'] = current['spec'];
  }
  next.apiVersion = current.apiVersion;
  next.kind = def.kind;
  if (def.kind === 'Service' && def.group === '') keepAllocated(current, next);
  defaults(def, next, false);
  if (def.generation && i.sub === '' && specPart(def, current) !== specPart(def, next)) next.metadata.generation = (current.metadata.generation ?? 0) + 1;
  validate(def, next, current);

  const requested = i.sub === '' ? next.metadata.managedFields : undefined;
  next.metadata.managedFields = current.metadata.managedFields;
  if (i.managed) next.metadata.managedFields = i.managed;
  else track(core, def, current, next, i.opts, i.sub === 'status' ? 'status' : '', requested);

  // The apiserver skips writes that change nothing (no new resourceVersion, no event).
  if (comparable(next) === comparable(current) && mfKey(next) === mfKey(current)) return { obj: present(def, current), status: 200 };
  if (i.opts.dryRun) return { obj: present(def, next), status: 200 };
  const blocking = [...(next.metadata.finalizers ?? []), ...(def.kind === 'Namespace' ? ((next['spec'] as { finalizers?: string[] } | undefined)?.finalizers ?? []) : [])];
  if (next.metadata.deletionTimestamp && !blocking.length) {
    return { obj: present(def, finishDelete(core, def, next)), status: 200 };
  }
  core.store.put(keyOf(def), next, 'MODIFIED');
  if (def.kind === 'CustomResourceDefinition') core.crdChanged(i.name);
  return { obj: present(def, core.store.get(keyOf(def), i.ns, i.name) ?? next), status: 200 };
}

const mfKey = (o: KObject): string => JSON.stringify((o.metadata.managedFields ?? []).map((e) => ({ ...e, time: undefined })));

const PATCH_TYPES_CR = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml', 'application/apply-patch+cbor'];
const PATCH_TYPES = [...PATCH_TYPES_CR.slice(0, 2), 'application/strategic-merge-patch+json', ...PATCH_TYPES_CR.slice(2)];

export interface PatchInput { def: ResourceDef; ns: string | undefined; name: string; contentType: string; patch: unknown; sub: string; opts: WriteOptions; force: boolean }

export function patch(core: Core, i: PatchInput): { obj: KObject; status: number } {
  const { def } = i;
  const ct = i.contentType.split(';')[0]!.trim().toLowerCase();
  if (!(def.custom ? PATCH_TYPES_CR : PATCH_TYPES).includes(ct)) throw unsupportedMediaType(def.custom ? PATCH_TYPES_CR : PATCH_TYPES);
  const current = core.store.get(keyOf(def), i.ns, i.name);
  const sub = i.sub === 'status' ? 'status' : '';
  if (ct.startsWith('application/apply-patch')) {
    if (!i.opts.fieldManager) throw new ApiError(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch', { group: 'meta.k8s.io', kind: 'PatchOptions', causes: [{ type: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' }] });
    const config = checkBody(def, i.patch);
    if (!config.apiVersion || !config.kind) throw badRequest('apiVersion and kind must be set in an apply configuration');
    if (config.metadata.name !== undefined && config.metadata.name !== i.name) throw badRequest(`the name of the object (${config.metadata.name}) does not match the name on the URL (${i.name})`);
    const base = current ? present(def, current) : undefined;
    const merged = serverSideApply({ current: base, config, manager: i.opts.fieldManager, force: i.force, subresource: sub, apiVersion: gv(def), time: rfc3339(core.now()), listType: listTypeOf(def), details: { name: i.name, group: def.group, kind: def.resource } });
    if (!current) {
      if (sub) throw notFound(def, i.name);
      merged.metadata.name = i.name;
      const managed = merged.metadata.managedFields ?? [];
      return { obj: create(core, def, i.ns, merged, i.opts, managed), status: 201 };
    }
    if (config.metadata.resourceVersion === undefined) merged.metadata.resourceVersion = current.metadata.resourceVersion!;
    return update(core, { def, ns: i.ns, name: i.name, body: merged, sub, opts: i.opts, managed: merged.metadata.managedFields ?? [] });
  }
  if (!current) throw notFound(def, i.name);
  const base = present(def, current);
  let next: unknown;
  if (ct === 'application/json-patch+json') next = applyJsonPatch(base, i.patch);
  else if (ct === 'application/merge-patch+json') next = applyMergePatch(base, i.patch);
  else next = applyStrategicMerge(def.kind, base, i.patch);
  const n = checkBody(def, next);
  if (!n.metadata.resourceVersion) n.metadata.resourceVersion = current.metadata.resourceVersion!;
  return update(core, { def, ns: i.ns, name: i.name, body: n, sub, opts: i.opts });
}

/** The Service REST storage keeps allocated clusterIP(s) when an update leaves them empty. */
function keepAllocated(current: KObject, next: KObject): void {
  const cur = (current['spec'] ?? {}) as Record<string, unknown>;
  const spec = (next['spec'] ??= {}) as Record<string, unknown>;
  if (!spec['clusterIP'] && cur['clusterIP']) spec['clusterIP'] = cur['clusterIP'];
  if (!spec['clusterIPs'] && cur['clusterIPs']) spec['clusterIPs'] = cur['clusterIPs'];
}
