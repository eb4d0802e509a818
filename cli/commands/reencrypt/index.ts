// `cloak reencrypt`: wiring only; the work loads when the command runs.
// Online (default): the controller's /v1/rotate. Offline (--key): local keys and --cert NEW.
import type { Command } from 'commander';
import { usageError } from '../../../src/errors.js';
import type { CliIo } from '../../io.js';
import { addClusterOptions, clusterFlags } from '../keys-online/cluster-options.js';

export function register(program: Command, io: CliIo): void {
  addClusterOptions(
    program
      .command('reencrypt')
      .description('re-seal SealedSecrets with a new key, editing files in place and keeping comments and layout: online with the controller\'s newest key (via /v1/rotate), or offline with --key OLD --cert NEW')
      .argument('[paths...]', 'SealedSecret files or directories (walked recursively) to edit in place, or - for stdin to stdout')
      .option('-f, --file <path...>', 'SealedSecret files or directories to edit in place (default: stdin to stdout)')
      .option('--key <file>', 'offline: private key that sealed the items: PEM, a key Secret, or a v1 List backup (repeatable, or comma-separated)', (v: string, prev: string[] = []) => [...prev, ...v.split(',').filter(Boolean)])
      .option('--cert <file|url>', 'offline: the new sealing certificate (default: $CLOAK_CERT, $SEALED_SECRETS_CERT)')
      .option('--dry-run', 'offline: list what would change and write nothing'),
  ).action(async (paths: string[], opts: Record<string, unknown>) => {
    const all = [...paths, ...((opts.file as string[] | undefined) ?? [])];
    const keys = (opts.key as string[] | undefined) ?? [];
    if (keys.length > 0) {
      const { reencryptOffline } = await import('./offline.js');
      await reencryptOffline({ paths: all, keys, ...(typeof opts.cert === 'string' ? { cert: opts.cert } : {}), dryRun: opts.dryRun === true }, io);
      return;
    }
    if (opts.cert !== undefined || opts.dryRun) {
      throw usageError('OfflineFlags', '--cert and --dry-run are for offline re-encryption and need --key', { hint: 'pass --key FILE (the old private key or a key backup), or drop them to use the controller' });
    }
    const { reencryptCommand } = await import('./run.js');
    await reencryptCommand({ ...clusterFlags(opts, io.env), files: all.filter((p) => p !== '-') }, io);
  });
}
