// Reading Kubernetes objects from YAML `---` streams or JSON (one object, several concatenated
// objects, or a `v1 List`), and writing them the way kubectl reads them back.
import { isScalar, parseAllDocuments, stringify, visit, type Document } from 'yaml';
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
  if (text.length > MAX_INPUT_CHARS) {
    throw inputError('TooLarge', `input is larger than ${MAX_INPUT_CHARS / 1024 / 1024} MiB`, {
      subject: source, hint: 'a Secret holds at most 1 MiB: split the stream into several files',
    });
  }
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

/** Far above any manifest stream kubectl sends (a request body is at most 3 MiB); parse time stays bounded. */
export const MAX_INPUT_CHARS = 16 * 1024 * 1024;
/** Deeper than any Kubernetes object; keeps every recursive reader (ours, yaml's, JSON's) safe. */
export const MAX_NESTING = 100;
/** Values after alias expansion: a handful of aliases cannot grow a document into millions of nodes. */
export const MAX_NODES = 1_000_000;
const tooDeep = (where: string) => inputError('TooDeep', `nesting deeper than ${MAX_NESTING} levels`, {
  subject: where, hint: 'a Kubernetes object is a few levels deep: check the input is the manifest you meant',
});

function parseYamlStream(text: string, source: string): KubeObject[] {
  refuseControlCharacters(text, source);
  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    // uniqueKeys is checked below with a Set: the library's own check is quadratic in the keys of a mapping.
    docs = parseAllDocuments(text, { version: '1.1', uniqueKeys: false, prettyErrors: false, logLevel: 'error' }); // yaml's warnings quote source text (values)
  } catch (e) {
    if (e instanceof RangeError) throw tooDeep(source);
    throw e;
  }
  const list = Array.isArray(docs) ? docs : [docs];
  const out: KubeObject[] = [];
  list.forEach((d, i) => {
    const where = list.length > 1 ? `${source} (document ${i + 1})` : source;
    const err = d.errors[0];
    if (err && /call stack/i.test(err.message)) throw tooDeep(where);
    if (err) {
      const line = err.linePos?.[0]?.line;
      throw inputError('MalformedYAML', `malformed YAML${line ? ` at line ${line}` : ''}: ${err.message.split('\n')[0]}`, {
        subject: list.length > 1 ? `${source} (document ${i + 1})` : source,
        hint: 'fix the YAML syntax',
      });
    }
    const bad = badKey(d);
    if (bad) {
      throw inputError('MalformedYAML', `malformed YAML at line ${text.slice(0, bad.offset).split('\n').length}: ${bad.complex ? 'a mapping key must be a plain value, not a mapping or list' : 'Map keys must be unique'}`, { subject: where, hint: 'fix the YAML syntax' });
    }
    let value: unknown;
    try {
      value = d.toJS({ maxAliasCount: 100 }) as unknown;
    } catch (e) {
      if (e instanceof RangeError) throw tooDeep(where);
      if (e instanceof ReferenceError) {
        throw inputError('TooManyAliases', 'YAML aliases expand too far (more than 100 alias expansions)', { subject: where, hint: 'write the values out instead of using anchors and aliases' });
      }
      // The library's other conversion errors (e.g. a merge key `<<` given a scalar) are bad input too.
      if (e instanceof Error) throw inputError('MalformedYAML', `malformed YAML: ${e.message.split('\n')[0]}`, { subject: where, hint: 'fix the YAML syntax' });
      throw e;
    }
    if (value === null || value === undefined) return;
    checkTree(value, where);
    out.push(asObject(value, where));
  });
  return out;
}

/**
 * The first repeated key of any mapping (merge keys `<<` aside), in linear time, or a key that is a
 * mapping or list (`? {a: b}`: Kubernetes keys are strings, and the library would warn on stderr).
 */
function badKey(d: Document): { offset: number; complex: boolean } | undefined {
  let found: { offset: number; complex: boolean } | undefined;
  visit(d, {
    Map(_k, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const key = pair.key as unknown;
        if (key !== null && !isScalar(key)) {
          found = { offset: (key as { range?: [number] }).range?.[0] ?? 0, complex: true };
          return visit.BREAK;
        }
        const id = isScalar(key) ? `${typeof key.value}:${String(key.value)}` : 'null:';
        if (id === 'string:<<') continue;
        if (seen.has(id)) { found = { offset: isScalar(key) ? key.range?.[0] ?? 0 : 0, complex: false }; return visit.BREAK; }
        seen.add(id);
      }
      return undefined;
    },
  });
  return found;
}

/** Refuses cycles (a YAML alias inside its own anchor), nesting past MAX_NESTING and alias bombs. */
export function checkTree(root: unknown, where: string): void {
  const ancestors = new Set<object>();
  let nodes = 0;
  const visit = (v: unknown, depth: number): void => {
    if (typeof v !== 'object' || v === null) return;
    if (++nodes > MAX_NODES) {
      throw inputError('TooLarge', `more than ${MAX_NODES} values after expanding YAML aliases`, { subject: where, hint: 'write the values out instead of using anchors and aliases' });
    }
    if (depth > MAX_NESTING) throw tooDeep(where);
    if (ancestors.has(v)) {
      throw inputError('CircularAlias', 'a YAML alias refers to a mapping that contains it (circular structure)', { subject: where, hint: 'remove the alias (*name) inside its own anchor (&name)' });
    }
    ancestors.add(v);
    for (const child of Array.isArray(v) ? v : Object.values(v)) visit(child, depth + 1);
    ancestors.delete(v);
  };
  visit(root, 0);
}

/** YAML forbids raw C0 control characters (a NUL read as-is would be sealed silently). */
function refuseControlCharacters(text: string, source: string): void {
  // eslint-disable-next-line no-control-regex
  const m = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.exec(text);
  if (!m) return;
  const before = text.slice(0, m.index);
  const line = before.split('\n').length;
  const lineText = before.slice(before.lastIndexOf('\n') + 1);
  const key = /^\s*(?:-\s+)?(["']?)([^"':#]+)\1\s*:/.exec(lineText)?.[2]?.trim();
  const code = `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  throw inputError('ControlCharacter', `raw control character ${code} at line ${line}${key ? ` in the value of key "${key}"` : ''} (not allowed in YAML)`, {
    subject: source,
    hint: 'write it escaped in a double-quoted string (e.g. "\\0" or "\\x01"), or put the value in data as base64',
  });
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
    checkTree(v, source);
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
