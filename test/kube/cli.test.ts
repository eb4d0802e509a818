// `npm run dev-cluster` (dist/test/support/kube/cli.js): starts, prints where it listens, writes a
// kubeconfig kubectl accepts, installs --crds, and stops on SIGTERM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Kubectl } from '../support/kube/index.js';

const CLI = fileURLToPath(new URL('../support/kube/cli.js', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../../../test/kube/fixtures/', import.meta.url));

test('dev-cluster serves kubectl with the kubeconfig it wrote', async () => {
  const k = new Kubectl();
  const child = spawn(process.execPath, [CLI, '--port', '0', '--kubeconfig', k.kubeconfig, '--crds', FIXTURES], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => { out += c.toString(); if (out.includes('\n')) resolve(out.split('\n')[0]!); });
      child.on('exit', (code) => reject(new Error(`exited ${code}`)));
    });
    assert.match(line, /^listening on http:\/\/127\.0\.0\.1:\d+$/);
    await new Promise((r) => setTimeout(r, 50));
    const r = await k.run(['get', 'crd', '-o', 'name']);
    assert.equal(r.stdout, 'customresourcedefinition.apiextensions.k8s.io/widgets.example.com\n', r.stderr);
    const ns = await k.run(['get', 'ns', 'kube-system', '-o', 'jsonpath={.status.phase}']);
    assert.equal(ns.stdout, 'Active');
  } finally {
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGTERM');
    await exited;
    k.dispose();
  }
});
