import type { Command } from 'commander';
import type { CliIo } from '../../io.js';

export interface CertFlags { fetch?: boolean; kubeconfig?: string; context?: string; controllerName?: string; controllerNamespace?: string }

export function register(program: Command, io: CliIo): void {
  program
    .command('cert')
    .description('describe a sealing certificate (fingerprint, key size, validity), or print the controller\'s with --fetch')
    .argument('[file|url]', 'certificate file or URL (default: $CLOAK_CERT, $SEALED_SECRETS_CERT)')
    .option('--fetch', 'print the controller\'s current certificate (PEM) fetched through the API server')
    .option('--kubeconfig <file>', 'kubeconfig to use with --fetch')
    .option('--context <name>', 'kubeconfig context')
    .option('--controller-name <name>', 'controller Service name')
    .option('--controller-namespace <ns>', 'controller namespace')
    .action(async (ref: string | undefined, flags: CertFlags) => {
      const { runCert } = await import('./run.js');
      await runCert(io, ref, flags);
    });
}
