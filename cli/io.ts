// What a command may touch of the outside world, passed in so tests can run commands in-process.
import type { Readable } from 'node:stream';

export interface CliIo {
  stdin: Readable;
  stdout: (chunk: string | Uint8Array) => void;
  stderr: (chunk: string) => void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Whether stdin is a terminal (commands that read stdin then say so instead of waiting). */
  stdinIsTTY?: boolean;
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
  return Buffer.concat(chunks);
}
