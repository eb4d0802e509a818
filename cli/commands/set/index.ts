// `cloak set FILE KEY`: wiring only; the work loads when the command runs.
import type { Command } from 'commander';
import type { CliIo } from '../../io.js';
import { addClusterOptions, clusterFlags } from '../keys-online/cluster-options.js';

export function register(program: Command, io: CliIo): void {
  addClusterOptions(
    program
      .command('set')
      .description('seal one item into an existing SealedSecret file, in place, for the scope it already has (the other items stay as they are)')
      .argument('<file>', 'the SealedSecret file to edit')
      .argument('<key>', 'the item (Secret data key) to add or replace')
      .option('--from-literal <value>', 'the item\'s value')
      .option('--from-file <file>', 'read the item\'s value from this file (bytes as they are)')
      .option('--cert <file|url>', 'sealing certificate (default: $CLOAK_CERT, $SEALED_SECRETS_CERT, else fetched from the controller)')
      .option('--timeout <duration>', 'deadline for each network fetch, e.g. 30s, 2m (default: $CLOAK_TIMEOUT, else 30s)'),
  ).action(async (file: string, key: string, opts: Record<string, unknown>) => {
    const [{ runSet }, { withTimeoutFlag }] = await Promise.all([import('./run.js'), import('../../shared/net-limits.js')]);
    await runSet(withTimeoutFlag(io, opts.timeout as string | undefined), file, key, {
      ...clusterFlags(opts, io.env),
      ...(typeof opts.fromLiteral === 'string' ? { fromLiteral: opts.fromLiteral } : {}),
      ...(typeof opts.fromFile === 'string' ? { fromFile: opts.fromFile } : {}),
      ...(typeof opts.cert === 'string' ? { cert: opts.cert } : {}),
    });
  });
}
