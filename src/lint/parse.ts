// One file → its documents with positions (a `v1 List` gives one per item), or parse findings.
// Files with Helm actions are linted as far as they parse with the actions blanked out.
import { basename } from 'node:path';
import { isMap, isSeq, LineCounter, parseAllDocuments, type Node } from 'yaml';
import { actionsOnlyInStrings, blankTemplateActions, hasAction, hasPlaceholder, hasTemplateActions } from './helm.js';
import { locate } from './locate.js';
import type { Finding, LintDocument, Path } from './types.js';

export interface ParsedFile {
  documents: LintDocument[];
  findings: Finding[];
  /** A Helm template (under templates/) that is not YAML even with the actions blanked out (skipped, not a finding). */
  skippedTemplate: boolean;
}

export const PARSE_RULE = { id: 'parse-error', severity: 'error', description: 'the file is not valid YAML or JSON' } as const;

export function parseFile(file: string, raw: string): ParsedFile {
  // Actions that all sit inside string scalars (ESO templates, quoted Helm values) leave the YAML
  // as written; any other action means a Helm template, parsed with the actions blanked out.
  const helm = hasTemplateActions(raw) && !actionsOnlyInStrings(raw);
  const text = helm ? blankTemplateActions(raw) : raw;
  const lines = new LineCounter();
  const out: ParsedFile = { documents: [], findings: [], skippedTemplate: false };
  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    docs = parseAllDocuments(text, { version: '1.1', lineCounter: lines, prettyErrors: false, logLevel: 'error' });
  } catch {
    out.findings.push(parseFinding(file, 1, 1, 'cannot be parsed (nesting too deep)'));
    return out;
  }
  const list = Array.isArray(docs) ? docs : [docs];
  const baseName = basename(file);
  for (const d of list) {
    const err = d.errors[0];
    if (err) {
      // A chart's templates/ may be YAML only once rendered; elsewhere a parse error is a finding.
      if (helm && inTemplatesDir(file)) return { documents: [], findings: [], skippedTemplate: true };
      const pos = lines.linePos(err.pos[0]);
      out.findings.push(parseFinding(file, pos.line, pos.col, `malformed YAML: ${describeError(err.code, err.message)}`));
      continue;
    }
    let value: unknown;
    try {
      value = d.toJS({ maxAliasCount: 100 });
    } catch {
      const pos = lines.linePos((d.contents as { range?: number[] } | null)?.range?.[0] ?? 0);
      out.findings.push(parseFinding(file, pos.line, pos.col, 'YAML aliases expand too far or are circular'));
      continue;
    }
    if (!isObject(value)) continue;
    const make = (v: Record<string, unknown>, root: Node | null | undefined): LintDocument => ({
      file, value: v, baseName, helm,
      at: (path: Path) => locate(root, path, lines),
      templated: (x: unknown) => (helm ? hasPlaceholder(x) : hasAction(x)),
    });
    if (value.kind === 'List' && Array.isArray(value.items) && isMap(d.contents)) {
      const items = d.contents.get('items', true);
      value.items.forEach((item: unknown, i: number) => {
        if (isObject(item)) out.documents.push(make(item, isSeq(items) ? (items.items[i] as Node) : undefined));
      });
    } else {
      out.documents.push(make(value, d.contents as Node | null));
    }
  }
  return out;
}

function inTemplatesDir(file: string): boolean {
  return file.split(/[\\/]/).slice(0, -1).includes('templates');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** yaml's message, except the two that quote source text (which may be part of a value). */
function describeError(code: string, message: string): string {
  if (code === 'BAD_DQ_ESCAPE') return 'invalid escape sequence in a double-quoted string';
  if (message.startsWith('Block scalar header')) return 'block scalar header includes extra characters';
  return firstLine(message);
}

/** yaml's first line, without its own "at line X, column Y" (we give the position). */
function firstLine(message: string): string {
  return (message.split('\n')[0] ?? '').replace(/\s+at line \d+, column \d+:?$/, '').replace(/:$/, '');
}

function parseFinding(file: string, line: number, column: number, message: string): Finding {
  return { file, line, column, rule: PARSE_RULE.id, severity: PARSE_RULE.severity, message };
}
