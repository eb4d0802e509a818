// ExternalSecret, SecretStore, ClusterSecretStore, ClusterExternalSecret and SealedSecret documents
// are checked against the openAPIV3Schema in crds/: what the API server would reject on apply.
import type { Rule } from '../types.js';
import { validateObject } from '../structural-schema.js';
import { describeObject, metadataOf } from './object-name.js';

export const crdSchema: Rule = {
  id: 'crd-schema',
  severity: 'error',
  description: 'the document would be rejected by the CRD schema (unknown field, wrong type, missing field)',
  check(doc, ctx) {
    const o = doc.value;
    if (typeof o.kind !== 'string' || typeof o.apiVersion !== 'string') return [];
    const schema = ctx.schemaFor(o.apiVersion, o.kind);
    if (schema === undefined) return [];
    const what = describeObject(o);
    if (schema === 'unknown-version') {
      return [{ ...doc.at(['apiVersion']), message: `${what}: apiVersion is not served by the ${o.kind} CRD: check the version` }];
    }
    const out = [];
    const meta = metadataOf(o);
    if (!doc.helm && !(typeof meta.name === 'string' && meta.name) && !(typeof meta.generateName === 'string' && meta.generateName)) {
      out.push({ ...doc.at(['metadata']), message: `${what}: metadata.name: required field is missing` });
    }
    for (const e of validateObject(o, schema, { skip: (v) => doc.templated(v), ignoreRequired: doc.helm })) out.push({ ...doc.at(e.path), message: `${what}: ${e.message}` });
    return out;
  },
};
