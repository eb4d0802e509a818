// `cloak lint`: wiring only; the work loads when the command runs.
import { Option, type Command } from 'commander';
import type { CliIo } from '../../io.js';

export interface LintFlags {
  cert?: string[];
  maxKeyAge?: string;
  output?: string;
  ignore?: string[];
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function register(program: Command, io: CliIo): void {
  program
    .command('lint')
    .description('check manifests offline for CI: plaintext Secrets, scope and ciphertext problems, unknown or old keys, CRD schema errors')
    .argument('[paths...]', 'files or directories (default: .)')
    .option('--cert <file|url>', 'a certificate of a key items may be sealed with (repeatable; a file may hold several)', collect)
    .option('--max-key-age <duration>', 'flag items sealed with a key whose certificate is older, e.g. 90d (needs --cert)')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['human', 'json', 'sarif']).default('human'))
    .option('--ignore <glob>', 'skip paths matching this gitignore-style glob (repeatable; also read from .cloaklintignore)', collect)
    .action(async (paths: string[], flags: LintFlags) => {
      const { runLint } = await import('./run.js');
      await runLint(io, paths, flags);
    });
}
