// `npm run fuzz`: every fuzz target for FUZZ_SECONDS in total (default 600), split evenly, with a
// fresh random seed each run (printed, so a failure can be replayed with FUZZ_SEED).
import { TARGETS } from './properties.js';
import { runTarget } from './run.js';

const total = Number(process.env['FUZZ_SECONDS'] ?? 600);
if (!Number.isFinite(total) || total <= 0) {
  process.stderr.write(`error: invalid FUZZ_SECONDS "${process.env['FUZZ_SECONDS']}" (use a number of seconds, e.g. FUZZ_SECONDS=60)\n`);
  process.exit(1);
}
const seed = Number(process.env['FUZZ_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
const ms = Math.max(1000, Math.floor((total * 1000) / TARGETS.length));
process.stdout.write(`fuzz: ${TARGETS.length} targets, ${Math.round(ms / 1000)}s each, seed ${seed}\n`);
let failed = 0;
let iterations = 0;
for (const t of TARGETS) {
  const started = Date.now();
  try {
    const runs = await runTarget(t, { seed, numRuns: Number.MAX_SAFE_INTEGER, ms });
    iterations += runs;
    process.stdout.write(`ok   ${t.name}: ${runs} runs in ${((Date.now() - started) / 1000).toFixed(0)}s\n`);
  } catch (e) {
    failed++;
    process.stdout.write(`FAIL ${t.name}\n${e instanceof Error ? e.message : String(e)}\n`);
  }
}
process.stdout.write(`fuzz: ${iterations} iterations, ${failed} failing target${failed === 1 ? '' : 's'} (seed ${seed})\n`);
process.exitCode = failed > 0 ? 1 : 0;
