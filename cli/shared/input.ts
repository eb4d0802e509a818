// Reading command input: a file (`-f`), or stdin when no file or `-` is given.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { inputError } from '../../src/errors.js';
import { readAll, type CliIo } from '../io.js';

export interface Input { text: string; bytes: Buffer; source: string }

export async function readInput(io: CliIo, file: string | undefined, what: string): Promise<Input> {
  if (file && file !== '-') {
    const path = resolve(io.cwd, file);
    const bytes = await readFile(path).catch((e: NodeJS.ErrnoException) => {
      throw inputError('UnreadableFile', e.code === 'ENOENT' ? 'file not found' : `cannot read file (${e.code ?? e.message})`, { subject: file, hint: `check the path given with -f` });
    });
    return { text: bytes.toString('utf8'), bytes, source: file };
  }
  if (io.stdinIsTTY) io.stderr(`(tty detected: expecting ${what} in stdin)\n`);
  const bytes = await readAll(io.stdin);
  return { text: bytes.toString('utf8'), bytes, source: 'stdin' };
}
