// What kube-controller-manager does that tests may want: the garbage collector (background deletion of
// dependents whose owners are gone; foreground and orphan finalizers) and the namespace controller
// (empties a terminating namespace, then removes it). Off by default, like a bare apiserver.
import type { KObject, ResourceDef } from './types.js';
import { clone } from './types.js';
import type { Core, WriteOptions } from './core/context.js';
import { keyOf } from './core/context.js';
import { deleteObject } from './core/delete.js';
import { update } from './core/write.js';
import { isApiError } from './core/admit.js';

const OPTS = (): WriteOptions => ({ dryRun: false, fieldValidation: 'Ignore', warnings: [] });

function defsByKey(core: Core): Map<string, ResourceDef> {
  const m = new Map<string, ResourceDef>();
  for (const d of core.registry.all()) if (!d.virtual && !m.has(keyOf(d))) m.set(keyOf(d), d);
  return m;
}

/** One pass; returns how many writes it made. Run until it returns 0 for a fixpoint. */
export function gcPass(core: Core): number {
  const defs = defsByKey(core);
  const all: Array<{ def: ResourceDef; obj: KObject }> = [];
  for (const [key, def] of defs) for (const obj of core.store.list(key)) all.push({ def, obj });
  const byUid = new Map(all.map((x) => [x.obj.metadata.uid, x]));
  let writes = 0;
  const attempt = (f: () => void): void => { try { f(); writes++; } catch (e) { if (!isApiError(e)) throw e; } };

  for (const { def, obj } of all) {
    const refs = obj.metadata.ownerReferences ?? [];
    if (!refs.length || obj.metadata.deletionTimestamp) continue;
    const alive = refs.filter((r) => {
      const o = byUid.get(r.uid);
      return o && o.obj.metadata.name === r.name && o.obj.kind === r.kind;
    });
    if (alive.length === 0) attempt(() => deleteObject(core, def, obj.metadata.namespace, obj.metadata.name!, { propagationPolicy: 'Background' }, OPTS()));
  }

  for (const { def, obj } of all) {
    if (!obj.metadata.deletionTimestamp) continue;
    const fins = obj.metadata.finalizers ?? [];
    const dependents = all.filter((x) => (x.obj.metadata.ownerReferences ?? []).some((r) => r.uid === obj.metadata.uid));
    if (fins.includes('orphan')) {
      for (const d of dependents) attempt(() => {
        const next = clone(d.obj);
        next.metadata.ownerReferences = (next.metadata.ownerReferences ?? []).filter((r) => r.uid !== obj.metadata.uid);
        if (!next.metadata.ownerReferences.length) delete next.metadata.ownerReferences;
        update(core, { def: d.def, ns: d.obj.metadata.namespace, name: d.obj.metadata.name!, body: next, sub: '', opts: OPTS() });
      });
      attempt(() => dropFinalizer(core, def, obj, 'orphan'));
    } else if (fins.includes('foregroundDeletion')) {
      for (const d of dependents) if (!d.obj.metadata.deletionTimestamp) attempt(() => deleteObject(core, d.def, d.obj.metadata.namespace, d.obj.metadata.name!, { propagationPolicy: 'Foreground' }, OPTS()));
      if (!dependents.length) attempt(() => dropFinalizer(core, def, obj, 'foregroundDeletion'));
    }
  }

  for (const { def, obj } of all) {
    if (def.kind !== 'Namespace' || (obj['status'] as { phase?: string } | undefined)?.phase !== 'Terminating') continue;
    const ns = obj.metadata.name!;
    const inside = all.filter((x) => x.def.namespaced && x.obj.metadata.namespace === ns);
    for (const x of inside) if (!x.obj.metadata.deletionTimestamp) attempt(() => deleteObject(core, x.def, ns, x.obj.metadata.name!, { propagationPolicy: 'Background' }, OPTS()));
    if (!inside.length && ((obj['spec'] as { finalizers?: string[] } | undefined)?.finalizers ?? []).length) attempt(() => {
      update(core, { def, ns: undefined, name: ns, body: { ...clone(obj), spec: { finalizers: [] } }, sub: 'finalize', opts: OPTS() });
    });
  }
  return writes;
}

function dropFinalizer(core: Core, def: ResourceDef, obj: KObject, f: string): void {
  const cur = core.store.get(keyOf(def), obj.metadata.namespace, obj.metadata.name!);
  if (!cur) return;
  cur.metadata.finalizers = (cur.metadata.finalizers ?? []).filter((x) => x !== f);
  update(core, { def, ns: obj.metadata.namespace, name: obj.metadata.name!, body: cur, sub: '', opts: OPTS() });
}

/** Runs passes until nothing changes (bounded, in case of a write loop). */
export function gcSettle(core: Core): void {
  for (let i = 0; i < 50 && gcPass(core) > 0; i++) { /* keep going */ }
}
