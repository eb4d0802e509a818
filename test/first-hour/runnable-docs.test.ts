// Every ```sh runnable block of README.md and docs/*.md works as written (issue 12): per page, the
// blocks run in order in one `bash -e -o pipefail` session, in a fresh copy of the checkout (its
// tracked files, with node_modules/ and dist/ linked), against a sandbox started by this test
// (`npm run sandbox`'s entry point), with the checkout's bin/ on PATH, KUBECONFIG set (a copy whose
// context namespace is the page's own, so pages do not collide) and `kubectl` being kubectl 1.32. A
// failing block fails the test naming page:line. Pages marked `<!-- runnable: no-sandbox -->` start
// their own servers and run in runnable-docs-no-sandbox.test.ts. The sandbox uses 2048-bit sealing
// keys (--key-size) so key generation does not dominate the run.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { kubectl } from '../support/deploy/kubectl.js';
import { kubectlPath } from '../support/kube/kubectl.js';
import { startSandboxProcess, type SandboxProcess } from '../support/sandbox/process.js';
import { freshCopy, kubectlShim, runnableBlocks, runnablePages, runSession, type Block } from '../support/sandbox/runnable-docs.js';
import { tempDir } from '../support/temp-dir.js';

const all = runnablePages();
const pages = all.filter((p) => !p.noSandbox);

const dir = tempDir('cloak-docs-');
let sandbox: SandboxProcess;
let shim = '';

before(async () => {
  sandbox = await startSandboxProcess({ dir: join(dir, 'sandbox'), home: dir, keySize: 2048 });
  shim = kubectlShim(join(dir, 'shim'), kubectlPath());
});
after(async () => { await sandbox?.stop(); });

/** Runs a page's blocks against the sandbox; resolves with the failing block's page:line, if any. */
async function runPage(page: string, blocks: Block[]): Promise<{ failed?: string; output: string }> {
  const slug = page.replace(/^docs\//, '').replace(/\.md$/, '').toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const work = join(dir, 'pages', slug);
  freshCopy(work);
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
  const env = { ...sandbox.env, KUBECONFIG: kc, HOME: home, KUBECACHEDIR: join(home, '.kube-cache'), PATH: `${shim}:${sandbox.binDir}:${process.env['PATH'] ?? ''}`, NO_COLOR: '1' };
  return runSession(page, blocks, work, env);
}

describe('runnable docs', () => {
  it('finds runnable blocks in the README and the sandbox, provider and external-secrets pages', () => {
    const names = all.map((p) => p.page);
    for (const page of ['README.md', 'docs/sandbox.md', 'docs/sandbox-by-hand.md', 'docs/providers-vault.md', 'docs/providers-aws.md', 'docs/external-secrets.md']) {
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
