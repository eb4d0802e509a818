// Runs the shipped CLI in-process (cli/main.ts `run`, the same command table bin/cloak uses: no
// test-only commands are mounted, so a command that loses its subcommands fails these tests).
// Output is collected as strings.
import { Readable } from 'node:stream';
import { run, type CliIo } from '../../../cli/main.js';

export interface RunResult { code: number; stdout: string; stderr: string }

export async function runCli(argv: string[], o: { env?: Record<string, string | undefined>; cwd?: string; input?: string } = {}): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdin: Readable.from([Buffer.from(o.input ?? '')]),
    stdout: (c) => { stdout += typeof c === 'string' ? c : Buffer.from(c).toString('utf8'); },
    stderr: (c) => { stderr += c; },
    env: { PATH: process.env.PATH, HOME: '/nonexistent-home', ...o.env },
    cwd: o.cwd ?? process.cwd(),
    stdinIsTTY: false,
  };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}
