// Turns a CustomResourceDefinition object into the resource definitions it serves, and checks it.
import type { CrdVersion, JsonMap, KObject, ResourceDef } from '../types.js';
import { isMap } from '../types.js';
import type { FieldError } from '../status.js';
import { fieldErr } from '../status.js';

interface CrdSpec {
  group?: string;
  scope?: string;
  names?: { plural?: string; singular?: string; kind?: string; listKind?: string; shortNames?: string[]; categories?: string[] };
  versions?: Array<{ name?: string; served?: boolean; storage?: boolean; schema?: { openAPIV3Schema?: JsonMap }; subresources?: { status?: JsonMap; scale?: JsonMap }; additionalPrinterColumns?: unknown[]; selectableFields?: Array<{ jsonPath?: string }> }>;
}

export function crdSpec(crd: KObject): CrdSpec { return (crd['spec'] ?? {}) as CrdSpec; }

export function validateCrd(crd: KObject): FieldError[] {
  const s = crdSpec(crd);
  const errs: FieldError[] = [];
  const n = s.names ?? {};
  if (!s.group) errs.push(fieldErr.required('spec.group'));
  if (!n.plural) errs.push(fieldErr.required('spec.names.plural'));
  if (!n.kind) errs.push(fieldErr.required('spec.names.kind'));
  if (s.scope !== 'Namespaced' && s.scope !== 'Cluster') errs.push(fieldErr.notSupported('spec.scope', s.scope ?? '', ['Cluster', 'Namespaced']));
  if (s.group && n.plural && crd.metadata.name !== `${n.plural}.${s.group}`) errs.push(fieldErr.invalid('metadata.name', crd.metadata.name, 'must be spec.names.plural+"."+spec.group'));
  const vs = s.versions ?? [];
  if (!vs.length) errs.push(fieldErr.invalid('spec.versions', vs, 'must have exactly one version marked as storage version'));
  else if (vs.filter((v) => v.storage).length !== 1) errs.push(fieldErr.invalid('spec.versions', vs, 'must have exactly one version marked as storage version'));
  vs.forEach((v, i) => {
    if (!v.name) errs.push(fieldErr.required(`spec.versions[${i}].name`));
    if (!isMap(v.schema?.openAPIV3Schema)) errs.push(fieldErr.required(`spec.versions[${i}].schema.openAPIV3Schema`, 'schemas are required'));
  });
  return errs;
}

export function crdResourceDefs(crd: KObject): ResourceDef[] {
  const s = crdSpec(crd);
  const n = s.names ?? {};
  const kind = n.kind ?? '';
  return (s.versions ?? []).filter((v) => v.served !== false).map((v) => {
    const status = isMap(v.subresources?.status);
    const scale = isMap(v.subresources?.scale);
    return {
      group: s.group ?? '',
      version: v.name ?? '',
      resource: n.plural ?? '',
      kind,
      listKind: n.listKind ?? kind + 'List',
      singular: n.singular ?? kind.toLowerCase(),
      namespaced: s.scope !== 'Cluster',
      shortNames: n.shortNames ?? [],
      categories: n.categories ?? [],
      verbs: ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'],
      subresources: status ? ['status'] : [],
      custom: true,
      generation: true,
      statusSubresource: status,
      fieldLabels: [],
      crd: {
        name: v.name ?? '', served: v.served !== false, storage: v.storage === true, status,
        ...(isMap(v.schema?.openAPIV3Schema) ? { schema: v.schema.openAPIV3Schema } : {}),
        ...(scale ? { scale: v.subresources!.scale! } : {}),
        ...(Array.isArray(v.additionalPrinterColumns) && v.additionalPrinterColumns.length ? { printerColumns: v.additionalPrinterColumns as CrdVersion['printerColumns'] } : {}),
        selectableFields: (v.selectableFields ?? []).map((f) => (f.jsonPath ?? '').replace(/^\./, '')).filter(Boolean),
      },
    } satisfies ResourceDef;
  });
}
