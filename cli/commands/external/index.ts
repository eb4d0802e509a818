import type { Command } from 'commander';
import { usageError } from '../../../src/errors.js';
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
    .description('ExternalSecrets (external-secrets.io): resolve against stores offline, show status in a cluster');
  external
    .command('get')
    .description('resolve an ExternalSecret against its SecretStore/ClusterSecretStore and print the Secret that would be written (values masked unless --reveal)')
    .option('-f, --file <file>', 'the ExternalSecret, YAML or JSON (default: stdin)')
    .option('--store <file>', 'SecretStore/ClusterSecretStore manifest(s) (repeatable; optional when -f holds the store)', collect)
    .option('--secret <file>', 'Secrets/ConfigMaps holding store credentials or template sources (repeatable)', collect)
    .option('-n, --namespace <ns>', 'namespace of the ExternalSecret when its manifest has none')
    .option('--reveal', 'print the real values instead of masking them')
    .option('-o, --output <format>', 'yaml or json (default yaml)')
    .option('--timeout <duration>', 'deadline for each provider request, e.g. 30s, 2m (default: $CLOAK_TIMEOUT, else 30s)')
    .action(async (flags: ExternalGetFlags & { timeout?: string }) => {
      const [{ runExternalGet }, { withTimeoutFlag }] = await Promise.all([import('./get.js'), import('../../shared/net-limits.js')]);
      await runExternalGet(withTimeoutFlag(io, flags.timeout), flags);
    });
  external
    .command('status')
    .description('list ExternalSecrets in the cluster with store, refresh interval, Ready status, last sync and the error (over kubeconfig)')
    .option('-n, --namespace <ns>', 'namespace (default: the context namespace, else default)')
    .option('-A, --all-namespaces', 'list ExternalSecrets in every namespace')
    .option('-o, --output <format>', 'table or json', 'table')
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use (default: the current context)')
    .action(async (opts: Record<string, unknown>) => {
      const format = String(opts.output);
      if (format !== 'table' && format !== 'json') {
        throw usageError('BadFormat', `unsupported output format "${format}"`, { subject: '--output', hint: 'use table or json' });
      }
      const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);
      if (opts.allNamespaces === true && str(opts.namespace)) {
        throw usageError('BadFlags', '-n and -A cannot be used together', { subject: '--all-namespaces', hint: 'pass one of them' });
      }
      const { externalStatus } = await import('./status.js');
      await externalStatus(io, {
        namespace: str(opts.namespace), allNamespaces: opts.allNamespaces === true, format,
        kubeconfig: str(opts.kubeconfig), context: str(opts.context),
      });
    });
}
