// `npm run bench`: runs every benchmark module in this folder in turn and prints its tables.
// Each module exports `run(): Promise<void>` and prints ratios against baselines measured in the same run.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.js'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
for (const f of files) {
  const mod = (await import(join(here, f))) as { run: () => Promise<void> };
  process.stdout.write(`\n## ${f.replace(/\.bench\.js$/, '')}\n\n`);
  await mod.run();
}
