// `cloak reencrypt`: wiring only; the work loads when the command runs.
import type { Command } from 'commander';
import type { CliIo } from '../../io.js';
import { addClusterOptions, clusterFlags } from '../keys-online/cluster-options.js';

export function register(program: Command, io: CliIo): void {
  addClusterOptions(
    program
      .command('reencrypt')
      .description('re-seal SealedSecrets with the controller\'s newest key (via /v1/rotate), editing files in place and keeping comments and layout')
      .option('-f, --file <path...>', 'SealedSecret files or directories to edit in place (default: stdin to stdout)'),
  ).action(async (opts: Record<string, unknown>) => {
    const { reencryptCommand } = await import('./run.js');
    await reencryptCommand({ ...clusterFlags(opts, io.env), files: (opts.file as string[] | undefined) ?? [] }, io);
  });
}
