import { Option, type Command } from 'commander';
import type { CliIo } from '../../io.js';

export interface SealFlags {
  file?: string;
  /** One FILE|URL, or (repeated) NAME=FILE|URL per cluster. */
  cert?: string | string[];
  scope?: string;
  name?: string;
  namespace?: string;
  output?: string;
  write?: string;
  allowEmptyData?: boolean;
  raw?: boolean;
  fromFile?: string[];
  mergeInto?: string;
  kubeconfig?: string;
  context?: string;
  controllerName?: string;
  controllerNamespace?: string;
  timeout?: string;
}

export function register(program: Command, io: CliIo): void {
  program
    .command('seal')
    .description('encrypt Secrets into SealedSecrets that are safe to commit (kubeseal-compatible output)')
    .option('-f, --file <file>', 'input Secret(s), YAML stream or JSON (default: stdin)')
    .option('--cert <[name=]file|url>', 'sealing certificate (default: $CLOAK_CERT, $SEALED_SECRETS_CERT, else fetched from the controller); repeat as NAME=FILE|URL with -w \'clusters/{cluster}/x.yaml\' to seal for several clusters', (v: string, prev: string[] = []) => [...prev, v])
    .addOption(new Option('--scope <scope>', 'sealing scope').choices(['strict', 'namespace-wide', 'cluster-wide']))
    .option('--name <name>', "name of the SealedSecret (overrides the Secret's; required with --raw and strict scope)")
    .option('-n, --namespace <namespace>', 'namespace (default: the input\'s, else the kubeconfig context\'s)')
    .option('-o, --output <format>', 'yaml or json (default yaml)')
    .option('-w, --write <file>', 'write to this file atomically instead of stdout ({cluster} is replaced by each --cert NAME)')
    .option('--allow-empty-data', 'allow Secrets with no data')
    .option('--raw', 'encrypt a single value from stdin or --from-file and print its base64')
    .option('--from-file <file>', 'with --raw: the value to encrypt (a `key=` prefix is ignored)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--merge-into <file>', 'seal the input items into this existing SealedSecret file, in place')
    .option('--kubeconfig <file>', 'kubeconfig for fetching the certificate from the controller')
    .option('--context <name>', 'kubeconfig context')
    .option('--controller-name <name>', 'controller Service name')
    .option('--timeout <duration>', 'deadline for each network fetch, e.g. 30s, 2m (default: $CLOAK_TIMEOUT, else 30s)')
    .option('--controller-namespace <ns>', 'controller namespace')
    .action(async (flags: SealFlags) => {
      const [{ runSeal }, { withTimeoutFlag }] = await Promise.all([import('./run.js'), import('../../shared/net-limits.js')]);
      await runSeal(withTimeoutFlag(io, flags.timeout), flags);
    });
}
