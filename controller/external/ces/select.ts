// Which namespaces a ClusterExternalSecret targets (ESO esutils.GetTargetNamespaces): every existing
// namespace named in spec.namespaces, or matched by the deprecated spec.namespaceSelector or by any of
// spec.namespaceSelectors (OR'ed). An empty selector matches every namespace; nothing set, none.
import { selectorMatches } from '../../../src/external/store.js';
import type { ClusterExternalSecretObject, LabelSelector, NamespaceObject } from './types.js';

/** The label the API server puts on every namespace (immutable, equal to its name). */
export const LABEL_NAMESPACE_NAME = 'kubernetes.io/metadata.name';

const OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

/** spec.namespaceSelector then spec.namespaceSelectors, each with the field path it came from. */
export function cesSelectors(ces: ClusterExternalSecretObject): Array<{ path: string; selector: LabelSelector }> {
  const out: Array<{ path: string; selector: LabelSelector }> = [];
  if (ces.spec.namespaceSelector) out.push({ path: 'spec.namespaceSelector', selector: ces.spec.namespaceSelector });
  (ces.spec.namespaceSelectors ?? []).forEach((selector, i) => { if (selector) out.push({ path: `spec.namespaceSelectors[${i}]`, selector }); });
  return out;
}

/** metav1.LabelSelectorAsSelector's checks; the one-line reason a selector cannot be used, if any. */
export function selectorError(s: LabelSelector): string | undefined {
  for (const e of s.matchExpressions ?? []) {
    if (!OPERATORS.has(e.operator)) return `${JSON.stringify(e.operator)} is not a valid label selector operator`;
    const n = e.values?.length ?? 0;
    if ((e.operator === 'In' || e.operator === 'NotIn') && n === 0) return `key ${JSON.stringify(e.key)}: for 'In', 'NotIn' operators, values set can't be empty`;
    if ((e.operator === 'Exists' || e.operator === 'DoesNotExist') && n > 0) return `key ${JSON.stringify(e.key)}: values set must be empty for 'Exists', 'DoesNotExist'`;
  }
  return undefined;
}

export function namespaceLabels(ns: NamespaceObject): Record<string, string> {
  return { ...(ns.metadata.labels ?? {}), [LABEL_NAMESPACE_NAME]: ns.metadata.name };
}

/** Whether `ns` is a target (invalid selectors never match). */
export function selects(ces: ClusterExternalSecretObject, ns: NamespaceObject): boolean {
  if ((ces.spec.namespaces ?? []).includes(ns.metadata.name)) return true;
  const labels = namespaceLabels(ns);
  return cesSelectors(ces).some(({ selector }) => selectorError(selector) === undefined && selectorMatches(selector, labels));
}

/** The target namespaces among `all`, sorted by name; throws naming the first unusable selector. */
export function targetNamespaces(ces: ClusterExternalSecretObject, all: readonly NamespaceObject[]): NamespaceObject[] {
  for (const { path, selector } of cesSelectors(ces)) {
    const err = selectorError(selector);
    if (err) throw new Error(`failed to convert label selector ${path}: ${err}`);
  }
  return all.filter((ns) => selects(ces, ns)).sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
}

/** A namespace being deleted gets no ExternalSecret (and is neither provisioned nor failed), as in ESO. */
export function isTerminating(ns: NamespaceObject): boolean {
  return ns.metadata.deletionTimestamp !== undefined || ns.status?.phase === 'Terminating';
}
