// The ```sh runnable blocks of pages marked `<!-- runnable: no-sandbox -->` (they start their own API
// server and controller, e.g. docs/sandbox-by-hand.md), run as in runnable-docs.test.ts but without a
// sandbox: a fresh copy of the checkout as the working folder, no KUBECONFIG, `kubectl` = kubectl 1.32.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../support/cloak-cli.js';
import { kubectlPath } from '../support/kube/kubectl.js';
import { freshCopy, kubectlShim, runnablePages, runSession } from '../support/sandbox/runnable-docs.js';
import { tempDir } from '../support/temp-dir.js';

const pages = runnablePages().filter((p) => p.noSandbox);
const dir = tempDir('cloak-docs-own-');

describe('runnable docs that start their own servers', () => {
  it('docs/sandbox-by-hand.md is one of them', () => {
    assert.ok(pages.some((p) => p.page === 'docs/sandbox-by-hand.md'));
  });

  for (const { page, blocks } of pages) {
    it(`${page}: ${blocks.length} runnable block(s) succeed in order`, async () => {
      const work = join(dir, page.replace(/[^a-z0-9]+/gi, '-'));
      freshCopy(work);
      const home = join(work, '.home');
      mkdirSync(home);
      const shim = kubectlShim(join(dir, 'shim-' + page.replace(/[^a-z0-9]+/gi, '-')), kubectlPath());
      const r = await runSession(page, blocks, work, { HOME: home, KUBECACHEDIR: join(home, '.kube-cache'), PATH: `${shim}:${join(ROOT, 'bin')}:${process.env['PATH'] ?? ''}`, NO_COLOR: '1' });
      assert.equal(r.failed, undefined, `block at ${r.failed} failed:\n${r.output.split('\n').slice(-25).join('\n')}`);
      assert.doesNotMatch(r.output, /\n\s+at .*\(.*:\d+:\d+\)/, `${page}: a stack trace was printed:\n${r.output}`);
    });
  }
});
