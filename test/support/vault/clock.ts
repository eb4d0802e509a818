// A manual clock for TTL tests: the Vault test server and the provider share it.
export interface ManualClock { now: () => number; advance(seconds: number): void }

export function manualClock(start = Date.parse('2026-01-01T00:00:00Z')): ManualClock {
  let t = start;
  return { now: () => t, advance: (s) => { t += s * 1000; } };
}
