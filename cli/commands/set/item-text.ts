// `cloak unset`: removes one item from the SealedSecret in a file, in place. YAML is edited through
// its CST so every other byte stays; JSON (no comments to keep) is written back in kubeseal's layout.
import { inputError } from '../../../src/errors.js';
import { ANNOTATION_SEALING_KEYS } from '../../../src/sealed/index.js';
import { isSealedSecret } from '../reencrypt/reencrypt-text.js';
import { deleteBlockMapEntry, parseYamlStream, printYamlStream, scalarAt, setScalar } from '../reencrypt/yaml-cst.js';

export function unsetItem(text: string, source: string, key: string): string {
  const t = text.trimStart();
  if (t.startsWith('{')) return unsetJson(text, source, key);
  const stream = parseYamlStream(text);
  const found: number[] = [];
  stream.docs.forEach((doc, i) => {
    const err = doc.errors[0];
    if (err) throw inputError('MalformedYAML', `malformed YAML: ${err.message.split('\n')[0]}`, { subject: source, hint: 'fix the YAML syntax' });
    const o = doc.toJS({ maxAliasCount: 100 }) as unknown;
    if (o && typeof o === 'object' && !Array.isArray(o) && isSealedSecret(o as Record<string, unknown>)) found.push(i);
  });
  const doc = stream.docs[one(found, source)]!;
  const obj = doc.toJS({ maxAliasCount: 100 }) as { metadata?: { annotations?: Record<string, string> }; spec?: { encryptedData?: Record<string, unknown> } };
  checkItem(obj.spec?.encryptedData, source, key);
  if (!deleteBlockMapEntry(doc, ['spec', 'encryptedData'], key)) {
    throw inputError('UnsupportedYaml', 'spec.encryptedData is a flow mapping ({…}) or the item is not a plain value', { subject: `${source} item "${key}"`, hint: 'write spec.encryptedData as a block mapping (one item per line)' });
  }
  const perItem = perItemHints(obj.metadata?.annotations?.[ANNOTATION_SEALING_KEYS]);
  if (perItem && key in perItem) {
    delete perItem[key];
    const node = scalarAt(doc, ['metadata', 'annotations', ANNOTATION_SEALING_KEYS]);
    if (node) setScalar(node, JSON.stringify(perItem));
  }
  return printYamlStream(stream);
}

function unsetJson(text: string, source: string, key: string): string {
  let o: { metadata?: { annotations?: Record<string, string> }; spec?: { encryptedData?: Record<string, unknown> } } & Record<string, unknown>;
  try {
    o = JSON.parse(text) as typeof o;
  } catch (e) {
    throw inputError('MalformedJSON', `malformed JSON: ${(e as Error).message.split('\n')[0]}`, { subject: source });
  }
  if (!isSealedSecret(o)) one([], source);
  checkItem(o.spec?.encryptedData, source, key);
  delete o.spec!.encryptedData![key];
  const ann = o.metadata?.annotations;
  const perItem = perItemHints(ann?.[ANNOTATION_SEALING_KEYS]);
  if (ann && perItem && key in perItem) {
    delete perItem[key];
    ann[ANNOTATION_SEALING_KEYS] = JSON.stringify(perItem);
  }
  return `${JSON.stringify(o, null, 2)}\n`;
}

function one(found: number[], source: string): number {
  if (found.length === 0) throw inputError('NoSealedSecrets', 'no SealedSecret documents in this file', { subject: source, hint: 'pass a file written by `cloak seal` or kubeseal' });
  if (found.length > 1) throw inputError('ManySealedSecrets', `${found.length} SealedSecret documents in this file; set and unset edit a file with exactly one`, { subject: source, hint: 'split the file, one SealedSecret per file' });
  return found[0]!;
}

function checkItem(items: Record<string, unknown> | undefined, source: string, key: string): void {
  const names = Object.keys(items ?? {});
  if (!names.includes(key)) {
    throw inputError('NoSuchItem', `no item "${key}" in spec.encryptedData${names.length ? ` (items: ${names.sort().join(', ')})` : ''}`, { subject: source, hint: 'check the item name' });
  }
  if (names.length === 1) {
    throw inputError('LastItem', `"${key}" is the only item; a SealedSecret without items unseals to an empty Secret`, { subject: source, hint: 'delete the file instead, or `cloak set` another item first' });
  }
}

function perItemHints(raw: string | undefined): Record<string, string> | undefined {
  if (!raw) return undefined;
  try {
    const m = JSON.parse(raw) as unknown;
    return m && typeof m === 'object' && !Array.isArray(m) ? (m as Record<string, string>) : undefined;
  } catch {
    return undefined;
  }
}
