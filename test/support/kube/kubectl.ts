// Runs the real kubectl 1.32 binary (beside the gcloud dispatcher) against a test server, for conformance tests.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

let binary: string | undefined;
export function kubectlPath(): string {
  if (binary) return binary;
  if (process.env['CLOAK_KUBECTL']) return (binary = process.env['CLOAK_KUBECTL']);
  const onPath = execFileSync('sh', ['-c', 'command -v kubectl || true'], { encoding: 'utf8' }).trim();
  if (!onPath) throw new Error('kubectl not found: install kubectl 1.32 or set CLOAK_KUBECTL to its path');
  // gcloud's kubectl is a dispatcher; the versioned binary beside it is the real client.
  const versioned = join(dirname(realpathSync(onPath)), 'kubectl.1.32');
  return (binary = existsSync(versioned) ? versioned : onPath);
}

export interface KubectlResult { code: number; stdout: string; stderr: string }

/** A kubectl with its own HOME, KUBECACHEDIR and kubeconfig; dispose() removes them. */
export class Kubectl {
  readonly dir = mkdtempSync(join(tmpdir(), 'cloak-kubectl-'));
  readonly kubeconfig = join(this.dir, 'kubeconfig');

  /** Runs kubectl to completion (killed after timeoutMs, default 60 s, so a hang cannot stall the suite). */
  run(args: string[], o: { input?: string; kubeconfig?: string; timeoutMs?: number } = {}): Promise<KubectlResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(kubectlPath(), args, {
        cwd: this.dir,
        env: { PATH: process.env['PATH'] ?? '', HOME: this.dir, KUBECACHEDIR: join(this.dir, 'cache'), KUBECONFIG: o.kubeconfig ?? this.kubeconfig },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (c: Buffer) => out.push(c));
      child.stderr.on('data', (c: Buffer) => err.push(c));
      const timer = setTimeout(() => child.kill('SIGTERM'), o.timeoutMs ?? 60_000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code: code ?? -1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
      });
      child.stdin.on('error', () => undefined);
      child.stdin.end(o.input ?? '');
    });
  }

  /** Starts a long-running kubectl (get -w); returns the process and its growing stdout. */
  start(args: string[]): { stdout: () => string; stop: () => Promise<void> } {
    const child = spawn(kubectlPath(), args, { cwd: this.dir, env: { PATH: process.env['PATH'] ?? '', HOME: this.dir, KUBECACHEDIR: join(this.dir, 'cache'), KUBECONFIG: this.kubeconfig }, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (c: Buffer) => { text += c.toString('utf8'); });
    child.stderr.on('data', () => undefined);
    const closed = new Promise<void>((r) => child.on('close', () => r()));
    return { stdout: () => text, stop: async () => { child.kill('SIGTERM'); await closed; } };
  }

  dispose(): void { rmSync(this.dir, { recursive: true, force: true }); }
}

/** Polls until check() is truthy (tests must not depend on speed; this only bounds a hang). */
export async function eventually<T>(check: () => T | Promise<T>, what: string, timeoutMs = 20000): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
