// Findings as text: `file:line:col: rule: message`, JSON, or SARIF 2.1.0 for code scanning.
import { allRules } from './lint.js';
import type { Finding } from './types.js';

export type ReportFormat = 'human' | 'json' | 'sarif';

export interface Summary { files: number; skippedTemplates: number }

export function formatReport(findings: Finding[], format: ReportFormat, summary: Summary, version: string): string {
  if (format === 'human') return findings.map((f) => `${f.file}:${f.line}:${f.column}: ${f.rule}: ${f.message}\n`).join('');
  if (format === 'json') {
    return `${JSON.stringify({ version: 1, files: summary.files, skippedTemplates: summary.skippedTemplates, findings: findings.map((f) => ({ file: f.file, line: f.line, column: f.column, rule: f.rule, severity: f.severity, message: f.message })) }, null, 2)}\n`;
  }
  return `${JSON.stringify(sarif(findings, version), null, 2)}\n`;
}

function sarif(findings: Finding[], version: string): unknown {
  const ruleIndex = new Map(allRules.map((r, i) => [r.id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'cloak-lint',
          version,
          rules: allRules.map((r) => ({
            id: r.id,
            name: r.id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
            shortDescription: { text: r.description },
            fullDescription: { text: r.description },
            defaultConfiguration: { level: r.severity },
            properties: { tags: ['security'] },
          })),
        },
      },
      columnKind: 'utf16CodeUnits',
      results: findings.map((f) => ({
        ruleId: f.rule,
        ruleIndex: ruleIndex.get(f.rule) ?? 0,
        level: f.severity,
        message: { text: f.message },
        locations: [{
          physicalLocation: {
            artifactLocation: { uri: fileUri(f.file) },
            region: { startLine: f.line, startColumn: f.column },
          },
        }],
      })),
    }],
  };
}

/** A relative URI reference: `/` separators, each segment percent-encoded. */
function fileUri(file: string): string {
  return file.split(/[\\/]/).filter((s, i) => s !== '.' || i > 0).map((s) => encodeURIComponent(s)).join('/');
}
