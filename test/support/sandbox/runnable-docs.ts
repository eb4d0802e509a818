// The runnable-docs convention: a fenced block whose info string is exactly `sh runnable` is run, in
// order per page, as one `bash -e -o pipefail` session in a fresh copy of the checkout. A page that
// starts its own servers (and so needs no sandbox) says so with the line `<!-- runnable: no-sandbox -->`.
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT } from '../deploy/render.js';

export interface Block { line: number; text: string }
export interface Page { page: string; blocks: Block[]; noSandbox: boolean }

/** The ```sh runnable blocks of a Markdown page, with the line of their opening fence. */
export function runnableBlocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```sh runnable\s*$/.test(lines[i]!)) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
    if (i >= lines.length) throw new Error(`line ${start + 1}: unterminated \`\`\`sh runnable block`);
    out.push({ line: start + 1, text: body.join('\n') });
  }
  return out;
}

/** README.md and docs/*.md pages that have runnable blocks. */
export function runnablePages(): Page[] {
  return ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)]
    .map((page) => {
      const text = readFileSync(join(ROOT, page), 'utf8');
      return { page, blocks: runnableBlocks(text), noSandbox: /^<!-- runnable: no-sandbox -->$/m.test(text) };
    })
    .filter((p) => p.blocks.length > 0);
}

/** The checkout's tracked files (as they are in the working tree), with node_modules/ and dist/ linked. */
export function freshCopy(dest: string): void {
  for (const file of execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean)) {
    if (!existsSync(join(ROOT, file))) continue; // deleted in the working tree
    mkdirSync(dirname(join(dest, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(dest, file));
  }
  mkdirSync(dest, { recursive: true });
  for (const d of ['node_modules', 'dist']) symlinkSync(join(ROOT, d), join(dest, d));
}

/** A folder with `kubectl` → kubectl 1.32, to put first on PATH. */
export function kubectlShim(dir: string, kubectl: string): string {
  mkdirSync(dir, { recursive: true });
  symlinkSync(kubectl, join(dir, 'kubectl'));
  return dir;
}

/**
 * Runs the blocks as one bash session in `work` (its own process group, so anything a page leaves
 * running in the background is stopped afterwards); resolves with the failing block's page:line.
 */
export async function runSession(page: string, blocks: Block[], work: string, env: Record<string, string>, timeoutMs = 120_000): Promise<{ failed?: string; output: string }> {
  const failFile = join(work, '.failed-block');
  const script = ['set -eo pipefail', `trap 'rc=$?; [ $rc -eq 0 ] || printf %s "$__block" > ${JSON.stringify(failFile)}' EXIT`]
    .concat(blocks.flatMap((b) => [`__block=${JSON.stringify(`${page}:${b.line}`)}`, b.text]))
    .join('\n') + '\n';
  writeFileSync(join(work, '.session.sh'), script);
  const r = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn('bash', [join(work, '.session.sh')], { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout.on('data', (c: Buffer) => { output += c.toString('utf8'); });
    child.stderr.on('data', (c: Buffer) => { output += c.toString('utf8'); });
    const timer = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      try { process.kill(-child.pid!, 'SIGTERM'); } catch { /* the group is already gone */ }
      resolve({ code, output });
    });
  });
  if (r.code === 0) return { output: r.output };
  let failed = `${page} (killed after ${timeoutMs / 1000} s)`;
  try { failed = readFileSync(failFile, 'utf8'); } catch { /* killed: no trap ran */ }
  return { failed, output: r.output };
}
