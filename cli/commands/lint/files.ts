// Which files `cloak lint` reads: named files as given, directories walked for *.yaml, *.yml,
// *.json and kustomize's `Kustomization`, minus hidden folders, node_modules, symlinks and what
// `.cloaklintignore` (in each scanned root) and --ignore exclude.
import { readFile, readdir, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { usageError } from '../../../src/errors.js';
import { IgnoreList } from '../../../src/lint/ignore.js';

export interface LintInput { display: string; path: string }

const MANIFEST = /\.(ya?ml|json)$/i;

export async function lintInputs(args: string[], cwd: string, ignoreGlobs: string[]): Promise<{ files: LintInput[]; ignored: number }> {
  const files: LintInput[] = [];
  let ignored = 0;
  const lists = new Map<string, IgnoreList>();
  const listFor = async (root: string): Promise<IgnoreList> => {
    let l = lists.get(root);
    if (!l) {
      const text = await readFile(join(root, '.cloaklintignore'), 'utf8').catch(() => '');
      l = new IgnoreList().add(text.split('\n')).add(ignoreGlobs);
      lists.set(root, l);
    }
    return l;
  };
  for (const a of args.length > 0 ? args : ['.']) {
    const path = resolve(cwd, a);
    const st = await stat(path).catch((e: NodeJS.ErrnoException) => {
      throw usageError('FileNotFound', e.code === 'ENOENT' ? 'no such file or directory' : `cannot read: ${e.code ?? e.message}`, { subject: a, hint: 'pass the files or directories to lint' });
    });
    if (st.isDirectory()) {
      const ignore = await listFor(path);
      const walk = async (dir: string, display: string): Promise<void> => {
        const entries = (await readdir(dir, { withFileTypes: true })).sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
        for (const e of entries) {
          if (e.isSymbolicLink() || e.name === 'node_modules' || (e.isDirectory() && e.name.startsWith('.'))) continue;
          const p = join(dir, e.name);
          const rel = relative(path, p).split(sep).join('/');
          if (e.isDirectory()) {
            if (ignore.ignores(rel, true)) continue;
            await walk(p, join(display, e.name));
          } else if (e.isFile() && (MANIFEST.test(e.name) || e.name === 'Kustomization')) {
            if (ignore.ignores(rel, false)) { ignored++; continue; }
            files.push({ display: join(display, e.name), path: p });
          }
        }
      };
      await walk(path, a === '.' ? '' : a);
    } else {
      const rel = relative(cwd, path);
      const inside = !rel.startsWith('..') && !rel.startsWith(sep);
      if (inside && (await listFor(cwd)).ignores(rel.split(sep).join('/'), false)) { ignored++; continue; }
      if (!inside && new IgnoreList().add(ignoreGlobs).ignores(a.split(sep).join('/'), false)) { ignored++; continue; }
      files.push({ display: a, path });
    }
  }
  if (files.length === 0 && ignored === 0) {
    throw usageError('NothingToLint', `no YAML or JSON files found in ${args.length > 0 ? args.join(', ') : '.'}`, { hint: 'pass the directories or files that hold your manifests' });
  }
  return { files, ignored };
}
