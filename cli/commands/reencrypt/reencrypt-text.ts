// Re-seals every SealedSecret in one YAML or JSON text through a rotate function (the controller's
// /v1/rotate) and edits only the changed ciphertexts and cloak.dev/ key-hint annotations in place.
import { inputError } from '../../../src/errors.js';
import type { SealedSecretJson } from '../../../src/kube/index.js';
import { readDocuments } from '../../../src/manifests/index.js';
import { MAX_NESTING } from '../../../src/manifests/documents.js';
import { deleteBlockMapEntry, parseYamlStream, printYamlStream, scalarAt, setScalar } from './yaml-cst.js';

export type Rotate = (ss: SealedSecretJson, where: string) => Promise<SealedSecretJson>;

export interface ReencryptResult {
  text: string;
  /** SealedSecret documents re-sealed. */
  sealedSecrets: number;
  /** Items (spec.encryptedData entries) whose ciphertext changed. */
  items: number;
  /** Documents that are not SealedSecrets (left as they are). */
  skipped: number;
}

const hintPrefix = 'cloak.dev/';

export function isSealedSecret(o: Record<string, unknown>): boolean {
  return o.kind === 'SealedSecret' && typeof o.apiVersion === 'string' && o.apiVersion.startsWith('bitnami.com/');
}

const tooDeep = (where: string) => inputError('TooDeep', `nesting deeper than ${MAX_NESTING} levels`, {
  subject: where, hint: 'a SealedSecret is a few levels deep: check the file is the manifest you meant',
});

export async function reencryptText(text: string, source: string, rotate: Rotate): Promise<ReencryptResult> {
  const t = text.trimStart();
  return (t.startsWith('{') && !t.startsWith('{{')) || t.startsWith('[') ? reencryptJson(text, source, rotate) : reencryptYaml(text, source, rotate);
}

async function reencryptYaml(text: string, source: string, rotate: Rotate): Promise<ReencryptResult> {
  const stream = parseYamlStream(text);
  const many = stream.docs.length > 1;
  const jobs: Array<{ i: number; where: string; old: SealedSecretJson }> = [];
  stream.docs.forEach((doc, i) => {
    const where = many ? `${source} (document ${i + 1})` : source;
    const err = doc.errors[0];
    if (err && /call stack/i.test(err.message)) throw tooDeep(where);
    if (err) {
      const line = err.linePos?.[0]?.line;
      throw inputError('MalformedYAML', `malformed YAML${line ? ` at line ${line}` : ''}: ${err.message.split('\n')[0]}`, { subject: where, hint: 'fix the YAML syntax' });
    }
    let obj: unknown;
    try {
      obj = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      if (e instanceof RangeError) throw tooDeep(where);
      throw e;
    }
    if (obj && typeof obj === 'object' && !Array.isArray(obj) && isSealedSecret(obj as Record<string, unknown>)) {
      jobs.push({ i, where, old: obj as SealedSecretJson });
    }
  });
  const answers = await mapLimited(jobs, 2, (j) => rotate(j.old, j.where));
  let changed = 0;
  jobs.forEach((j, n) => {
    const doc = stream.docs[j.i]!;
    const { items, hints } = diff(j.old, answers[n]!, j.where);
    changed += items.length;
    for (const [key, value] of items) {
      const node = scalarAt(doc, ['spec', 'encryptedData', key]);
      if (!node) throw inputError('UnsupportedYaml', `spec.encryptedData.${key} is not a plain value (alias or collection)`, { subject: j.where });
      setScalar(node, value);
    }
    for (const [key, value] of hints) {
      const path = ['metadata', 'annotations'];
      if (value !== undefined) setScalar(scalarAt(doc, [...path, key])!, value);
      else if (!deleteBlockMapEntry(doc, path, key)) setScalar(scalarAt(doc, [...path, key])!, '');
    }
  });
  const empty = stream.docs.filter((d) => d.contents === null).length;
  return { text: printYamlStream(stream), sealedSecrets: jobs.length, items: changed, skipped: stream.docs.length - empty - jobs.length };
}

/** JSON (kubeseal's default output): ciphertexts are unique random strings, so each is replaced where it stands. */
async function reencryptJson(text: string, source: string, rotate: Rotate): Promise<ReencryptResult> {
  const all = readDocuments(text, source);
  const docs = all.filter((d) => isSealedSecret(d.object));
  const answers = await mapLimited(docs, 2, (d) => rotate(d.object as SealedSecretJson, d.where));
  let out = text;
  let changed = 0;
  docs.forEach((d, n) => {
    const { items, hints } = diff(d.object as SealedSecretJson, answers[n]!, d.where);
    changed += items.length;
    const oldItems = encryptedData(d.object as SealedSecretJson);
    for (const [key, value] of items) {
      const needle = JSON.stringify(oldItems[key]);
      const at = out.indexOf(needle);
      if (at < 0 || out.indexOf(needle, at + 1) >= 0) {
        throw inputError('UnsupportedJson', `cannot locate the ciphertext of item "${key}" exactly once in the file`, { subject: d.where, hint: 'convert the file to YAML, or re-seal it' });
      }
      out = out.slice(0, at) + JSON.stringify(value) + out.slice(at + needle.length);
    }
    const oldAnn = annotations(d.object as SealedSecretJson);
    for (const [key, value] of hints) {
      const pattern = new RegExp(`(${escapeRe(JSON.stringify(key))}\\s*:\\s*)${escapeRe(JSON.stringify(oldAnn[key]))}`);
      out = out.replace(pattern, (_m, head: string) => head + JSON.stringify(value ?? ''));
    }
  });
  return { text: out, sealedSecrets: docs.length, items: changed, skipped: all.length - docs.length };
}

/** Changed items and hint annotations (undefined = the controller dropped the hint). */
function diff(old: SealedSecretJson, answer: SealedSecretJson, where: string) {
  const before = encryptedData(old);
  const after = encryptedData(answer);
  const missing = Object.keys(before).filter((k) => !(k in after));
  const added = Object.keys(after).filter((k) => !(k in before));
  if (missing.length > 0 || added.length > 0) {
    throw inputError('ItemsChanged', `the controller's re-sealed copy has different items (${[...missing.map((k) => `-${k}`), ...added.map((k) => `+${k}`)].join(', ')})`, {
      subject: where,
      hint: 'Bitnami\'s controller flattens spec.template.data on rotate; re-encrypt this file with a Cloak controller or re-seal it from the Secret',
    });
  }
  const items = Object.keys(before).filter((k) => before[k] !== after[k]).map((k) => [k, String(after[k])] as const);
  const oldAnn = annotations(old);
  const newAnn = annotations(answer);
  const hints = Object.keys(oldAnn)
    .filter((k) => k.startsWith(hintPrefix) && oldAnn[k] !== newAnn[k])
    .map((k) => [k, newAnn[k]] as const);
  return { items, hints };
}

function encryptedData(ss: SealedSecretJson): Record<string, string> {
  const spec = ss.spec as { encryptedData?: Record<string, string> } | undefined;
  return spec?.encryptedData ?? {};
}

function annotations(ss: SealedSecretJson): Record<string, string> {
  return ((ss.metadata as { annotations?: Record<string, string> } | undefined)?.annotations) ?? {};
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Runs fn over items with at most `limit` in flight; rejects with the first failure (in input order). */
export async function mapLimited<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  const errors: unknown[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i]!);
      } catch (e) {
        errors[i] = e ?? new Error('failed');
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  const first = errors.find((e) => e !== undefined);
  if (first !== undefined) throw first;
  return results;
}
