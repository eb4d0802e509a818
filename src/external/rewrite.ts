// dataFrom[].rewrite: regexp (Go ReplaceAllString on every key) and transform (a template with
// `.value` = the key), applied in order to the keys of one dataFrom result.
import { CloakError, inputError, isCloakError } from '../errors.js';
import type { Rewrite } from '../manifests/external-types.js';
import { compileGoRegexp, goReplaceAll } from '../providers/shared/go-regexp.js';
import { compareUtf8 } from '../providers/shared/go-json.js';
import { byteValue, marshalNoEscape } from '../providers/shared/property.js';
import type { SecretMap } from '../providers/types.js';
import { renderText, type Render } from './render.js';

export async function rewriteMap(ops: Rewrite[], input: SecretMap, render: Render, subject: string): Promise<SecretMap> {
  let out = input;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    const where = `${subject}.rewrite[${i}]`;
    try {
      if (op.merge) {
        out = rewriteMerge(op.merge as MergeOp, out, where);
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
    out[await renderText(render, template, { value: k }, `${subject}.transform`)] = v;
  }
  return out;
}

export interface MergeOp {
  into?: string;
  priority?: string[];
  priorityPolicy?: 'Strict' | 'IgnoreNotFound';
  conflictPolicy?: 'Error' | 'Ignore';
  strategy?: 'Extract' | 'JSON';
}

/**
 * ESO RewriteMerge: every value is a JSON object; they are merged in key order (sorted, then the
 * `priority` keys last, in their order, so they win). `Extract` makes each merged field a key;
 * `JSON` keeps the input and writes the merged object to `into`.
 */
export function rewriteMerge(op: MergeOp, input: SecretMap, subject: string): SecretMap {
  const priority = op.priority ?? [];
  const keys = [...Object.keys(input).filter((k) => !priority.includes(k)).sort(compareUtf8), ...priority];
  const merged: Record<string, unknown> = Object.create(null);
  const conflicts: string[] = [];
  for (const key of keys) {
    if (!Object.hasOwn(input, key)) {
      if (op.priorityPolicy === 'IgnoreNotFound') continue;
      throw inputError('RewriteMergeFailed', `merge failed with key ${JSON.stringify(key)} not found in input map`, {
        subject, hint: 'fix merge.priority or set priorityPolicy: IgnoreNotFound',
      });
    }
    let obj: unknown;
    try {
      obj = JSON.parse(Buffer.from(input[key]!).toString('utf8'));
    } catch {
      obj = undefined;
    }
    if (obj !== null && (typeof obj !== 'object' || Array.isArray(obj))) {
      throw inputError('RewriteMergeFailed', `merge failed: the value of key ${JSON.stringify(key)} is not a JSON object`, {
        subject, hint: 'merge needs JSON object values',
      });
    }
    for (const [k, v] of Object.entries((obj ?? {}) as Record<string, unknown>)) {
      if (Object.hasOwn(merged, k)) conflicts.push(k);
      merged[k] = v;
    }
  }
  if (op.conflictPolicy !== 'Ignore' && conflicts.length > 0) {
    throw inputError('RewriteMergeConflict', `merge failed with conflicts: ${conflicts.join(', ')}`, {
      subject, hint: 'set merge.conflictPolicy: Ignore or merge.priority',
    });
  }
  const out: SecretMap = Object.create(null);
  if (op.strategy === 'JSON') {
    if (!op.into) throw inputError('RewriteMergeFailed', "merge failed with missing 'into' field", { subject, hint: 'set merge.into' });
    Object.assign(out, input);
    out[op.into] = new TextEncoder().encode(marshalNoEscape(merged));
    return out;
  }
  for (const [k, v] of Object.entries(merged)) out[k] = byteValue(v);
  return out;
}
