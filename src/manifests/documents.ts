// Reading Kubernetes objects from YAML `---` streams or JSON (one object, several concatenated
// objects, or a `v1 List`), and writing them the way kubectl reads them back.
import { parseAllDocuments, stringify } from 'yaml';
import { inputError } from '../errors.js';

export type KubeObject = Record<string, unknown> & {
  apiVersion?: string;
  kind?: string;
  metadata?: Record<string, unknown>;
};

export interface SourceDocument {
  object: KubeObject;
  /** Where it came from, for error messages: `file.yaml (document 2)`. */
  where: string;
}

/** Parses every non-empty document; `v1 List` items are expanded. */
export function readDocuments(text: string, source: string): SourceDocument[] {
  const trimmed = text.trimStart();
  const objects = trimmed.startsWith('{') || trimmed.startsWith('[') ? parseJsonStream(text, source) : parseYamlStream(text, source);
  const out: SourceDocument[] = [];
  objects.forEach((o, i) => {
    const where = objects.length > 1 ? `${source} (document ${i + 1})` : source;
    if (o.kind === 'List' && Array.isArray(o.items)) {
      (o.items as unknown[]).forEach((item, j) => out.push({ object: asObject(item, `${where} item ${j + 1}`), where: `${where} item ${j + 1}` }));
    } else {
      out.push({ object: o, where });
    }
  });
  return out;
}

function parseYamlStream(text: string, source: string): KubeObject[] {
  const docs = parseAllDocuments(text, { version: '1.1', uniqueKeys: true, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [docs];
  const out: KubeObject[] = [];
  list.forEach((d, i) => {
    const err = d.errors[0];
    if (err) {
      const line = err.linePos?.[0]?.line;
      throw inputError('MalformedYAML', `malformed YAML${line ? ` at line ${line}` : ''}: ${err.message.split('\n')[0]}`, {
        subject: list.length > 1 ? `${source} (document ${i + 1})` : source,
        hint: 'fix the YAML syntax',
      });
    }
    const value = d.toJS({ maxAliasCount: 100 }) as unknown;
    if (value === null || value === undefined) return;
    out.push(asObject(value, list.length > 1 ? `${source} (document ${i + 1})` : source));
  });
  return out;
}

/** Concatenated JSON values (what `kubeseal -o json` emits for several Secrets). */
function parseJsonStream(text: string, source: string): KubeObject[] {
  const out: KubeObject[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
    if (i >= text.length) break;
    const end = jsonValueEnd(text, i);
    if (end < 0) throw inputError('MalformedJSON', 'malformed JSON: unterminated object', { subject: source, hint: 'fix the JSON syntax' });
    let v: unknown;
    try {
      v = JSON.parse(text.slice(i, end));
    } catch (e) {
      throw inputError('MalformedJSON', `malformed JSON: ${(e as Error).message}`, { subject: source, hint: 'fix the JSON syntax' });
    }
    if (Array.isArray(v)) v.forEach((x) => out.push(asObject(x, source)));
    else out.push(asObject(v, source));
    i = end;
  }
  return out;
}

function jsonValueEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

function asObject(v: unknown, where: string): KubeObject {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw inputError('NotAnObject', 'expected a Kubernetes object (a mapping with apiVersion, kind, metadata)', { subject: where });
  }
  return v as KubeObject;
}

/**
 * YAML for kubectl (a YAML 1.1 reader): `yes`, `on`, `0755` and friends stay quoted strings.
 * `sortKeys` gives kubeseal's layout (sigs.k8s.io/yaml sorts every mapping).
 */
export function toYaml(obj: unknown, o: { sortKeys?: boolean } = {}): string {
  return stringify(obj, { version: '1.1', sortMapEntries: o.sortKeys ?? false, lineWidth: 0, indentSeq: false, aliasDuplicateObjects: false });
}

export function toJson(obj: unknown): string {
  return JSON.stringify(obj, null, 2) + '\n';
}
