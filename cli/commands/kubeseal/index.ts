import type { Command } from 'commander';
import type { CliIo } from '../../io.js';

export interface KubesealFlags {
  cert?: string;
  scope?: string;
  raw?: boolean;
  fromFile?: string[];
  name?: string;
  namespace?: string;
  format?: string;
  sealedSecretFile?: string;
  secretFile?: string;
  mergeInto?: string;
  allowEmptyData?: boolean;
  recoveryUnseal?: boolean;
  recoveryPrivateKey?: string[];
  fetchCert?: boolean;
  validate?: boolean;
  reEncrypt?: boolean;
  rotate?: boolean;
  controllerName?: string;
  controllerNamespace?: string;
  kubeconfig?: string;
  context?: string;
}

/** kubeseal's output format: `-w` naming a .yaml/.yml file forces YAML; otherwise `-o` (default json). */
export function kubesealFormat(f: KubesealFlags): string {
  return f.sealedSecretFile && /\.ya?ml$/i.test(f.sealedSecretFile) ? 'yaml' : f.format ?? 'json';
}

const list = (v: string, prev: string[] = []) => [...prev, ...v.split(',').filter(Boolean)];

export function register(program: Command, io: CliIo): void {
  program
    .command('kubeseal')
    .description('kubeseal-compatible flags, so existing scripts work by changing the binary name')
    .option('--cert <file|url>', 'certificate / public key file/URL to use for encryption')
    .option('--scope <scope>', 'strict, namespace-wide or cluster-wide', 'strict')
    .option('--raw', 'encrypt a raw value passed via --from-file or stdin')
    .option('--from-file <file>', 'file to read the raw value from (only with --raw)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--name <name>', 'name of the sealed secret')
    .option('-n, --namespace <ns>', 'namespace scope for this request')
    .option('-o, --format <format>', 'output format for the sealed secret: json or yaml', 'json')
    .option('-w, --sealed-secret-file <file>', 'file to write the sealed secret to (atomically)')
    .option('-f, --secret-file <file>', 'input Secret file (default: stdin)')
    .option('--merge-into <file>', 'merge items from the input into an existing SealedSecret file, in place')
    .option('--allow-empty-data', 'allow an empty data map')
    .option('--recovery-unseal', 'decrypt a SealedSecret from stdin or -f with --recovery-private-key')
    .option('--recovery-private-key <file>', 'private key(s) for --recovery-unseal (repeatable or comma list)', list)
    .option('--fetch-cert', 'print the certificate (from --cert, or the controller)')
    .option('--validate', 'validate a SealedSecret with the controller')
    .option('--re-encrypt', 're-encrypt a SealedSecret with the controller\'s newest key')
    .option('--rotate', 'deprecated alias of --re-encrypt')
    .option('--controller-name <name>', 'controller Service name (env SEALED_SECRETS_CONTROLLER_NAME)')
    .option('--controller-namespace <ns>', 'controller namespace (env SEALED_SECRETS_CONTROLLER_NAMESPACE; default kube-system)')
    .option('--kubeconfig <file>', 'kubeconfig file')
    .option('--context <name>', 'kubeconfig context')
    .action(async (flags: KubesealFlags) => {
      const { runKubeseal } = await import('./run.js');
      await runKubeseal(io, flags);
    });
}
