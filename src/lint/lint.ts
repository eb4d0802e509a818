// Lints one file's text: parse, then every rule on every document; findings in file order.
import { isUtf8 } from 'node:buffer';
import { parseFile, PARSE_RULE } from './parse.js';
import { rules } from './rules/index.js';
import type { Finding, LintContext } from './types.js';

export interface FileResult { findings: Finding[]; skippedTemplate: boolean }

export function lintFile(file: string, bytes: Buffer, ctx: LintContext): FileResult {
  if (!isUtf8(bytes)) {
    return { findings: [{ file, line: 1, column: 1, rule: PARSE_RULE.id, severity: PARSE_RULE.severity, message: 'the file is not UTF-8' }], skippedTemplate: false };
  }
  const parsed = parseFile(file, bytes.toString('utf8'));
  const findings = [...parsed.findings];
  for (const doc of parsed.documents) {
    for (const rule of rules) {
      for (const f of rule.check(doc, ctx)) findings.push({ file, rule: rule.id, severity: rule.severity, ...f });
    }
  }
  findings.sort((a, b) => a.line - b.line || a.column - b.column);
  return { findings, skippedTemplate: parsed.skippedTemplate };
}

export const allRules = [...rules.map(({ id, severity, description }) => ({ id, severity, description })), PARSE_RULE];
