// The online `cloak keys` subcommands (list, rotate, backup, retire). The lead's `keys` command mounts
// them with registerOnlineKeyCommands(keysCmd, io); the work is imported only when one runs.
import type { Command } from 'commander';
import { usageError } from '../../../src/errors.js';
import type { CliIo } from '../../io.js';
import { addClusterOptions, clusterFlags } from './cluster-options.js';

export { fetchCertificate, fetchCertificateFrom, fetchControllerCertificate, type FetchCertificateOptions } from './fetch-cert.js';
export { validateSealedSecretsText, reencryptSealedSecretsText } from './kubeseal-online.js';
export { addClusterOptions, clusterFlags, connectController, type ClusterFlags } from './cluster-options.js';

export function registerOnlineKeyCommands(keys: Command, io: CliIo): void {
  addClusterOptions(
    keys
      .command('list')
      .description('list the controller\'s keys: fingerprint, created, active/newest, and how many SealedSecrets each still decrypts')
      .option('-o, --output <format>', 'table or json', 'table'),
  ).action(async (opts: Record<string, unknown>) => {
    const format = String(opts.output);
    if (format !== 'table' && format !== 'json') {
      throw usageError('BadFormat', `unsupported output format "${format}"`, { subject: '--output', hint: 'use table or json' });
    }
    const { listKeys } = await import('./list.js');
    await listKeys({ ...clusterFlags(opts, io.env), format }, io);
  });

  addClusterOptions(
    keys
      .command('rotate')
      .description('ask the controller for a new sealing key now (the private key never leaves the cluster)'),
  ).action(async (opts: Record<string, unknown>) => {
    const { rotateKey } = await import('./rotate.js');
    await rotateKey(clusterFlags(opts, io.env), io);
  });

  addClusterOptions(
    keys
      .command('backup')
      .description('write the controller\'s private key Secrets to a file as a v1 List (keep it offline and encrypted)')
      .requiredOption('-o, --output <file>', 'file to write (mode 0600); `-` writes to stdout'),
  ).action(async (opts: Record<string, unknown>) => {
    const { backupKeys } = await import('./backup.js');
    await backupKeys({ ...clusterFlags(opts, io.env), output: String(opts.output) }, io);
  });

  addClusterOptions(
    keys
      .command('retire')
      .description('stop using a key; refused while any SealedSecret in the cluster still needs it')
      .argument('<fingerprint>', 'the key fingerprint (SHA256:…) as `cloak keys list` prints it')
      .option('--force', 'retire even if SealedSecrets still need the key (they will stop unsealing)', false),
  ).action(async (fingerprint: string, opts: Record<string, unknown>) => {
    const { retireKey } = await import('./retire.js');
    await retireKey({ ...clusterFlags(opts, io.env), fingerprint, force: opts.force === true }, io);
  });
}
