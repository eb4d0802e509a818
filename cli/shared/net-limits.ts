// Limits every network fetch of the CLI obeys: a deadline ($CLOAK_TIMEOUT, default 30s) and a
// response size cap, so a server that never answers or never stops cannot hang or exhaust the CLI.
import { usageError } from '../../src/errors.js';

export const DEFAULT_TIMEOUT_MS = 30_000;
/** A PEM certificate is a few KiB; 1 MiB leaves room for any chain. */
export const CERT_MAX_BYTES = 1024 * 1024;

/** `$CLOAK_TIMEOUT`: `30s`, `500ms`, `2m` or a number of seconds. */
export function timeoutMs(env: Record<string, string | undefined>): number {
  const raw = env['CLOAK_TIMEOUT']?.trim();
  if (!raw) return DEFAULT_TIMEOUT_MS;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(raw);
  const n = m ? Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 'm' ? 60_000 : 1000) : NaN;
  if (!(n >= 1 && n <= 3_600_000)) {
    throw usageError('BadTimeout', `invalid CLOAK_TIMEOUT or --timeout ${JSON.stringify(raw)}`, { hint: 'use a duration such as 30s, 500ms or 2m (at most 1h)' });
  }
  return Math.round(n);
}

export const seconds = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`);

/** `--timeout` wins over `$CLOAK_TIMEOUT`; the command then sees it as its environment's. */
export function withTimeoutFlag<T extends { env: Record<string, string | undefined> }>(io: T, timeout: string | undefined): T {
  if (timeout === undefined) return io;
  const env = { ...io.env, CLOAK_TIMEOUT: timeout };
  timeoutMs(env);
  return { ...io, env };
}
