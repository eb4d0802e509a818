// kubectl 1.32 as a child process (async: the test API server lives in this process's event loop),
// with a fresh discovery cache per call so ephemeral ports never see a stale cache.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubectlPath } from '../kube/kubectl.js';

export interface ExecResult { code: number; stdout: string; stderr: string }

export function kubectl(args: string[], o: { kubeconfig: string; input?: string }): Promise<ExecResult> {
  const cache = mkdtempSync(join(tmpdir(), 'cloak-kubectl-'));
  return new Promise((resolve, reject) => {
    const child = spawn(kubectlPath(), args, {
      env: { PATH: process.env.PATH ?? '', HOME: cache, KUBECACHEDIR: cache, KUBECONFIG: o.kubeconfig },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString('utf8'); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString('utf8'); });
    child.on('error', (e) => { rmSync(cache, { recursive: true, force: true }); reject(e); });
    child.on('close', (code) => {
      rmSync(cache, { recursive: true, force: true });
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(o.input ?? '');
  });
}
