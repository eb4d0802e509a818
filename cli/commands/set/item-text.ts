// Adding, replacing or removing one item of the SealedSecret in a file's text. YAML is edited through
// its CST, so every other byte (comments, quoting, order, line ends) stays; JSON, which has no
// comments to keep, is written back in kubeseal's layout. Key hints (cloak.dev/sealing-key[s]) follow
// the change when the file has them; none are added to a file without them.
import { CST, isMap, isScalar, type Document } from 'yaml';
import { inputError } from '../../../src/errors.js';
import { ANNOTATION_SEALING_KEY, ANNOTATION_SEALING_KEYS } from '../../../src/sealed/index.js';
import { isSealedSecret } from '../reencrypt/reencrypt-text.js';
import { deleteBlockMapEntry, mapAt, parseYamlStream, printYamlStream, scalarAt, setScalar } from '../reencrypt/yaml-cst.js';

interface Shape { metadata?: { annotations?: Record<string, string> }; spec?: { encryptedData?: Record<string, unknown> } }

export interface SetResult { text: string; added: boolean }

export function setItem(text: string, source: string, key: string, ciphertext: string, fingerprint: string): SetResult {
  if (isJson(text)) {
    const o = readJson(text, source);
    const items = o.spec!.encryptedData!;
    const added = !(key in items);
    items[key] = ciphertext;
    const ann = o.metadata?.annotations;
    if (ann) Object.assign(ann, hintsAfterSet(ann, Object.keys(items), key, fingerprint));
    if (ann && ANNOTATION_SEALING_KEYS in ann) delete ann[ANNOTATION_SEALING_KEY];
    return { text: `${JSON.stringify(o, null, 2)}\n`, added };
  }
  const { stream, doc, obj } = readYaml(text, source);
  const items = obj.spec?.encryptedData;
  if (!items || typeof items !== 'object') throw inputError('InvalidManifest', 'spec.encryptedData is not a mapping of key to ciphertext', { subject: source });
  const added = !(key in items);
  if (added) appendEntry(doc, ['spec', 'encryptedData'], key, ciphertext, text.includes('\r\n') ? '\r\n' : '\n', source);
  else {
    const node = scalarAt(doc, ['spec', 'encryptedData', key]);
    if (!node) throw inputError('UnsupportedYaml', 'the item is not a plain value (alias or collection)', { subject: `${source} item "${key}"` });
    setScalar(node, ciphertext);
  }
  const ann = obj.metadata?.annotations ?? {};
  const hints = hintsAfterSet(ann, Object.keys(items).concat(added ? [key] : []), key, fingerprint);
  const renamed = ANNOTATION_SEALING_KEYS in hints && !(ANNOTATION_SEALING_KEYS in ann);
  // One key sealed everything until now: the single hint becomes the per-item map, in place.
  if (renamed) renameKey(doc, ['metadata', 'annotations'], ANNOTATION_SEALING_KEY, ANNOTATION_SEALING_KEYS);
  for (const [k, v] of Object.entries(hints)) {
    // The document tree still knows a renamed entry by its old key.
    const node = scalarAt(doc, ['metadata', 'annotations', renamed && k === ANNOTATION_SEALING_KEYS ? ANNOTATION_SEALING_KEY : k]);
    if (node) setScalar(node, v);
  }
  return { text: printYamlStream(stream), added };
}

