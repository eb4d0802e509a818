// `cloak template`: wiring only; the interpreter loads when the command runs.
import { Option, type Command } from 'commander';
import type { CliIo } from '../../io.js';

export interface TemplateFlags {
  file?: string;
  data: string;
  funcs: 'eso' | 'bitnami';
  missingkey?: 'error' | 'default' | 'zero';
  leftDelim?: string;
  rightDelim?: string;
}

export function register(program: Command, io: CliIo): void {
  program
    .command('template')
    .description('render a Go template (ExternalSecret or SealedSecret template) against JSON data and print the exact output')
    .option('-f, --file <template>', 'template file (default: stdin)')
    .requiredOption('--data <file.json>', 'JSON object whose values are the secret values (the template\'s dot)')
    .addOption(new Option('--funcs <set>', 'function set: ESO engine v2 or Bitnami Sealed Secrets').choices(['eso', 'bitnami']).default('eso'))
    .addOption(new Option('--missingkey <mode>', 'missing map keys: error (ESO) or default, printing <no value> (Bitnami); default follows --funcs').choices(['error', 'default', 'zero']))
    .option('--left-delim <delim>', 'left action delimiter (default {{)')
    .option('--right-delim <delim>', 'right action delimiter (default }})')
    .action(async (opts: TemplateFlags) => {
      const { runTemplate } = await import('./run.js');
      await runTemplate(io, opts);
    });
}
