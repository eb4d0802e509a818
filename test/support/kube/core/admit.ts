// The checks every write passes: decoding, strict field validation, defaulting, pruning, validation.
import type { JsonMap, KObject, ResourceDef } from '../types.js';
import { isMap } from '../types.js';
import type { FieldError } from '../status.js';
import { ApiError, badRequest, fieldErr, forbidden, invalid, notFound } from '../status.js';
import { applyBuiltinDefaults, decodeCheck, nameStyle, validateBuiltin } from '../validate/builtins.js';
import { validateAnnotations, validateLabels, validateObjectName } from '../validate/names.js';
import { applyDefaults, prune, validateSchema } from '../crd/schema.js';
import { validateCrd } from '../crd/defs.js';
import type { Core, WriteOptions } from './context.js';
import { rfc3339 } from './context.js';

const META_FIELDS = ['name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields'];

/** Unknown fields: 400 under Strict, Warning headers under Warn, silently dropped under Ignore. */
export function fieldValidation(def: ResourceDef, o: KObject, opts: WriteOptions): void {
  const unknown: string[] = [];
  if (isMap(o.metadata)) for (const k of Object.keys(o.metadata)) if (!META_FIELDS.includes(k)) { unknown.push(`metadata.${k}`); delete o.metadata[k]; }
  if (def.crd?.schema) unknown.push(...prune(o as unknown as JsonMap, def.crd.schema));
  else if (def.knownFields) for (const k of Object.keys(o)) if (!def.knownFields.includes(k)) { unknown.push(k); delete o[k]; }
  if (!unknown.length) return;
  if (opts.fieldValidation === 'Strict') {
    const list = unknown.map((u) => `unknown field "${u}"`);
    throw badRequest(`${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: strict decoding error: ${list.join(', ')}`);
  }
  if (opts.fieldValidation === 'Warn') for (const u of unknown) opts.warnings.push(`unknown field "${u}"`);
}

export function checkBody(def: ResourceDef, body: unknown): KObject {
  if (!isMap(body)) throw badRequest(`Object 'Kind' is missing in '${JSON.stringify(body)?.slice(0, 100)}'`);
  const o = body as unknown as KObject;
  const want = def.group ? `${def.group}/${def.version}` : def.version;
  if (o.apiVersion !== undefined && o.apiVersion !== want && !(def.virtual && typeof o.apiVersion === 'string' && o.apiVersion.startsWith(def.group + '/'))) {
    throw badRequest(`the API version in the data (${String(o.apiVersion)}) does not match the expected API version (${want})`);
  }
  if (o.kind !== undefined && o.kind !== def.kind) throw badRequest(`the kind in the data (${String(o.kind)}) does not match the expected kind (${def.kind})`);
  if (!isMap(o.metadata)) o.metadata = {};
  return o;
}

/** NamespaceLifecycle admission: 404 in a missing namespace, 403 in a terminating one. */
export function checkNamespace(core: Core, def: ResourceDef, ns: string | undefined, creating: boolean, name = ''): void {
  if (!def.namespaced || !ns) return;
  const nsObj = core.store.peek('/namespaces', undefined, ns);
  if (!nsObj) throw notFound({ group: '', resource: 'namespaces' }, ns);
  if (creating && (nsObj['status'] as { phase?: string } | undefined)?.phase === 'Terminating') {
    throw forbidden({ group: def.group, resource: def.resource }, name, `unable to create new content in namespace ${ns} because it is being terminated`, [{ type: 'NamespaceTerminating', message: `namespace ${ns} is being terminated`, field: 'metadata.namespace' }]);
  }
}

export function defaults(def: ResourceDef, o: KObject, create: boolean): void {
  decodeCheck(def, o);
  applyBuiltinDefaults(def, o, create);
  if (def.crd?.schema) applyDefaults(o as unknown as JsonMap, def.crd.schema);
}

export function validate(def: ResourceDef, o: KObject, old: KObject | undefined): void {
  const errs: FieldError[] = [];
  const md = o.metadata;
  if (md.name) errs.push(...validateObjectName(md.name, nameStyle(def)));
  errs.push(...validateLabels(md.labels));
  errs.push(...validateAnnotations(md.annotations));
  const refs = md.ownerReferences ?? [];
  refs.forEach((r, i) => {
    if (!r.uid) errs.push(fieldErr.invalid(`metadata.ownerReferences.uid`, r.uid ?? '', 'uid must not be empty'));
    if (!r.name) errs.push(fieldErr.invalid(`metadata.ownerReferences.name`, r.name ?? '', 'name must not be empty'));
    if (!r.apiVersion) errs.push(fieldErr.invalid(`metadata.ownerReferences.apiVersion`, r.apiVersion ?? '', 'version must not be empty'));
    if (!r.kind) errs.push(fieldErr.invalid(`metadata.ownerReferences.kind`, r.kind ?? '', 'kind must not be empty'));
    void i;
  });
  if (refs.filter((r) => r.controller).length > 1) errs.push(fieldErr.invalid('metadata.ownerReferences', refs, 'Only one reference can have Controller set to true'));
  if (old?.metadata.deletionTimestamp) {
    const added = (md.finalizers ?? []).filter((f) => !(old.metadata.finalizers ?? []).includes(f));
    if (added.length) errs.push(fieldErr.forbidden('metadata.finalizers', `no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((a) => JSON.stringify(a)).join(', ')}}`));
  }
  if (def.kind === 'CustomResourceDefinition') errs.push(...validateCrd(o));
  if (def.crd?.schema) errs.push(...validateSchema(o as unknown as JsonMap, def.crd.schema));
  else errs.push(...validateBuiltin(def, o, old));
  if (errs.length) throw invalid(def.kind, def.group, md.name ?? md.generateName ?? '', errs);
}

export function stamp(core: Core, o: KObject): void {
  o.metadata.uid = core.uid();
  o.metadata.creationTimestamp = rfc3339(core.now());
  delete o.metadata.deletionTimestamp;
  delete o.metadata.deletionGracePeriodSeconds;
  delete o.metadata.resourceVersion;
  delete o.metadata.selfLink;
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;
