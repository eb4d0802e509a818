// Refresh jitter (ESO has none, so 10k ExternalSecrets applied together refresh together forever):
// each periodic refresh interval is stretched or shrunk by up to ±10 %, by a fraction derived from the
// ExternalSecret's uid and its last refreshTime. Deterministic (a restart or a second pass computes the
// same due time, tests are stable) yet different per object and per cycle, so a herd spreads out.
// Only the periodic schedule is jittered; a forced sync (spec or metadata change) is never delayed.
import { createHash } from 'node:crypto';

export const JITTER = 0.1;

/** A fraction in [-JITTER, +JITTER] for this object and refresh cycle. */
export function jitterFraction(uid: string | undefined, refreshTime: number | undefined): number {
  const h = createHash('sha256').update(`${uid ?? ''}|${refreshTime ?? ''}`).digest();
  const unit = h.readUInt32BE(0) / 0xffff_ffff; // [0, 1]
  return (unit * 2 - 1) * JITTER;
}

/** `intervalMs` jittered for this object and cycle (whole ms); 0 stays 0. */
export function jitteredIntervalMs(intervalMs: number, uid: string | undefined, refreshTime: number | undefined): number {
  if (intervalMs <= 0) return intervalMs;
  return Math.round(intervalMs * (1 + jitterFraction(uid, refreshTime)));
}
