// Small measuring helpers shared by the benchmarks: run counts, medians, wall time of a process.
import { spawnSync } from 'node:child_process';

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Median wall time in ms of a command, after warm-up runs. */
export function wallTimeMs(cmd: string, args: string[], o: { runs?: number; warmup?: number; input?: string; env?: NodeJS.ProcessEnv } = {}): number {
  const times: number[] = [];
  for (let i = 0; i < (o.warmup ?? 3) + (o.runs ?? 15); i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { input: o.input ?? '', env: o.env ?? process.env, stdio: ['pipe', 'ignore', 'pipe'] });
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr?.toString()}`);
    if (i >= (o.warmup ?? 3)) times.push(ms);
  }
  return median(times);
}

/** Operations per second of `fn`, run for about `seconds`. */
export async function opsPerSecond(fn: () => unknown, seconds = 1.5): Promise<number> {
  for (let i = 0; i < 3; i++) await fn();
  let n = 0;
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
  while (performance.now() < end) {
    await fn();
    n++;
  }
  return n / ((performance.now() - start) / 1000);
}
