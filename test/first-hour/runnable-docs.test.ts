// Every ```sh runnable block of README.md and docs/*.md works as written (issue 12): per page, the
// blocks run in order in one `bash -e -o pipefail` session, in a fresh working folder (with a copy of
// keys-example/), against a sandbox started by this test (`npm run sandbox`'s entry point), with the
// checkout's bin/ on PATH, KUBECONFIG set (a copy whose context namespace is the page's own, so pages
// do not collide) and `kubectl` being kubectl 1.32. A failing block fails the test naming page:line.
// The sandbox uses 2048-bit sealing keys (--key-size) so key generation does not dominate the run.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT } from '../support/cloak-cli.js';
import { kubectl } from '../support/deploy/kubectl.js';
import { kubectlPath } from '../support/kube/kubectl.js';
import { startSandboxProcess, type SandboxProcess } from '../support/sandbox/process.js';
import { tempDir } from '../support/temp-dir.js';

interface Block { line: number; text: string }

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

const pages = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)]
  .map((page) => ({ page, blocks: runnableBlocks(readFileSync(join(ROOT, page), 'utf8')) }))
  .filter((p) => p.blocks.length > 0);

const dir = tempDir('cloak-docs-');
let sandbox: SandboxProcess;
let shim = '';

before(async () => {
  sandbox = await startSandboxProcess({ dir: join(dir, 'sandbox'), home: dir, keySize: 2048 });
  shim = join(dir, 'shim');
  mkdirSync(shim);
  symlinkSync(kubectlPath(), join(shim, 'kubectl'));
});
after(async () => { await sandbox?.stop(); });

/** Runs a page's blocks as one bash session; resolves with the failing block's page:line, if any. */
async function runPage(page: string, blocks: Block[]): Promise<{ failed?: string; output: string }> {
  const slug = page.replace(/^docs\//, '').replace(/\.md$/, '').toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const work = join(dir, 'pages', slug);
  mkdirSync(work, { recursive: true });
  cpSync(join(ROOT, 'keys-example'), join(work, 'keys-example'), { recursive: true });
  const home = join(work, '.home');
  mkdirSync(home);
  // The page's own namespace, as the current context's namespace of its own kubeconfig.
  const kc = join(work, '.kubeconfig');
  writeFileSync(kc, readFileSync(sandbox.env['KUBECONFIG']!, 'utf8'));
  const ns = `docs-${slug}`;
  for (const args of [['create', 'namespace', ns], ['config', 'set-context', '--current', `--namespace=${ns}`]]) {
    const r = await kubectl(args, { kubeconfig: kc });
    assert.equal(r.code, 0, r.stderr);
  }
  const failFile = join(work, '.failed-block');
  const script = ['set -eo pipefail', `trap 'rc=$?; [ $rc -eq 0 ] || printf %s "$__block" > ${JSON.stringify(failFile)}' EXIT`]
    .concat(blocks.flatMap((b) => [`__block=${JSON.stringify(`${page}:${b.line}`)}`, b.text]))
    .join('\n') + '\n';
  writeFileSync(join(work, '.session.sh'), script);
  const env = { ...sandbox.env, KUBECONFIG: kc, HOME: home, KUBECACHEDIR: join(home, '.kube-cache'), PATH: `${shim}:${sandbox.binDir}:${process.env['PATH'] ?? ''}`, NO_COLOR: '1' };
  const r = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn('bash', [join(work, '.session.sh')], { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => { output += c.toString('utf8'); });
    child.stderr.on('data', (c: Buffer) => { output += c.toString('utf8'); });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, output }); });
  });
  if (r.code === 0) return { output: r.output };
  let failed = `${page} (killed after 120 s)`;
  try { failed = readFileSync(failFile, 'utf8'); } catch { /* killed: no trap ran */ }
  return { failed, output: r.output };
}

describe('runnable docs', () => {
  it('finds runnable blocks in the README and the sandbox, provider and external-secrets pages', () => {
    const names = pages.map((p) => p.page);
    for (const page of ['README.md', 'docs/sandbox.md', 'docs/providers-vault.md', 'docs/providers-aws.md', 'docs/external-secrets.md']) {
      assert.ok(names.includes(page), `${page} has no \`\`\`sh runnable block`);
    }
  });

  it('reports an unterminated block', () => {
    assert.throws(() => runnableBlocks('x\n```sh runnable\necho hi\n'), /line 2: unterminated/);
    assert.deepEqual(runnableBlocks('a\n```sh runnable\necho 1\necho 2\n```\n```sh\nno\n```\n'), [{ line: 2, text: 'echo 1\necho 2' }]);
  });

  it('names the failing block as page:line, and later blocks do not run', async () => {
    const r = await runPage('docs/self-check.md', [
      { line: 3, text: 'x=1' },
      { line: 9, text: 'echo "x is $x"\nkubectl get namespace no-such-namespace' },
      { line: 20, text: 'touch ran-too-far' },
    ]);
    assert.equal(r.failed, 'docs/self-check.md:9');
    assert.match(r.output, /x is 1\n[^]*namespaces "no-such-namespace" not found/);
    assert.ok(!existsSync(join(dir, 'pages', 'self-check', 'ran-too-far')));
  });

  for (const { page, blocks } of pages) {
    it(`${page}: ${blocks.length} runnable block(s) succeed in order`, async () => {
      const r = await runPage(page, blocks);
      assert.equal(r.failed, undefined, `block at ${r.failed} failed:\n${r.output.split('\n').slice(-25).join('\n')}`);
      assert.doesNotMatch(r.output, /\n\s+at .*\(.*:\d+:\d+\)/, `${page}: a stack trace was printed:\n${r.output}`);
    });
  }
});
