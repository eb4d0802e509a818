// Small measuring helpers shared by the benchmarks: run counts, medians, wall time of a process.
import { spawnSync } from 'node:child_process';

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

export interface Command { cmd: string; args: string[]; input?: string; env?: NodeJS.ProcessEnv }

/**
 * Median wall time in ms of each command, run in turn (a, b, c, a, b, c, ...) after warm-up rounds,
 * so a noisy neighbour slows every command of a round alike and ratios between them stay fair.
 */
export function wallTimesInterleavedMs(cmds: Command[], o: { runs?: number; warmup?: number } = {}): number[] {
  const times = cmds.map(() => [] as number[]);
  for (let i = 0; i < (o.warmup ?? 3) + (o.runs ?? 21); i++) {
    cmds.forEach((c, j) => {
      const t = process.hrtime.bigint();
      const r = spawnSync(c.cmd, c.args, { input: c.input ?? '', env: c.env ?? process.env, stdio: ['pipe', 'ignore', 'pipe'] });
      const ms = Number(process.hrtime.bigint() - t) / 1e6;
      if (r.status !== 0) throw new Error(`${c.cmd} ${c.args.join(' ')} failed: ${r.stderr?.toString()}`);
      if (i >= (o.warmup ?? 3)) times[j]!.push(ms);
    });
  }
  return times.map(median);
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
