// Runs the CLI in-process (cli/main.ts `run`) with the online `keys` subcommands mounted, whether or
// not the lead's `keys` command has wired them yet. Output is collected as strings.
import { Readable } from 'node:stream';
import type { Command } from 'commander';
import { commandModules } from '../../../cli/commands.js';
import { registerOnlineKeyCommands } from '../../../cli/commands/keys-online/index.js';
import { run, type CliIo } from '../../../cli/main.js';

let mounted = false;
function mountKeys(): void {
  if (mounted) return;
  mounted = true;
  commandModules.push({
    name: 'keys',
    load: async () => ({
      register: (program: Command, io: CliIo) => {
        const keys = program.commands.find((c) => c.name() === 'keys') ?? program.command('keys').description('key management');
        if (!keys.commands.some((c) => c.name() === 'list')) registerOnlineKeyCommands(keys, io);
      },
    }),
  });
}

export interface RunResult { code: number; stdout: string; stderr: string }

export async function runCli(argv: string[], o: { env?: Record<string, string | undefined>; cwd?: string; input?: string } = {}): Promise<RunResult> {
  mountKeys();
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
