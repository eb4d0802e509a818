// Expanding -f arguments: files as given, directories walked for *.yaml/*.yml/*.json (hidden folders
// and node_modules skipped), in a stable order.
import { readFile, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { inputError } from '../../../src/errors.js';

export interface InputFile {
  /** As the user should see it (relative paths stay relative). */
  display: string;
  path: string;
  /** Found by walking a directory (files without SealedSecrets are then skipped silently). */
  walked: boolean;
}

/** What a directory walk passed over: symbolic links are never followed (nothing outside the tree is read or written). */
export interface WalkStats {
  symlinks: number;
  /** Temp files of an atomic write that was killed (`.NAME.<12 hex>.tmp` beside NAME), for the user to remove. */
  leftovers?: string[];
}

const LEFTOVER = /^\.(.+)\.[0-9a-f]{12}\.tmp$/;

export async function expandInputs(args: string[], cwd: string, stats: WalkStats = { symlinks: 0 }): Promise<InputFile[]> {
  const out: InputFile[] = [];
  for (const a of args) {
    const path = resolve(cwd, a);
    const st = await stat(path).catch((e: NodeJS.ErrnoException) => {
      throw inputError('FileNotFound', e.code === 'ENOENT' ? 'no such file or directory' : `cannot read: ${e.code ?? e.message}`, { subject: a, hint: 'check the path given with -f' });
    });
    if (st.isDirectory()) await walk(a, path, out, stats);
    else out.push({ display: a, path, walked: false });
  }
  return out;
}

async function walk(display: string, path: string, out: InputFile[], stats: WalkStats): Promise<void> {
  const entries = (await readdir(path, { withFileTypes: true })).sort((x, y) => x.name.localeCompare(y.name));
  for (const e of entries) {
    if (e.isFile() && LEFTOVER.test(e.name)) stats.leftovers?.push(join(display, e.name));
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const d = join(display, e.name);
    const p = join(path, e.name);
    if (e.isSymbolicLink()) stats.symlinks++;
    else if (e.isDirectory()) await walk(d, p, out, stats);
    else if (e.isFile() && /\.(ya?ml|json)$/i.test(e.name)) out.push({ display: d, path: p, walked: true });
  }
}

/**
 * Checked before contacting the cluster, the same way by `validate` and `reencrypt`: a file named with
 * -f must hold a SealedSecret, and the inputs together must hold at least one (an empty directory or
 * one of plain Secrets is a mistake, not a success). Unreadable or malformed files are left for the
 * command to report.
 */
export async function requireSealedSecrets(inputs: InputFile[], args: string[]): Promise<void> {
  const { readDocuments } = await import('../../../src/manifests/index.js');
  const { isSealedSecret } = await import('./reencrypt-text.js');
  const hint = 'pass files or directories containing kind: SealedSecret; `cloak seal` makes one from a Secret';
  let found = false;
  for (const f of inputs) {
    let has: boolean;
    try {
      const text = await readFile(f.path, 'utf8');
      has = text.includes('SealedSecret') && readDocuments(text, f.display).some((d) => isSealedSecret(d.object));
    } catch {
      found = true; // reported by the command itself
      continue;
    }
    if (has) found = true;
    else if (!f.walked) throw inputError('NoSealedSecrets', 'no SealedSecret documents in this file', { subject: f.display, hint });
  }
  if (!found) throw inputError('NoSealedSecrets', `no SealedSecret documents found under ${args.join(', ')}`, { hint });
}
