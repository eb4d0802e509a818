import type { Command } from 'commander';
import type { CliIo } from '../../io.js';

export interface UnsealFlags { key?: string[]; file?: string; output?: string; write?: string }

export function register(program: Command, io: CliIo): void {
  program
    .command('unseal')
    .description('decrypt SealedSecrets offline with private keys (recovery); prints the Secret(s) the controller would create')
    .option('--key <file>', 'private key: PEM, a key Secret, or a v1 List backup (repeatable, or comma-separated)', (v: string, prev: string[] = []) => [...prev, ...v.split(',').filter(Boolean)])
    .option('-f, --file <file>', 'SealedSecret(s), YAML stream or JSON (default: stdin)')
    .option('-o, --output <format>', 'yaml or json (default yaml)')
    .option('-w, --write <file>', 'write to this file atomically instead of stdout')
    .action(async (flags: UnsealFlags) => {
      const { runUnseal } = await import('./run.js');
      await runUnseal(io, flags);
    });
}
