// Starts `npm run sandbox` (or the sandbox entry point directly) as a user would, waits for its
// "sandbox is up" banner and reads the environment it prints, for tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../deploy/render.js';

export interface SandboxProcess {
  child: ChildProcess;
  /** The sandbox's folder (kubeconfig, env.sh). */
  dir: string;
  env: Record<string, string>;
  /** PATH entry the banner adds (the checkout's bin/). */
  binDir: string;
  controllerPid: number;
  output(): string;
  /** SIGTERM (or the given signal) to the process started, then waits for it to exit. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** `dir` is passed as --dir; without it the sandbox picks (and on exit removes) a temporary folder. */
export async function startSandboxProcess(o: { dir?: string; home: string; viaNpm?: boolean; keySize?: number; timeoutMs?: number }): Promise<SandboxProcess> {
  const dirArgs = [...(o.dir ? ['--dir', o.dir] : []), ...(o.keySize ? ['--key-size', String(o.keySize)] : [])];
  const args = o.viaNpm ? ['run', '--silent', 'sandbox', '--', ...dirArgs] : [join(ROOT, 'dist/test/support/sandbox/main.js'), ...dirArgs];
  const cmd = o.viaNpm ? 'npm' : join(ROOT, 'node_modules/.bin/node');
  const child = spawn(cmd, args, { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', HOME: o.home }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => { out += c.toString('utf8'); });
  child.stderr!.on('data', (c: Buffer) => { out += c.toString('utf8'); });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the sandbox did not come up within ${(o.timeoutMs ?? 90_000) / 1000} s:\n${out}`)), o.timeoutMs ?? 90_000);
    const check = (): void => { if (out.includes('# Ctrl-C here stops everything.')) { clearTimeout(timer); resolve(); } };
    child.stdout!.on('data', check);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`the sandbox exited (${code}) before it was up:\n${out}`)); });
  });
  const dir = o.dir ?? /\(or: \. (.+)\/env\.sh\)/.exec(out)?.[1] ?? '';
  const env: Record<string, string> = {};
  let binDir = '';
  for (const line of readFileSync(join(dir, 'env.sh'), 'utf8').split('\n')) {
    const m = /^export ([A-Z_]+)=(.*)$/.exec(line);
    if (!m) continue;
    if (m[1] === 'PATH') binDir = m[2]!.replace(/:"\$PATH"$/, '').replace(/^'|'$/g, '');
    else env[m[1]!] = m[2]!.replace(/^'|'$/g, '');
  }
  const pid = Number(/cloak-controller \(pid (\d+)\)/.exec(out)?.[1]);
  return {
    child, dir, env, binDir, controllerPid: pid,
    output: () => out,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Whether a process with this pid exists. */
export function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}
