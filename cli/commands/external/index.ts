import type { Command } from 'commander';
import type { CliIo } from '../../io.js';

export interface ExternalGetFlags {
  file?: string;
  store?: string[];
  secret?: string[];
  namespace?: string;
  reveal?: boolean;
  output?: string;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function register(program: Command, io: CliIo): void {
  const external = program
    .command('external')
    .description('ExternalSecrets (external-secrets.io): resolve against stores offline');
  external
    .command('get')
    .description('resolve an ExternalSecret against its SecretStore/ClusterSecretStore and print the Secret that would be written (values masked unless --reveal)')
    .option('-f, --file <file>', 'the ExternalSecret, YAML or JSON (default: stdin)')
    .option('--store <file>', 'SecretStore/ClusterSecretStore manifest(s) (repeatable; optional when -f holds the store)', collect)
    .option('--secret <file>', 'Secrets/ConfigMaps holding store credentials or template sources (repeatable)', collect)
    .option('-n, --namespace <ns>', 'namespace of the ExternalSecret when its manifest has none')
    .option('--reveal', 'print the real values instead of masking them')
    .option('-o, --output <format>', 'yaml or json (default yaml)')
    .action(async (flags: ExternalGetFlags) => {
      const { runExternalGet } = await import('./get.js');
      await runExternalGet(io, flags);
    });
}
