// Keeps the served resources in step with stored CRDs, and marks new CRDs Established as the
// apiextensions controllers do.
import type { KObject } from '../types.js';
import { clone } from '../types.js';
import { crdResourceDefs, crdSpec } from '../crd/defs.js';
import type { Core } from './context.js';
import { rfc3339 } from './context.js';

const KEY = 'apiextensions.k8s.io/customresourcedefinitions';

export function syncCrd(core: Core, name: string): void {
  const crd = core.store.get(KEY, undefined, name);
  if (!crd || crd.metadata.deletionTimestamp) { core.registry.removeCustom(name); return; }
  core.registry.setCustom(name, crdResourceDefs(crd));
  const want = establishedStatus(core, crd);
  if (JSON.stringify(want) !== JSON.stringify(crd['status'])) {
    const next = clone(crd);
    next['status'] = want;
    core.store.put(KEY, next, 'MODIFIED');
  }
}

function establishedStatus(core: Core, crd: KObject) {
  const s = crdSpec(crd);
  const old = (crd['status'] ?? {}) as { conditions?: Array<{ type: string; lastTransitionTime?: string }>; storedVersions?: string[] };
  const time = (type: string) => old.conditions?.find((c) => c.type === type)?.lastTransitionTime ?? rfc3339(core.now());
  const storage = (s.versions ?? []).find((v) => v.storage)?.name;
  const stored = [...(old.storedVersions ?? [])];
  if (storage && !stored.includes(storage)) stored.push(storage);
  return {
    acceptedNames: { ...s.names, singular: s.names?.singular ?? (s.names?.kind ?? '').toLowerCase(), listKind: s.names?.listKind ?? `${s.names?.kind}List` },
    conditions: [
      { type: 'NamesAccepted', status: 'True', lastTransitionTime: time('NamesAccepted'), reason: 'NoConflicts', message: 'no conflicts found' },
      { type: 'Established', status: 'True', lastTransitionTime: time('Established'), reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' },
    ],
    storedVersions: stored,
  };
}
