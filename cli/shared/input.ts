// Reading command input: a file (`-f`), or stdin when no file or `-` is given.
import { readFile } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
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
    return textInput(bytes, file);
  }
  if (io.stdinIsTTY) io.stderr(`(tty detected: expecting ${what} in stdin)\n`);
  const bytes = await readAll(io.stdin).catch((e: NodeJS.ErrnoException) => {
    throw inputError('UnreadableStdin', `cannot read standard input (${e.code ?? e.message})`, { subject: 'stdin', hint: 'pipe the input in, or pass -f FILE' });
  });
  return textInput(bytes, 'stdin');
}

/** `bytes` as given (for --raw); `text` refuses invalid UTF-8 rather than sealing U+FFFD in its place. */
function textInput(bytes: Buffer, source: string): Input {
  let text: string | undefined;
  return {
    bytes,
    source,
    get text(): string {
      if (text === undefined) {
        if (!isUtf8(bytes)) throw invalidUtf8(bytes, source);
        text = bytes.toString('utf8');
      }
      return text;
    },
  };
}

function invalidUtf8(bytes: Buffer, source: string): Error {
  let start = 0;
  let line = 1;
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    const lineBytes = bytes.subarray(start, end);
    if (!isUtf8(lineBytes)) {
      const key = /^\s*(?:-\s+)?(["']?)([^"':#]+)\1\s*:/.exec(lineBytes.toString('latin1'))?.[2]?.trim();
      return inputError('InvalidUTF8', `invalid UTF-8 at line ${line}${key && isUtf8(Buffer.from(key, 'latin1')) ? ` in the value of key "${key}"` : ''}`, {
        subject: source,
        hint: 'save the file as UTF-8, or put binary values in data as base64',
      });
    }
    start = end + 1;
    line++;
  }
  return inputError('InvalidUTF8', 'invalid UTF-8', { subject: source, hint: 'save the file as UTF-8' });
}
