// `cloak lint [PATH…]`: lints every manifest, prints the findings (human, json or sarif) on stdout,
// a summary on stderr; exit 0 clean, 2 with findings, 1 for a usage problem (bad flag, path or cert).
import { readFile } from 'node:fs/promises';
import { readCertificate } from '../../../src/crypto/certificate.js';
import { inputError, isCloakError, usageError } from '../../../src/errors.js';
import { findCrdDir, loadCrdSchemas, type CrdSchemas } from '../../../src/lint/crd-schemas.js';
import { parseAge } from '../../../src/lint/duration.js';
import { formatReport, type ReportFormat } from '../../../src/lint/report.js';
import { lintFile } from '../../../src/lint/lint.js';
import type { Finding, KnownKey, LintContext } from '../../../src/lint/types.js';
import { readCertRef } from '../../shared/cert-source.js';
import { VERSION } from '../../main.js';
import type { CliIo } from '../../io.js';
import type { LintFlags } from './index.js';
import { lintInputs } from './files.js';

export async function runLint(io: CliIo, paths: string[], f: LintFlags): Promise<void> {
  const format = (f.output ?? 'human') as ReportFormat;
  const certs = f.cert ?? [];
  let maxKeyAgeMs: number | undefined;
  if (f.maxKeyAge !== undefined) {
    maxKeyAgeMs = parseAge(f.maxKeyAge);
    if (maxKeyAgeMs === undefined) throw usageError('BadDuration', `invalid --max-key-age "${f.maxKeyAge}"`, { hint: 'use a duration such as 90d, 12w or 2160h' });
    if (certs.length === 0) throw usageError('MaxKeyAgeNeedsCert', '--max-key-age needs the keys\' certificates', { hint: 'pass --cert FILE for each key (e.g. from `cloak keys list`), so their NotBefore dates are known' });
  }
  const keys = await asUsage(() => loadKeys(io, certs));
  const { files, ignored } = await lintInputs(paths, io.cwd, f.ignore ?? []);

  let schemas: CrdSchemas | undefined;
  const ctx: LintContext = {
    keys, now: new Date(),
    ...(maxKeyAgeMs !== undefined ? { maxKeyAgeMs, maxKeyAgeText: f.maxKeyAge as string } : {}),
    schemaFor(apiVersion, kind) {
      if (!schemas) {
        const dir = findCrdDir();
        if (!dir) throw usageError('NoCrds', 'cannot find the crds/ directory of this installation', { hint: 'reinstall cloak' });
        schemas = loadCrdSchemas(dir);
      }
      return schemas.schemaFor(apiVersion, kind);
    },
  };
  const findings: Finding[] = [];
  let skippedTemplates = 0;
  for (const file of files) {
    const bytes = await readFile(file.path).catch((e: NodeJS.ErrnoException) => {
      throw usageError('FileUnreadable', `cannot read: ${e.code ?? e.message}`, { subject: file.display });
    });
    const r = lintFile(file.display, bytes, ctx);
    findings.push(...r.findings);
    if (r.skippedTemplate) skippedTemplates++;
  }
  const out = formatReport(findings, format, { files: files.length, skippedTemplates }, VERSION);
  if (out) io.stdout(out);
  const notes = [
    ignored ? `${ignored} ignored` : '',
    skippedTemplates ? `${skippedTemplates} Helm template${skippedTemplates === 1 ? '' : 's'} not parseable with the {{ }} actions removed, skipped` : '',
  ].filter(Boolean).join(', ');
  const checked = `${files.length} file${files.length === 1 ? '' : 's'} checked${notes ? ` (${notes})` : ''}`;
  if (findings.length === 0) {
    io.stderr(`${checked}: no findings\n`);
    return;
  }
  const withFindings = new Set(findings.map((x) => x.file)).size;
  throw inputError('LintFindings', `${findings.length} finding${findings.length === 1 ? '' : 's'} in ${withFindings} file${withFindings === 1 ? '' : 's'}; ${checked}`);
}

async function loadKeys(io: CliIo, refs: string[]): Promise<Map<string, KnownKey>> {
  const keys = new Map<string, KnownKey>();
  for (const ref of refs) {
    const { pem, source } = await readCertRef(io, ref);
    // A file may hold several certificates (e.g. every key's tls.crt concatenated).
    const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [pem];
    for (const block of blocks) {
      const cert = readCertificate(block, source);
      keys.set(cert.fingerprint, { cert, source });
    }
  }
  return keys;
}

/** Lint keeps exit 2 for findings: a problem with what was passed on the command line is a usage error. */
async function asUsage<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (isCloakError(e) && e.family !== 'usage') throw usageError(e.code, e.message, { ...(e.subject ? { subject: e.subject } : {}), ...(e.hint ? { hint: e.hint } : {}) });
    throw e;
  }
}
