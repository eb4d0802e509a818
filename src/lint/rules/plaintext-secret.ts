// A `kind: Secret` with values in data or stringData is plaintext in Git (base64 is not encryption).
import type { Rule } from '../types.js';
import { isTemplated } from '../helm.js';
import { describeObject } from './object-name.js';

export const plaintextSecret: Rule = {
  id: 'plaintext-secret',
  severity: 'error',
  description: 'a Kubernetes Secret with values in data or stringData is committed in plaintext',
  check(doc) {
    const o = doc.value;
    if (o.kind !== 'Secret' || (o.apiVersion !== undefined && o.apiVersion !== 'v1')) return [];
    const out = [];
    for (const field of ['data', 'stringData'] as const) {
      const m = o[field];
      if (typeof m !== 'object' || m === null || Array.isArray(m)) continue;
      // Values a Helm action fills in at render time are not in the file.
      const keys = Object.entries(m).filter(([, v]) => v !== null && v !== '' && !isTemplated(v)).map(([k]) => k).sort();
      if (keys.length === 0) continue;
      const pos = doc.at([field]);
      out.push({ ...pos, message: `${describeObject(o)} has plaintext ${field} (${keys.length === 1 ? 'key' : 'keys'} ${keys.join(', ')}): seal it with \`cloak seal\` and commit the SealedSecret instead` });
    }
    return out;
  },
};
