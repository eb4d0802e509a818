// Byte-preserving YAML edits: parse a stream keeping its CST, change scalar values or drop map entries
// through the CST, and print the tokens back. Everything not edited (comments, quoting, order, other
// documents) comes back byte for byte.
import { Composer, CST, Parser, isMap, isScalar, type Document, type Node } from 'yaml';

export interface YamlStream {
  tokens: CST.Token[];
  docs: Document.Parsed[];
}

export function parseYamlStream(text: string): YamlStream {
  const tokens = Array.from(new Parser().parse(text));
  const docs = Array.from(new Composer({ keepSourceTokens: true, version: '1.1', uniqueKeys: true, logLevel: 'error' }).compose(tokens));
  return { tokens, docs };
}

export function printYamlStream(s: YamlStream): string {
  return s.tokens.map((t) => CST.stringify(t)).join('');
}

/** The scalar node at `path`, or undefined when there is none. */
export function scalarAt(doc: Document.Parsed, path: string[]): (Node & { srcToken?: CST.Token }) | undefined {
  const n = doc.getIn(path, true) as unknown;
  return isScalar(n) ? (n as Node & { srcToken?: CST.Token }) : undefined;
}

export function mapAt(doc: Document.Parsed, path: string[]) {
  const n = doc.getIn(path, true) as unknown;
  return isMap(n) ? n : undefined;
}

/**
 * Sets a scalar's value in the CST, keeping its style when the new value allows it. A block scalar
 * (`|`, `>`) in a CRLF file gets CRLF line ends again (the CST writes LF).
 */
export function setScalar(node: Node & { srcToken?: CST.Token }, value: string): void {
  const tok = node.srcToken;
  if (!tok) throw new Error('scalar without source token');
  const crlf = tok.type === 'block-scalar' && tok.props.some((p) => p.type === 'newline' && p.source === '\r\n');
  CST.setScalarValue(tok, value, { afterKey: true });
  if (crlf && tok.type === 'block-scalar') tok.source = tok.source.replace(/\r?\n/g, '\r\n');
}

/**
 * Removes `key` from the block mapping at `path`. Returns false when the mapping is not a block
 * mapping (flow `{…}` mappings are left alone).
 */
export function deleteBlockMapEntry(doc: Document.Parsed, path: string[], key: string): boolean {
  const map = mapAt(doc, path) as (Node & { srcToken?: CST.Token }) | undefined;
  const value = scalarAt(doc, [...path, key]);
  const tok = map?.srcToken;
  if (!tok || tok.type !== 'block-map' || !value?.srcToken) return false;
  const i = tok.items.findIndex((it) => it.value === value.srcToken);
  if (i < 0 || tok.items.length < 2) return false;
  const [gone] = tok.items.splice(i, 1);
  // The first entry's indentation belongs to the parent; the new first entry must not keep its own.
  if (i === 0 && gone) {
    const next = tok.items[0]!;
    next.start = [...gone.start, ...(next.start[0]?.type === 'space' ? next.start.slice(1) : next.start)];
  }
  return true;
}
