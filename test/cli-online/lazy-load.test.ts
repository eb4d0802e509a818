// Offline commands must not load @kubernetes/client-node (it costs most of a second at start-up);
// online commands load it only when they run. A resolve hook in the real binary's process reports it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../support/temp-dir.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const NODE = join(ROOT, 'node_modules/.bin/node');
const hook = `import { registerHooks } from 'node:module';
registerHooks({ resolve(s, c, next) { const r = next(s, c); if (r.url.includes('@kubernetes/client-node')) process.stderr.write('LOADED-KUBE\\n'); return r; } });`;

// bin/cloak runs the esbuild bundle (npm run build); the plain tsc output is its fallback. Check both.
const ENTRIES = ['dist/cli-bundle/bin.js', 'dist/cli/bin.js'].filter((e) => existsSync(join(ROOT, e)));

function cloak(args: string[], env: Record<string, string> = {}, entry = ENTRIES[0]!) {
  const r = spawnSync(NODE, ['--import', `data:text/javascript,${encodeURIComponent(hook)}`, join(ROOT, entry), ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent-home', ...env },
    input: '',
    encoding: 'utf8',
  });
  return { code: r.status, stderr: r.stderr, loaded: r.stderr.includes('LOADED-KUBE') };
}

test('help of every command, and the offline commands, do not load the Kubernetes client', () => {
  for (const entry of ENTRIES) {
    for (const args of [['--help'], ['seal', '--help'], ['validate', '--help'], ['reencrypt', '--help'], ['keys', '--help'], ['unseal', '--help']]) {
      const r = cloak(args, {}, entry);
      assert.equal(r.code, 0, `${entry} ${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.loaded, false, `${entry} ${args.join(' ')} loaded @kubernetes/client-node`);
    }
  }
});

test('an online command loads it when it runs (the hook works)', () => {
  const dir = tempDir('cloak-lazy-');
  const cfg = join(dir, 'kubeconfig');
  writeFileSync(cfg, 'apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters: [{name: c, cluster: {server: "http://127.0.0.1:9", insecure-skip-tls-verify: true}}]\nusers: [{name: u, user: {token: x}}]\ncontexts: [{name: c, context: {cluster: c, user: u}}]\n');
  for (const entry of ENTRIES) {
    const r = cloak(['validate', '--kubeconfig', cfg], {}, entry);
    assert.equal(r.code, 4, r.stderr);
    assert.equal(r.loaded, true, entry);
  }
});
