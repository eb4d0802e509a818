// `--merge-into FILE`: seal new or changed items into an existing SealedSecret file, keeping the
// file's name, namespace and scope, its other items, comments and formatting. YAML is edited as
// text at the exact node ranges, so only changed values differ; JSON is re-emitted in kubeseal's layout.
import { isMap, isScalar, parseDocument, type Document, type YAMLMap, type Scalar, type Pair } from 'yaml';
import { encodeBase64 } from '../crypto/base64.js';
import type { SealingCertificate } from '../crypto/certificate.js';
import { hybridEncrypt } from '../crypto/hybrid.js';
import { inputError } from '../errors.js';
import { encryptionLabel, scopeFromAnnotations } from './scope.js';
import { ANNOTATION_SEALING_KEY, ANNOTATION_SEALING_KEYS, type SealedSecretObject } from './types.js';

export interface MergeResult {
  text: string;
  added: string[];
  updated: string[];
}

export function mergeIntoSealedSecret(fileText: string, source: string, items: Map<string, Buffer>, cert: SealingCertificate): MergeResult {
  const isJson = fileText.trimStart().startsWith('{');
  const doc = parseDocument(fileText, { keepSourceTokens: true, version: '1.1' });
  if (doc.errors[0]) throw inputError('MalformedYAML', `malformed YAML: ${doc.errors[0].message.split('\n')[0]}`, { subject: source });
  const ss = doc.toJS() as SealedSecretObject;
  if (ss?.kind !== 'SealedSecret') throw inputError('WrongKind', `expected a SealedSecret but found ${ss?.kind ? `kind ${ss.kind}` : 'no kind'}`, { subject: source, hint: '--merge-into takes a file written by `cloak seal` or kubeseal' });
  const name = ss.metadata?.name ?? '';
  const namespace = ss.metadata?.namespace ?? '';
  const label = encryptionLabel(namespace, name, scopeFromAnnotations(ss.metadata?.annotations));
  const existing = ss.spec?.encryptedData ?? {};
  const sealed: Record<string, string> = {};
  for (const [k, v] of items) sealed[k] = encodeBase64(hybridEncrypt(cert.publicKey, v, label));
  const added = Object.keys(sealed).filter((k) => !(k in existing)).sort();
  const updated = Object.keys(sealed).filter((k) => k in existing).sort();
  const hints = mergedHints(ss, Object.keys(sealed), cert.fingerprint);

  if (isJson) {
    const out = structuredClone(ss);
    out.spec.encryptedData = { ...existing, ...sealed };
    const ann = { ...(out.metadata.annotations ?? {}) };
    delete ann[ANNOTATION_SEALING_KEY];
    delete ann[ANNOTATION_SEALING_KEYS];
    Object.assign(ann, hints);
    out.metadata.annotations = ann;
    return { text: `${JSON.stringify(out, null, 2)}\n`, added, updated };
  }

  const edits: Edit[] = [];
  const dataMap = doc.getIn(['spec', 'encryptedData'], true);
  if (!isMap(dataMap)) throw inputError('BadSealedSecret', 'spec.encryptedData is not a mapping', { subject: source });
  setEntries(fileText, dataMap, sealed, edits);
  const meta = doc.get('metadata', true);
  if (!isMap(meta)) throw inputError('BadSealedSecret', 'metadata is not a mapping', { subject: source });
  const annotations = meta.get('annotations', true);
  const removals = [ANNOTATION_SEALING_KEY, ANNOTATION_SEALING_KEYS].filter((k) => !(k in hints));
  if (isMap(annotations)) {
    setEntries(fileText, annotations, hints, edits);
    for (const k of removals) removeEntry(fileText, annotations, k, edits);
  } else {
    setEntries(fileText, meta, {}, edits, { annotations: hints });
  }
  return { text: applyEdits(fileText, edits), added, updated };
}

/** Per-item key hints after the merge: one annotation when one key sealed everything. */
function mergedHints(ss: SealedSecretObject, resealed: string[], fingerprint: string): Record<string, string> {
  const ann = ss.metadata?.annotations ?? {};
  let perItem: Record<string, string> = {};
  try { perItem = ann[ANNOTATION_SEALING_KEYS] ? JSON.parse(ann[ANNOTATION_SEALING_KEYS]) as Record<string, string> : {}; } catch { perItem = {}; }
  const all = ann[ANNOTATION_SEALING_KEY];
  const map: Record<string, string | undefined> = {};
  for (const k of Object.keys(ss.spec?.encryptedData ?? {})) map[k] = perItem[k] ?? all;
  for (const k of resealed) map[k] = fingerprint;
  const values = new Set(Object.values(map));
  if (values.size === 1 && !values.has(undefined)) return { [ANNOTATION_SEALING_KEY]: String([...values][0]) };
  const known = Object.fromEntries(Object.entries(map).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)));
  return { [ANNOTATION_SEALING_KEYS]: JSON.stringify(known) };
}

