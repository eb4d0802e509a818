// `cloak refresh externalsecret NAME [-n NS]` (alias `es`): force a sync now, over kubeconfig.
// Only commander wiring here; the work loads inside the action.
import type { Command } from 'commander';
import type { CliIo } from '../../io.js';

export function register(program: Command, io: CliIo): void {
  const refresh = program.command('refresh').description('force a resync of cluster objects now, like kubectl annotate');
  refresh
    .command('externalsecret')
    .alias('es')
    .description('force an ExternalSecret to sync now (sets the force-sync annotation to the current time)')
    .argument('<name>', 'the ExternalSecret name')
    .option('-n, --namespace <ns>', 'namespace (default: the context namespace, else default)')
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use (default: the current context)')
    .action(async (name: string, opts: Record<string, unknown>) => {
      const { refreshExternalSecret } = await import('./externalsecret.js');
      await refreshExternalSecret(io, { name, ...kubeFlags(opts) });
    });
}

function kubeFlags(opts: Record<string, unknown>) {
  const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);
  return { kubeconfig: str(opts.kubeconfig), context: str(opts.context), namespace: str(opts.namespace) };
}
