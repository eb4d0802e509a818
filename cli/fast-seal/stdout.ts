// The fast path's output: written to fd 1 directly, so process.stdout (a stream, ~5 ms to set up)
// is never created. On any error (a full non-blocking pipe, EPIPE, ENOSPC) the rest goes to the
// stream writer, which waits for the pipe or reports the error as every other command does.
import { writeSync } from 'node:fs';

export function writeStdoutSync(text: string, stream: (rest: Uint8Array) => void): void {
  const bytes = Buffer.from(text, 'utf8');
  let done = 0;
  while (done < bytes.length) {
    try {
      done += writeSync(1, bytes, done);
    } catch {
      stream(bytes.subarray(done));
      return;
    }
  }
}
