// kustomize `secretGenerator` entries with `literals: [KEY=VALUE]` put the value in the kustomization file.
import type { Rule } from '../types.js';
import { isTemplated } from '../helm.js';

const KUSTOMIZATION = /^kustomization\.ya?ml$|^Kustomization$/;

export const kustomizeSecretLiteral: Rule = {
  id: 'kustomize-secret-literal',
  severity: 'error',
  description: 'a kustomize secretGenerator has literal values in the kustomization file',
  check(doc) {
    const o = doc.value;
    const isKustomization = o.kind === 'Kustomization' || KUSTOMIZATION.test(doc.baseName);
    if (!isKustomization || !Array.isArray(o.secretGenerator)) return [];
    const out = [];
    for (const [i, gen] of (o.secretGenerator as unknown[]).entries()) {
      if (typeof gen !== 'object' || gen === null) continue;
      const g = gen as Record<string, unknown>;
      const name = typeof g.name === 'string' ? g.name : `#${i + 1}`;
      if (!Array.isArray(g.literals)) continue;
      for (const [j, lit] of (g.literals as unknown[]).entries()) {
        if (typeof lit !== 'string' || isTemplated(lit)) continue;
        const eq = lit.indexOf('=');
        const key = eq > 0 ? lit.slice(0, eq) : '(no key)';
        out.push({ ...doc.at(['secretGenerator', i, 'literals', j]), message: `secretGenerator ${name} has a literal value for key ${key}: seal the Secret with \`cloak seal\` instead of generating it from literals` });
      }
    }
    return out;
  },
};
