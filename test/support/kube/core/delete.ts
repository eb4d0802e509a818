// DELETE: preconditions, finalizers and deletionTimestamp, propagation finalizers, namespace lifecycle.
import type { KObject, ResourceDef } from '../types.js';
import { clone, isMap } from '../types.js';
import { ApiError, conflict, forbidden, notFound } from '../status.js';
import type { Core, WriteOptions } from './context.js';
import { keyOf, present, rfc3339 } from './context.js';

export interface DeleteOptions {
  propagationPolicy?: string;
  preconditions?: { uid?: string; resourceVersion?: string };
  gracePeriodSeconds?: number;
}

const PROTECTED_NS = ['default', 'kube-system', 'kube-public'];

export type DeleteResult = { kind: 'object'; obj: KObject } | { kind: 'status'; obj: KObject };

export function deleteObject(core: Core, def: ResourceDef, ns: string | undefined, name: string, o: DeleteOptions, opts: WriteOptions): DeleteResult {
  const current = core.store.get(keyOf(def), ns, name);
  if (!current) throw notFound(def, name);
  const pre = o.preconditions ?? {};
  if (pre.uid && pre.uid !== current.metadata.uid) throw conflict(def, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid}`);
  if (pre.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) throw conflict(def, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`);
  if (def.kind === 'Namespace' && def.group === '') return deleteNamespace(core, def, current, opts);

  const next = clone(current);
  const fins = [...(next.metadata.finalizers ?? [])];
  const policy = o.propagationPolicy;
  if (policy && !['Background', 'Foreground', 'Orphan'].includes(policy)) throw new ApiError(422, 'Invalid', `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan", "nil"`);
  if (policy === 'Foreground' && !fins.includes('foregroundDeletion')) fins.push('foregroundDeletion');
  if (policy === 'Orphan' && !fins.includes('orphan')) fins.push('orphan');
  if (!fins.length) {
    if (opts.dryRun) return status(def, current);
    const last = finishDelete(core, def, current);
    return def.kind === 'Namespace' ? { kind: 'object', obj: present(def, last) } : status(def, last);
  }
  if (current.metadata.deletionTimestamp && fins.length === (current.metadata.finalizers ?? []).length) return { kind: 'object', obj: present(def, current) };
  next.metadata.finalizers = fins;
  next.metadata.deletionTimestamp ??= rfc3339(core.now());
  next.metadata.deletionGracePeriodSeconds ??= 0;
  if (opts.dryRun) return { kind: 'object', obj: present(def, next) };
  const stored = core.store.put(keyOf(def), next, 'MODIFIED');
  return { kind: 'object', obj: present(def, stored) };
}

function status(def: ResourceDef, o: KObject): DeleteResult {
  return { kind: 'status', obj: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: o.metadata.name, group: def.group, kind: def.resource, uid: o.metadata.uid } } as unknown as KObject };
}

function deleteNamespace(core: Core, def: ResourceDef, current: KObject, opts: WriteOptions): DeleteResult {
  const name = current.metadata.name!;
  if (PROTECTED_NS.includes(name)) throw forbidden(def, name, 'this namespace may not be deleted');
  if (current.metadata.deletionTimestamp) return { kind: 'object', obj: present(def, current) };
  const next = clone(current);
  next.metadata.deletionTimestamp = rfc3339(core.now());
  next['status'] = { ...(isMap(next['status']) ? next['status'] : {}), phase: 'Terminating' };
  if (!((next['spec'] as { finalizers?: string[] } | undefined)?.finalizers ?? []).length && !(next.metadata.finalizers ?? []).length) {
    if (opts.dryRun) return { kind: 'object', obj: present(def, next) };
    return { kind: 'object', obj: present(def, finishDelete(core, def, current)) };
  }
  if (opts.dryRun) return { kind: 'object', obj: present(def, next) };
  return { kind: 'object', obj: present(def, core.store.put(keyOf(def), next, 'MODIFIED')) };
}

/** Removes the object for good; a CRD takes its custom resources with it. */
export function finishDelete(core: Core, def: ResourceDef, o: KObject): KObject {
  if (def.kind === 'CustomResourceDefinition') {
    const spec = (o['spec'] ?? {}) as { group?: string; names?: { plural?: string } };
    const key = `${spec.group ?? ''}/${spec.names?.plural ?? ''}`;
    for (const cr of core.store.list(key)) core.store.remove(key, cr.metadata.namespace, cr.metadata.name!);
  }
  const last = core.store.remove(keyOf(def), o.metadata.namespace, o.metadata.name!) ?? o;
  if (def.kind === 'CustomResourceDefinition') core.crdChanged(o.metadata.name!);
  return last;
}
