export { lintFile, allRules, type FileResult } from './lint.js';
export { formatReport, type ReportFormat, type Summary } from './report.js';
export { IgnoreList } from './ignore.js';
export { parseAge } from './duration.js';
export { findCrdDir, loadCrdSchemas, type CrdSchemas } from './crd-schemas.js';
export { validateObject, pathText, type SchemaError } from './structural-schema.js';
export type { Finding, LintContext, KnownKey, Severity } from './types.js';