interface Edit { start: number; end: number; text: string }

function setEntries(src: string, map: YAMLMap, values: Record<string, string>, edits: Edit[], nested?: Record<string, Record<string, string>>): void {
  const fresh: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(values)) {
    const pair = findPair(map, k);
    if (pair && isScalar(pair.value) && pair.value.range) {
      if (pair.value.value === v) continue;
      const [start, end] = pair.value.range;
      edits.push({ start, end, text: scalarText(src.slice(start, end), v) });
    } else {
      fresh.push([k, v]);
    }
  }
  if (fresh.length === 0 && !nested) return;
  const indent = mapIndent(src, map);
  const lines: string[] = fresh.map(([k, v]) => `${indent}${quoteKey(k)}: ${quoteValue(v)}`);
  for (const [k, sub] of Object.entries(nested ?? {})) {
    lines.push(`${indent}${k}:`);
    for (const [sk, sv] of Object.entries(sub)) lines.push(`${indent}  ${quoteKey(sk)}: ${quoteValue(sv)}`);
  }
  if (map.flow || map.items.length === 0) {
    if (!map.range) return;
    const [start, end] = map.range;
    const parentIndent = indent.slice(2);
    edits.push({ start, end, text: `\n${lines.join('\n')}\n${parentIndent}`.replace(/\n[^\n]*$/, '\n') });
    return;
  }
  // New entries go in as whole lines after the last entry's line (past any trailing comment), so
  // they never overlap the removal of that same line when its hint annotation is replaced.
  const last = map.items[map.items.length - 1] as Pair;
  const node = (last.value ?? last.key) as { range?: [number, number, number] };
  const at = node.range ? node.range[1] : 0;
  const lineEnd = src[at - 1] === '\n' ? at - 1 : src.indexOf('\n', at);
  if (lineEnd < 0) {
    edits.push({ start: src.length, end: src.length, text: `\n${lines.join('\n')}` });
    return;
  }
  const eol = src[lineEnd - 1] === '\r' ? '\r\n' : '\n';
  edits.push({ start: lineEnd + 1, end: lineEnd + 1, text: `${lines.join(eol)}${eol}` });
}

function removeEntry(src: string, map: YAMLMap, key: string, edits: Edit[]): void {
  const pair = findPair(map, key);
  if (!pair || map.flow) return;
  const k = pair.key as Scalar;
  const v = pair.value as Scalar;
  if (!k.range || !v?.range) return;
  const lineStart = src.lastIndexOf('\n', k.range[0]) + 1;
  const lineEnd = src.indexOf('\n', v.range[1]);
  edits.push({ start: lineStart, end: lineEnd < 0 ? src.length : lineEnd + 1, text: '' });
}

function findPair(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === key) as Pair | undefined;
}

function mapIndent(src: string, map: YAMLMap): string {
  const first = map.items[0]?.key as Scalar | undefined;
  if (first?.range && !map.flow) {
    const lineStart = src.lastIndexOf('\n', first.range[0]) + 1;
    return ' '.repeat(first.range[0] - lineStart);
  }
  const start = map.range?.[0] ?? 0;
  const lineStart = src.lastIndexOf('\n', start) + 1;
  const parentIndent = /^ */.exec(src.slice(lineStart))?.[0].length ?? 0;
  return ' '.repeat(parentIndent + 2);
}

function scalarText(original: string, value: string): string {
  if (original.startsWith("'")) return `'${value.replace(/'/g, "''")}'`;
  if (original.startsWith('"')) return JSON.stringify(value);
  return quoteValue(value);
}

function quoteKey(k: string): string {
  return /^[A-Za-z0-9][-A-Za-z0-9_./]*$/.test(k) && !/^(y|n|yes|no|on|off|true|false|null)$/i.test(k) ? k : JSON.stringify(k);
}

function quoteValue(v: string): string {
  return /^[A-Za-z0-9+/][A-Za-z0-9+/=]*$/.test(v) && !/^(y|n|yes|no|on|off|true|false|null|~|[0-9][0-9_.e+-]*)$/i.test(v) ? v : JSON.stringify(v);
}

function applyEdits(src: string, edits: Edit[]): string {
  let out = src;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

export type { Document };
