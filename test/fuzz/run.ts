// Runs fuzz targets: seeded and short for `npm test`, time-boxed and long for `npm run fuzz`.
import fc from 'fast-check';
import { it } from 'node:test';
import { SEED, TARGETS, type Target } from './properties.js';

export async function runTarget(t: Target, o: { seed?: number; numRuns?: number; ms?: number } = {}): Promise<number> {
  const params = {
    seed: o.seed ?? SEED,
    numRuns: o.numRuns ?? t.runs,
    ...(o.ms ? { interruptAfterTimeLimit: o.ms, markInterruptAsFailure: false } : {}),
  };
  const details = await fc.check(t.property as fc.IAsyncProperty<unknown>, params);
  if (details.failed) {
    const cause = details.errorInstance instanceof Error ? `\n${details.errorInstance.message}` : '';
    throw new Error(`${fc.defaultReportMessage(details) ?? `${t.name} failed`}${cause}`);
  }
  return details.numRuns;
}

/** One node:test case per target whose name matches. */
export function seededTests(match: RegExp): void {
  for (const t of TARGETS.filter((x) => match.test(x.name))) {
    it(`${t.name} (seed ${SEED}, ${t.runs} runs)`, { timeout: 60_000 }, async () => { await runTarget(t); });
  }
}
