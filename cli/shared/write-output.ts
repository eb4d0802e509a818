// Command output: stdout, or `-w FILE` written atomically and only when the whole command succeeded.
import { resolve } from 'node:path';
import { writeFileAtomic } from '../../src/manifests/atomic-write.js';
import { inputError } from '../../src/errors.js';
import type { OutputFormat } from '../../src/sealed/output.js';
import type { CliIo } from '../io.js';

export async function writeOutput(io: CliIo, text: string, file: string | undefined): Promise<void> {
  if (!file) { io.stdout(text); return; }
  try {
    await writeFileAtomic(resolve(io.cwd, file), text);
  } catch (e) {
    throw inputError('UnwritableFile', `cannot write output (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { subject: file, hint: 'check the directory exists and is writable' });
  }
}

/** `-o` wins; otherwise a `-w` file ending in .json means JSON, else the command's default. */
export function outputFormat(flag: string | undefined, file: string | undefined, fallback: OutputFormat): OutputFormat {
  if (flag) {
    const f = flag.toLowerCase();
    if (f === 'yaml' || f === 'json') return f;
    throw inputError('BadFormat', `unsupported output format "${flag}"`, { hint: 'use -o yaml or -o json' });
  }
  if (file && /\.ya?ml$/i.test(file)) return 'yaml';
  if (file && /\.json$/i.test(file)) return 'json';
  return fallback;
}
