// Runs the real `bin/cloak` binary, as a user would, and collects what it printed.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const CLOAK_BIN = `${ROOT}bin/cloak`;
/** Vendored inputs: Bitnami interop vectors (test/fixtures/interop) and ESO's examples (test/fixtures/eso-examples). */
export const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/', import.meta.url));

export interface CliResult { code: number; stdout: string; stderr: string; stdoutBytes: Buffer }

export function runCloak(args: string[], o: { input?: string | Buffer; env?: Record<string, string>; cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(CLOAK_BIN, args, {
      cwd: o.cwd ?? ROOT,
      // A kubeconfig that does not exist: the context namespace is then `default`, as for kubectl.
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', KUBECONFIG: '/nonexistent/kubeconfig', ...o.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      const stdoutBytes = Buffer.concat(out);
      resolve({ code: code ?? -1, stdout: stdoutBytes.toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), stdoutBytes });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(o.input ?? '');
  });
}
