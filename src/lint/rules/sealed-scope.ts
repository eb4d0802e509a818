// A SealedSecret's scope annotations must agree with its metadata: strict binds namespace and name,
// namespace-wide the namespace (Bitnami's EncryptionLabel). A SealedSecret without the namespace it
// was sealed for lands in whatever namespace `kubectl apply` picks and cannot be decrypted there.
import { ANNOTATION_CLUSTER_WIDE, ANNOTATION_NAMESPACE_WIDE, scopeFromAnnotations } from '../../sealed/scope.js';
import type { Rule } from '../types.js';
import { describeObject, metadataOf } from './object-name.js';

type Out = ReturnType<Rule['check']>;

export const sealedScope: Rule = {
  id: 'sealed-scope',
  severity: 'error',
  description: "a SealedSecret's scope annotations do not match its metadata",
  check(doc) {
    const o = doc.value;
    if (o.kind !== 'SealedSecret') return [];
    const meta = metadataOf(o);
    const ann = (typeof meta.annotations === 'object' && meta.annotations !== null ? meta.annotations : {}) as Record<string, unknown>;
    const what = describeObject(o);
    const out: Out = [];
    for (const a of [ANNOTATION_CLUSTER_WIDE, ANNOTATION_NAMESPACE_WIDE]) {
      const v = ann[a];
      if (v !== undefined && v !== 'true' && v !== 'false' && !doc.templated(v)) {
        out.push({ ...doc.at(['metadata', 'annotations', a]), message: `${what}: annotation ${a} is neither "true" nor "false" (only the string "true" selects the scope; quote it)` });
      }
    }
    if (ann[ANNOTATION_CLUSTER_WIDE] === 'true' && ann[ANNOTATION_NAMESPACE_WIDE] === 'true') {
      out.push({ ...doc.at(['metadata', 'annotations', ANNOTATION_NAMESPACE_WIDE]), message: `${what}: both cluster-wide and namespace-wide are "true"; cluster-wide wins: remove one` });
    }
    const scope = scopeFromAnnotations(ann);
    const hasNs = typeof meta.namespace === 'string' && meta.namespace !== '';
    const hasName = typeof meta.name === 'string' && meta.name !== '';
    if (scope !== 'cluster-wide' && !hasNs) {
      out.push({ ...doc.at(['metadata']), message: `${what}: ${scope} scope binds the namespace but metadata.namespace is not set, so it decrypts only if applied to the namespace it was sealed for: set metadata.namespace` });
    }
    if (scope === 'strict' && !hasName) {
      out.push({ ...doc.at(['metadata']), message: `${what}: strict scope binds the name but metadata.name is not set: set metadata.name, or seal with --scope namespace-wide` });
    }
    const spec = (typeof o.spec === 'object' && o.spec !== null ? o.spec : {}) as Record<string, unknown>;
    const tmpl = (spec.template as { metadata?: Record<string, unknown> } | undefined)?.metadata;
    if (tmpl && typeof tmpl === 'object') {
      const tAnn = (typeof tmpl.annotations === 'object' && tmpl.annotations !== null ? tmpl.annotations : {}) as Record<string, unknown>;
      const tScope = scopeFromAnnotations(tAnn);
      if (tScope !== scope) {
        out.push({ ...doc.at(['spec', 'template', 'metadata', 'annotations']), message: `${what}: spec.template.metadata says ${tScope} but metadata.annotations say ${scope} (the controller decrypts with the top-level scope): make them agree` });
      }
      for (const f of ['namespace', 'name'] as const) {
        if (typeof tmpl[f] === 'string' && tmpl[f] !== '' && typeof meta[f] === 'string' && tmpl[f] !== meta[f]) {
          out.push({ ...doc.at(['spec', 'template', 'metadata', f]), message: `${what}: spec.template.metadata.${f} differs from metadata.${f} (the controller uses metadata.${f}): make them agree` });
        }
      }
    }
    return out;
  },
};
