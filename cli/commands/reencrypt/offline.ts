// Offline `cloak reencrypt PATH… --key FILE… --cert NEW`: decrypt every item with the given private
// keys and seal it again for the new certificate, editing files in place on worker threads (one per
// core). Each file is written atomically or left untouched; a failing file is one line on stderr.
import { realpath } from 'node:fs/promises';
import { CloakError, inputError, usageError, type ErrorFamily } from '../../../src/errors.js';
import type { SealedSecretJson } from '../../../src/kube/index.js';
import type { SealedSecretObject } from '../../../src/sealed/index.js';
import { readAll, type CliIo } from '../../io.js';
import { loadCertificate } from '../../shared/cert-source.js';
import { expandInputs, type InputFile, type WalkStats } from './files.js';
import type { ErrorInfo, OfflineReply } from './offline-worker.js';
import { progressBar } from './progress.js';
import { readKeyFiles } from './read-keys.js';

export interface OfflineOptions {
  paths: string[];
  keys: string[];
  cert?: string;
  dryRun: boolean;
}

const NO_SS_HINT = 'pass files or directories containing kind: SealedSecret; `cloak seal` makes one from a Secret';

export async function reencryptOffline(o: OfflineOptions, io: CliIo): Promise<void> {
  const stdin = o.paths.length === 0 || (o.paths.length === 1 && o.paths[0] === '-');
  if (!stdin && o.paths.includes('-')) throw usageError('StdinAndFiles', '- (stdin) cannot be combined with files or directories', { hint: 'run once for stdin and once for the files' });
  const stats: WalkStats = { symlinks: 0, leftovers: [] };
  const inputs = stdin ? [] : await expandInputs(o.paths, io.cwd, stats);
  const keys = await readKeyFiles(o.keys, io.cwd);
  const cert = await loadCertificate(io, { ...(o.cert ? { cert: o.cert } : {}) });
  if (stdin) return reencryptStdin(io, keys, cert, o.dryRun);

  // An explicitly named symlink is edited where it points, so the link itself stays a link.
  const resolved = await Promise.all(inputs.map(async (f) => ({ ...f, path: f.walked ? f.path : await realpath(f.path).catch(() => f.path) })));
  // A file named twice (or inside a directory also given) is edited once.
  const seen = new Set<string>();
  const jobs = resolved.filter((f) => !seen.has(f.path) && seen.add(f.path));
  const { runPool } = await import('./offline-pool.js');
  const bar = progressBar(jobs.length, io.stderr, process.stderr.isTTY === true && !o.dryRun);
  const failures: ErrorInfo[] = [];
  const t = { files: 0, changed: 0, sealedSecrets: 0, items: 0, skippedFiles: 0, skippedDocs: 0, templates: 0 };
  const say = (line: string) => { bar.clear(); io.stderr(line); };
  const started = performance.now();
  await runPool(jobs, keys, cert, o.dryRun, (job, r: OfflineReply) => {
    t.files++;
    const f = job as InputFile;
    if (!r.ok) {
      failures.push(r.error);
      say(`error: ${errorLine(r.error, f.display)}\n`);
    } else if (r.template) {
      t.templates++;
      say(`skipped ${f.display}: a Helm template that is not plain YAML or binds its name/namespace by template (render the chart, then re-encrypt its output)\n`);
    } else if (r.sealedSecrets === 0) {
      if (!f.walked) {
        const e = { family: 'input', code: 'NoSealedSecrets', message: 'no SealedSecret documents in this file', subject: f.display, hint: NO_SS_HINT };
        failures.push(e);
        say(`error: ${errorLine(e, f.display)}\n`);
      } else t.skippedFiles++;
    } else {
      t.sealedSecrets += r.sealedSecrets;
      t.items += r.items;
      t.skippedDocs += r.skipped;
      if (r.changed) t.changed++;
      if (o.dryRun && r.changed) io.stdout(`would re-encrypt ${f.display}: ${plural(r.sealedSecrets, 'SealedSecret')}, ${plural(r.items, 'item')}\n`);
    }
    bar.update(t.files, t.items);
  });
  bar.clear();
  if (t.sealedSecrets === 0 && failures.length === 0 && t.templates === 0) {
    throw inputError('NoSealedSecrets', `no SealedSecret documents found under ${o.paths.join(', ')}`, { hint: NO_SS_HINT });
  }
  const secs = (performance.now() - started) / 1000;
  const skipped = [
    t.skippedFiles ? plural(t.skippedFiles, 'file') : '',
    t.skippedDocs ? plural(t.skippedDocs, 'document') : '',
  ].filter(Boolean);
  const notes = [
    skipped.length ? `skipped ${skipped.join(' and ')} without SealedSecrets` : '',
    t.templates ? `skipped ${plural(t.templates, 'Helm template')}` : '',
    stats.symlinks ? `did not follow ${plural(stats.symlinks, 'symlink')}` : '',
    stats.leftovers?.length ? `found ${plural(stats.leftovers.length, 'temp file')} of an interrupted run (e.g. ${stats.leftovers[0]}; safe to delete)` : '',
    failures.length ? `${plural(failures.length, 'file')} failed and left unchanged` : '',
  ].filter(Boolean);
  const verb = o.dryRun ? 'would re-encrypt' : 're-encrypted';
  io.stderr(`${verb} ${plural(t.items, 'item')} in ${plural(t.sealedSecrets, 'SealedSecret')} in ${plural(t.changed, 'file')} for key ${cert.fingerprint}`
    + ` (${Math.round(t.items / Math.max(secs, 1e-3))} items/s)${notes.length ? `; ${notes.join('; ')}` : ''}${o.dryRun ? '; nothing was written (--dry-run)' : ''}\n`);
  if (failures.length > 0) {
    const first = failures[0]!;
    throw new CloakError(first.family as ErrorFamily, 'ReencryptFailed', `${plural(failures.length, 'file')} could not be re-encrypted and ${failures.length === 1 ? 'was' : 'were'} left unchanged`, { hint: 'see the errors above' });
  }
}

async function reencryptStdin(io: CliIo, keys: Awaited<ReturnType<typeof readKeyFiles>>, cert: Awaited<ReturnType<typeof loadCertificate>>, dryRun: boolean): Promise<void> {
  if (io.stdinIsTTY) io.stderr('(reading SealedSecrets from stdin; pass FILE or DIR to edit files in place)\n');
  const [{ reencryptText }, { resealOffline }] = await Promise.all([import('./reencrypt-text.js'), import('../../../src/sealed/reseal-offline.js')]);
  const text = (await readAll(io.stdin)).toString('utf8');
  const r = await reencryptText(text, 'stdin', async (ss, where) => resealOffline(ss as unknown as SealedSecretObject, where, keys, cert) as unknown as SealedSecretJson);
  if (r.sealedSecrets === 0) throw inputError('NoSealedSecrets', 'no SealedSecret documents in the input', { subject: 'stdin', hint: NO_SS_HINT });
  if (dryRun) {
    io.stderr(`would re-encrypt stdin: ${plural(r.sealedSecrets, 'SealedSecret')}, ${plural(r.items, 'item')}; nothing was written (--dry-run)\n`);
    return;
  }
  io.stdout(r.text);
}

function errorLine(e: ErrorInfo, display: string): string {
  const head = e.subject ? `${e.subject.startsWith(display) ? '' : `${display}: `}${e.subject}: ${e.message}` : `${display}: ${e.message}`;
  return e.hint ? `${head} (${e.hint})` : head;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
