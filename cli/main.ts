import { Command, CommanderError } from 'commander';
import { isCloakError, exitCodeFor, ExitCode } from '../src/errors.js';
import { commandModules } from './commands.js';
import type { CliIo } from './io.js';

export type { CliIo } from './io.js';

/** Runs the CLI with argv (without node and script) and returns the exit code. Never calls process.exit. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const program = new Command('cloak')
    .description('Seal Kubernetes Secrets for Git and sync external secrets (Bitnami Sealed Secrets and ESO compatible)')
    .version(VERSION, '--version')
    .option('-v, --verbose', 'print the cause chain of errors')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
      outputError: (s, write) => write(usageLine(s, argv)),
    })
    .showSuggestionAfterError(true);
  // `cloak --version` needs no command module.
  if (argv.length === 1 && (argv[0] === '--version')) {
    io.stdout(`${VERSION}\n`);
    return ExitCode.Ok;
  }
  const wanted = argv.find((a) => !a.startsWith('-'));
  const named = commandModules.filter((e) => typeof e !== 'function' && e.name === wanted);
  const entries = named.length > 0 ? named : commandModules;
  const modules = await Promise.all(entries.map((e) => (typeof e === 'function' ? e() : e.load())));
  for (const m of modules) m.register(program, io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ExitCode.Ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return ExitCode.Ok;
      return e.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    }
    io.stderr(`error: ${describe(e, argv)}\n`);
    if (program.opts().verbose) {
      let cause = (e as { cause?: unknown })?.cause;
      while (cause !== undefined) {
        io.stderr(`  caused by: ${describe(cause)}\n`);
        cause = (cause as { cause?: unknown })?.cause;
      }
    }
    return exitCodeFor(e);
  }
}

/** Commander's message as one line with a fix: `(Did you mean x?)` joined in, else a pointer to --help. */
function usageLine(s: string, argv: string[]): string {
  const text = s.trim().replace(/^error:\s*/, '').split('\n').map((l) => l.trim()).filter(Boolean).join(' ');
  const first = argv.find((a) => !a.startsWith('-'));
  const command = commandModules.some((e) => typeof e !== 'function' && e.name === first) ? `${first} ` : '';
  const hint = /\)$/.test(text) ? '' : ` (run \`cloak ${command}--help\` for usage)`;
  return `error: ${text.replace(/\(Did you mean/, '(did you mean')}${hint}\n`;
}

function describe(e: unknown, argv: string[] = []): string {
  if (isCloakError(e)) {
    if (e.hint) return e.line;
    // Every line carries a fix: usage errors point at --help, template errors at the template.
    if (e.family === 'usage') return usageLine(e.line, argv).replace(/^error: |\n$/g, '');
    if (e.family === 'template') return `${e.line} (fix the template or the data it reads)`;
    return e.line;
  }
  if (e instanceof Error) return e.message.split('\n')[0] ?? String(e);
  return String(e);
}

export const VERSION = '0.1.0';
