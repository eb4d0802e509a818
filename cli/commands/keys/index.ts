import type { Command } from 'commander';
import type { CliIo } from '../../io.js';
import { registerOnlineKeyCommands } from '../keys-online/index.js';

export interface GenerateFlags { out: string; namespace: string; bits: string; cn?: string; validityDays: string; force?: boolean }

export function register(program: Command, io: CliIo): void {
  const keys = program.command('keys').description('manage sealing keys');
  keys
    .command('generate')
    .description('create a key pair in Bitnami\'s format, plus a ready-to-apply key Secret manifest')
    .requiredOption('--out <dir>', 'directory for tls.key, tls.crt and key-secret.yaml')
    .option('-n, --namespace <ns>', 'controller namespace for the key Secret', 'kube-system')
    .option('--bits <n>', 'RSA key size', '4096')
    .option('--cn <name>', 'certificate common name (default: empty, like Bitnami)')
    .option('--validity-days <n>', 'certificate validity', '3650')
    .option('--force', 'overwrite existing files')
    .action(async (flags: GenerateFlags) => {
      const { runGenerate } = await import('./generate.js');
      await runGenerate(io, flags);
    });
  registerOnlineKeyCommands(keys, io);
}
