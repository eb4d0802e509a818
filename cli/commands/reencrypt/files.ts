// Expanding -f arguments: files as given, directories walked for *.yaml/*.yml/*.json (hidden folders
// and node_modules skipped), in a stable order.
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { inputError } from '../../../src/errors.js';

export interface InputFile {
  /** As the user should see it (relative paths stay relative). */
  display: string;
  path: string;
  /** Found by walking a directory (files without SealedSecrets are then skipped silently). */
  walked: boolean;
}

export async function expandInputs(args: string[], cwd: string): Promise<InputFile[]> {
  const out: InputFile[] = [];
  for (const a of args) {
    const path = resolve(cwd, a);
    const st = await stat(path).catch((e: NodeJS.ErrnoException) => {
      throw inputError('FileNotFound', e.code === 'ENOENT' ? 'no such file or directory' : `cannot read: ${e.code ?? e.message}`, { subject: a, hint: 'check the path given with -f' });
    });
    if (st.isDirectory()) await walk(a, path, out);
    else out.push({ display: a, path, walked: false });
  }
  return out;
}

async function walk(display: string, path: string, out: InputFile[]): Promise<void> {
  const entries = (await readdir(path, { withFileTypes: true })).sort((x, y) => x.name.localeCompare(y.name));
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const d = join(display, e.name);
    const p = join(path, e.name);
    if (e.isDirectory()) await walk(d, p, out);
    else if (e.isFile() && /\.(ya?ml|json)$/i.test(e.name)) out.push({ display: d, path: p, walked: true });
  }
}
