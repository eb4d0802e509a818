// get and list, with label and field selectors.
import type { KObject, ResourceDef } from '../types.js';
import { gv } from '../types.js';
import { notFound } from '../status.js';
import type { FieldSelector, LabelSelector } from '../selectors.js';
import { matchFields, matchLabels } from '../selectors.js';
import type { Core } from './context.js';
import { keyOf, present } from './context.js';

export function getObject(core: Core, def: ResourceDef, ns: string | undefined, name: string): KObject {
  const o = core.store.peek(keyOf(def), ns, name); // present() copies it
  if (!o) throw notFound(def, name);
  return present(def, o as KObject);
}

export function matches(o: KObject, labels: LabelSelector, fields: FieldSelector): boolean {
  return matchLabels(labels, o.metadata.labels) && matchFields(fields, o);
}

export interface Paging { limit?: number; continue?: string }

export function listObjects(core: Core, def: ResourceDef, ns: string | undefined, labels: LabelSelector, fields: FieldSelector, paging: Paging = {}) {
  if (paging.continue) {
    const snap = core.pager.resume(paging.continue, core.store.oldestWatchable);
    const page = core.pager.page(snap.items, snap.rv, paging.limit ?? 0);
    return { kind: def.listKind, apiVersion: gv(def), metadata: meta(snap.rv, page), items: page.items };
  }
  const rv = String(core.store.resourceVersion);
  const items = core.store.list(keyOf(def), def.namespaced ? ns : undefined).filter((o) => matches(o, labels, fields)).map((o) => {
    const p = present(def, o);
    if (def.custom) return p;
    const { apiVersion: _a, kind: _k, ...rest } = p;
    return rest;
  });
  const page = core.pager.page(items, rv, paging.limit ?? 0);
  return { kind: def.listKind, apiVersion: gv(def), metadata: meta(rv, page), items: page.items };
}

const meta = (rv: string, p: { continue?: string; remainingItemCount?: number }) => ({ resourceVersion: rv, ...(p.continue ? { continue: p.continue, remainingItemCount: p.remainingItemCount } : {}) });