export function unsetItem(text: string, source: string, key: string): string {
  if (isJson(text)) {
    const o = readJson(text, source);
    checkRemovable(o.spec?.encryptedData, source, key);
    delete o.spec!.encryptedData![key];
    const ann = o.metadata?.annotations;
    const perItem = perItemHints(ann?.[ANNOTATION_SEALING_KEYS]);
    if (ann && perItem && key in perItem) {
      delete perItem[key];
      ann[ANNOTATION_SEALING_KEYS] = JSON.stringify(perItem);
    }
    return `${JSON.stringify(o, null, 2)}\n`;
  }
  const { stream, doc, obj } = readYaml(text, source);
  checkRemovable(obj.spec?.encryptedData, source, key);
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

function isJson(text: string): boolean {
  const t = text.trimStart();
  return t.startsWith('{') && !t.startsWith('{{');
}

function readJson(text: string, source: string): Shape & Record<string, unknown> {
  let o: Shape & Record<string, unknown>;
  try {
    o = JSON.parse(text) as typeof o;
  } catch (e) {
    throw inputError('MalformedJSON', `malformed JSON: ${(e as Error).message.split('\n')[0]}`, { subject: source, hint: 'fix the JSON syntax' });
  }
  if (!o || typeof o !== 'object' || !isSealedSecret(o)) one([], source);
  const items = o.spec?.encryptedData;
  if (!items || typeof items !== 'object' || Array.isArray(items)) throw inputError('InvalidManifest', 'spec.encryptedData is not a mapping of key to ciphertext', { subject: source });
  return o;
}

function readYaml(text: string, source: string): { stream: ReturnType<typeof parseYamlStream>; doc: Document.Parsed; obj: Shape } {
  const stream = parseYamlStream(text);
  const found: number[] = [];
  stream.docs.forEach((doc, i) => {
    const err = doc.errors[0];
    if (err) throw inputError('MalformedYAML', `malformed YAML: ${err.message.split('\n')[0]}`, { subject: source, hint: 'fix the YAML syntax' });
    const o = doc.toJS({ maxAliasCount: 100 }) as unknown;
    if (o && typeof o === 'object' && !Array.isArray(o) && isSealedSecret(o as Record<string, unknown>)) found.push(i);
  });
  const doc = stream.docs[one(found, source)]!;
  return { stream, doc, obj: doc.toJS({ maxAliasCount: 100 }) as Shape };
}

function one(found: number[], source: string): number {
  if (found.length === 0) throw inputError('NoSealedSecrets', 'no SealedSecret documents in this file', { subject: source, hint: 'pass a file written by `cloak seal` or kubeseal' });
  if (found.length > 1) throw inputError('ManySealedSecrets', `${found.length} SealedSecret documents in this file; set and unset edit a file with exactly one`, { subject: source, hint: 'split the file, one SealedSecret per file' });
  return found[0]!;
}

function checkRemovable(items: Record<string, unknown> | undefined, source: string, key: string): void {
  const names = Object.keys(items ?? {});
  if (!names.includes(key)) {
    throw inputError('NoSuchItem', `no item "${key}" in spec.encryptedData${names.length ? ` (items: ${names.sort().join(', ')})` : ''}`, { subject: source, hint: 'check the item name' });
  }
  if (names.length === 1) {
    throw inputError('LastItem', `"${key}" is the only item; a SealedSecret without items unseals to an empty Secret`, { subject: source, hint: 'delete the file instead, or `cloak set` another item first' });
  }
}

/** The hint annotations to write after sealing `key` with `fingerprint` (only those the file already has). */
function hintsAfterSet(ann: Record<string, string>, items: string[], key: string, fingerprint: string): Record<string, string> {
  const all = ann[ANNOTATION_SEALING_KEY];
  const perItem = perItemHints(ann[ANNOTATION_SEALING_KEYS]);
  if (perItem) return { [ANNOTATION_SEALING_KEYS]: JSON.stringify(sorted({ ...perItem, [key]: fingerprint })) };
  if (all === undefined || all === fingerprint) return all === undefined ? {} : { [ANNOTATION_SEALING_KEY]: fingerprint };
  const map: Record<string, string> = {};
  for (const k of items) map[k] = k === key ? fingerprint : all;
  return { [ANNOTATION_SEALING_KEYS]: JSON.stringify(sorted(map)) };
}

function sorted(m: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
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

/** Appends `key: value` as the last entry of the block mapping at `path`, indented like its entries. */
function appendEntry(doc: Document.Parsed, path: string[], key: string, value: string, nl: string, source: string): void {
  const map = mapAt(doc, path) as { srcToken?: CST.Token } | undefined;
  const tok = map?.srcToken;
  if (!tok || tok.type !== 'block-map' || tok.items.length === 0) {
    throw inputError('UnsupportedYaml', `${path.join('.')} is empty or a flow mapping ({…}), so an item cannot be added in place`, { subject: source, hint: `write ${path.join('.')} as a block mapping (one item per line)` });
  }
  const last = tok.items[tok.items.length - 1]!;
  const lastValue = last.value as (CST.Token & { end?: CST.SourceToken[] }) | undefined;
  if (!lastValue || !('end' in lastValue)) throw inputError('UnsupportedYaml', `the last entry of ${path.join('.')} is not a plain value`, { subject: source });
  lastValue.end ??= [];
  if (!lastValue.end.some((t) => t.type === 'newline')) lastValue.end.push({ type: 'newline', offset: 0, indent: 0, source: nl });
  const indent = tok.indent;
  tok.items.push({
    start: [{ type: 'space', offset: 0, indent: 0, source: ' '.repeat(indent) }],
    key: { type: 'scalar', offset: 0, indent, source: plainKey(key) ? key : JSON.stringify(key) },
    sep: [{ type: 'map-value-ind', offset: 0, indent, source: ':' }, { type: 'space', offset: 0, indent, source: ' ' }],
    value: { type: 'scalar', offset: 0, indent, source: value, end: [{ type: 'newline', offset: 0, indent, source: nl }] },
  });
}

function plainKey(k: string): boolean {
  return /^[A-Za-z_][-._A-Za-z0-9]*$/.test(k) && !/^(y|n|yes|no|on|off|true|false|null)$/i.test(k);
}

/** Renames the key of one entry of the mapping at `path`, keeping its value, comments and position. */
function renameKey(doc: Document.Parsed, path: string[], from: string, to: string): void {
  const map = doc.getIn(path, true);
  if (!isMap(map)) return;
  const pair = map.items.find((p) => isScalar(p.key) && p.key.value === from);
  const k = pair?.key as { srcToken?: CST.Token } | undefined;
  if (k?.srcToken) CST.setScalarValue(k.srcToken, to);
}
