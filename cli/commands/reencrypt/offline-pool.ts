// Hands files to one offline-worker thread per core, a few in flight each so no core waits on I/O.
// A worker that dies fails only its files in flight; a fresh one takes its place.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DecryptKey } from '../../../src/sealed/index.js';
import type { NewCertificate } from '../../../src/sealed/reseal-offline.js';
import type { OfflineReply, OfflineRequest } from './offline-worker.js';

export interface FileJob { path: string; display: string }

const IN_FLIGHT = 3;

/** The worker's compiled file: beside this module (tsc output), or in dist/cli from the bundle in dist/cli-bundle. */
function workerPath(): string {
  const candidates = [new URL('./offline-worker.js', import.meta.url), new URL('../cli/commands/reencrypt/offline-worker.js', import.meta.url)];
  const found = candidates.find((u) => existsSync(fileURLToPath(u)));
  if (!found) throw new Error('offline-worker.js not found; rebuild with `npm run build`');
  return fileURLToPath(found);
}

export async function runPool(
  jobs: FileJob[], keys: DecryptKey[], cert: NewCertificate, dryRun: boolean,
  onDone: (job: FileJob, reply: OfflineReply) => void, threads = availableParallelism(),
): Promise<void> {
  const path = workerPath();
  const init: OfflineRequest = { type: 'init', keys: keys.map((k) => ({ fingerprint: k.fingerprint, privateKey: k.privateKey })), cert: { fingerprint: cert.fingerprint, publicKey: cert.publicKey } };
  let next = 0;
  let done = 0;
  await new Promise<void>((resolve) => {
    if (jobs.length === 0) return resolve();
    const start = () => {
      const worker = new Worker(path);
      const mine = new Map<number, FileJob>();
      let alive = true;
      const feed = () => {
        while (alive && mine.size < IN_FLIGHT && next < jobs.length) {
          const id = next++;
          mine.set(id, jobs[id]!);
          worker.postMessage({ type: 'file', id, path: jobs[id]!.path, display: jobs[id]!.display, dryRun } satisfies OfflineRequest);
        }
        if (mine.size === 0) { alive = false; void worker.terminate(); }
      };
      const finish = (job: FileJob, r: OfflineReply) => {
        onDone(job, r);
        if (++done === jobs.length) resolve();
      };
      worker.on('message', (r: OfflineReply) => {
        const job = mine.get(r.id);
        if (!job) return;
        mine.delete(r.id);
        finish(job, r);
        feed();
      });
      const died = (why: string) => {
        if (!alive) return;
        alive = false;
        for (const [id, job] of mine) finish(job, { id, ok: false, error: { family: 'input', code: 'WorkerFailed', message: `worker thread failed (${why}); the file was left unchanged`, subject: job.display, hint: 'run again' } });
        mine.clear();
        if (next < jobs.length) start();
      };
      worker.on('error', (e) => died(e.message.split('\n')[0]!));
      worker.on('exit', (code) => died(`exit code ${code}`));
      worker.postMessage(init);
      feed();
    };
    for (let i = 0; i < Math.max(1, Math.min(threads, jobs.length)); i++) start();
  });
}
