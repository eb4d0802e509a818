// The flags every online command shares (kubeconfig, context, where the controller is), their env
// twins, and the one way commands get from flags to a controller endpoint. Imports nothing heavy.
import type { Command } from 'commander';
import type { CliIo } from '../../io.js';

export interface ClusterFlags {
  kubeconfig?: string | undefined;
  context?: string | undefined;
  /** -n: only for commands that use the context namespace (seal). */
  namespace?: string | undefined;
  controllerName?: string | undefined;
  controllerNamespace?: string | undefined;
}

/** Adds --kubeconfig, --context, --controller-name, --controller-namespace to a command. */
export function addClusterOptions(cmd: Command): Command {
  return cmd
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use (default: the current context)')
    .option('--controller-name <name>', 'controller Service name (env CLOAK_CONTROLLER_NAME; default: cloak-controller, then sealed-secrets-controller, sealed-secrets)')
    .option('--controller-namespace <ns>', 'controller namespace (env CLOAK_CONTROLLER_NAMESPACE; default: kube-system)');
}

/** Flags from commander options, with env twins (ours first, then kubeseal's) where a flag is absent. */
export function clusterFlags(opts: Record<string, unknown>, env: Record<string, string | undefined>): ClusterFlags {
  const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);
  return {
    kubeconfig: str(opts.kubeconfig),
    context: str(opts.context),
    namespace: str(opts.namespace),
    controllerName: str(opts.controllerName) ?? str(env.CLOAK_CONTROLLER_NAME) ?? str(env.SEALED_SECRETS_CONTROLLER_NAME),
    controllerNamespace:
      str(opts.controllerNamespace) ?? str(env.CLOAK_CONTROLLER_NAMESPACE) ?? str(env.SEALED_SECRETS_CONTROLLER_NAMESPACE),
  };
}

/** Loads the kubeconfig and finds the controller Service (lazy: the Kubernetes client loads here). */
export async function connectController(flags: ClusterFlags, io: Pick<CliIo, 'env' | 'cwd'>) {
  const { loadKubeConfig, findController } = await import('../../../src/kube/index.js');
  const target = await loadKubeConfig({ kubeconfig: flags.kubeconfig, context: flags.context, namespace: flags.namespace, env: io.env, cwd: io.cwd });
  return findController(target, { name: flags.controllerName, namespace: flags.controllerNamespace });
}
