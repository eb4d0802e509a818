// Writes several files as one step: every file goes to a temp file beside its target first, and
// only when all are written are they renamed into place; on a failure no target is touched.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { inputError } from '../../../src/errors.js';

export async function writeAllAtomic(files: Array<{ path: string; display: string; text: string }>): Promise<void> {
  const temps: Array<{ tmp: string; path: string }> = [];
  const madeDirs: string[] = [];
  try {
    for (const f of files) {
      const made = await mkdir(dirname(f.path), { recursive: true });
      if (made) madeDirs.push(made);
      const tmp = join(dirname(f.path), `.${basename(f.path)}.${randomBytes(6).toString('hex')}.tmp`);
      const mode = await stat(f.path).then((s) => s.mode & 0o777, () => 0o644);
      temps.push({ tmp, path: f.path });
      await writeFile(tmp, f.text, { mode, flag: 'wx' });
      await chmod(tmp, mode);
    }
  } catch (e) {
    await Promise.all(temps.map((t) => rm(t.tmp, { force: true })));
    // Directories this run created hold nothing but the temp files just removed.
    for (const d of madeDirs.reverse()) await rm(d, { recursive: true, force: true });
    const failed = files[temps.length - 1] ?? files[0];
    throw inputError('UnwritableFile', `cannot write output (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); no file was written`, { subject: failed?.display, hint: 'check the directory is writable' });
  }
  for (const t of temps) await rename(t.tmp, t.path);
}
