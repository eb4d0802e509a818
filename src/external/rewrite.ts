// dataFrom[].rewrite: regexp (Go ReplaceAllString on every key) and transform (a template with
// `.value` = the key), applied in order to the keys of one dataFrom result.
import { CloakError, inputError, isCloakError } from '../errors.js';
import type { Rewrite } from '../manifests/external-types.js';
import { compileGoRegexp, goReplaceAll } from '../providers/shared/go-regexp.js';
import type { SecretMap } from '../providers/types.js';
import type { Render } from './render.js';

export async function rewriteMap(ops: Rewrite[], input: SecretMap, render: Render, subject: string): Promise<SecretMap> {
  let out = input;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    const where = `${subject}.rewrite[${i}]`;
    try {
      if (op.merge) {
        throw inputError('UnsupportedRewrite', 'rewrite.merge is not supported', { subject: where, hint: 'use regexp or transform' });
      } else if (op.regexp) {
        out = rewriteRegexp(op.regexp.source, op.regexp.target ?? '', out, where);
      } else if (op.transform) {
        out = await rewriteTransform(op.transform.template, out, render, where);
      }
    } catch (e) {
      if (isCloakError(e) && e.subject === where) throw e;
      const inner = isCloakError(e) ? (e.subject ? `${e.subject}: ${e.message}` : e.message) : String((e as Error).message ?? e);
      throw new CloakError(isCloakError(e) ? e.family : 'input', isCloakError(e) ? e.code : 'RewriteFailed',
        `failed rewriting: ${inner}`, { subject: where, cause: e, hint: isCloakError(e) ? e.hint : undefined });
    }
  }
  return out;
}

export function rewriteRegexp(source: string, target: string, input: SecretMap, subject: string): SecretMap {
  const re = compileGoRegexp(source, `${subject}.regexp.source`, true);
  const out: SecretMap = Object.create(null);
  for (const [k, v] of Object.entries(input)) out[goReplaceAll(re, k, target)] = v;
  return out;
}

async function rewriteTransform(template: string, input: SecretMap, render: Render, subject: string): Promise<SecretMap> {
  const out: SecretMap = Object.create(null);
  for (const [k, v] of Object.entries(input)) {
    out[await render(template, { value: k }, `${subject}.transform`)] = v;
  }
  return out;
}
