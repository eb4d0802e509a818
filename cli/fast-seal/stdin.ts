// Standard input for the fast path: read synchronously (no process.stdin stream to set up), and
// handed to the normal path unchanged when the fast path does not handle the run.
import { fstatSync, readSync } from 'node:fs';
import { Readable } from 'node:stream';

/** What was read of stdin; `complete` is false when reading stopped early (e.g. a non-blocking pipe). */
export interface StdinBytes { bytes: Buffer; complete: boolean }

/** All of stdin when it is a file, pipe or socket; undefined for a terminal or device (the normal path's). */
export function readStdinSync(): StdinBytes | undefined {
  let kind: ReturnType<typeof fstatSync>;
  try { kind = fstatSync(0); } catch { return undefined; }
  if (!kind.isFile() && !kind.isFIFO() && !kind.isSocket()) return undefined;
  const chunks: Buffer[] = [];
  for (;;) {
    const buf = Buffer.allocUnsafe(64 * 1024);
    let n: number;
    try { n = readSync(0, buf); } catch { return { bytes: Buffer.concat(chunks), complete: false }; }
    if (n === 0) return { bytes: Buffer.concat(chunks), complete: true };
    chunks.push(buf.subarray(0, n));
  }
}

/** A stream of what was read, then (if reading stopped early) the rest of process.stdin. */
export function replayStdin(read: StdinBytes): Readable {
  if (read.complete) return Readable.from([read.bytes]);
  return Readable.from((async function* () {
    yield read.bytes;
    yield* process.stdin;
  })());
}
