import type { Command } from 'commander';
import type { CliIo } from '../../io.js';

export interface CertFlags { fetch?: boolean; kubeconfig?: string; context?: string; controllerName?: string; controllerNamespace?: string; timeout?: string }

export function register(program: Command, io: CliIo): void {
  program
    .command('cert')
    .description('describe a sealing certificate (fingerprint, key size, validity), or print the controller\'s with --fetch')
    .argument('[file|url]', 'certificate file or URL (default: $CLOAK_CERT, $SEALED_SECRETS_CERT)')
    .option('--fetch', 'print the controller\'s current certificate (PEM) fetched through the API server')
    .option('--kubeconfig <file>', 'kubeconfig to use with --fetch')
    .option('--context <name>', 'kubeconfig context')
    .option('--controller-name <name>', 'controller Service name')
    .option('--timeout <duration>', 'deadline for each network fetch, e.g. 30s, 2m (default: $CLOAK_TIMEOUT, else 30s)')
    .option('--controller-namespace <ns>', 'controller namespace')
    .action(async (ref: string | undefined, flags: CertFlags) => {
      const [{ runCert }, { withTimeoutFlag }] = await Promise.all([import('./run.js'), import('../../shared/net-limits.js')]);
      await runCert(withTimeoutFlag(io, flags.timeout), ref, flags);
    });
}
