// `cloak validate`: wiring only; the work loads when the command runs.
import type { Command } from 'commander';
import type { CliIo } from '../../io.js';
import { addClusterOptions, clusterFlags } from '../keys-online/cluster-options.js';

export function register(program: Command, io: CliIo): void {
  addClusterOptions(
    program
      .command('validate')
      .description('check with the controller (via /v1/verify) that it can decrypt each SealedSecret')
      .option('-f, --file <path...>', 'SealedSecret files or directories (default: stdin)'),
  ).action(async (opts: Record<string, unknown>) => {
    const { validateCommand } = await import('./run.js');
    await validateCommand({ ...clusterFlags(opts, io.env), files: (opts.file as string[] | undefined) ?? [] }, io);
  });
}
