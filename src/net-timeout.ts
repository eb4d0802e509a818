// The one deadline every network call of the CLI obeys: $CLOAK_TIMEOUT (or --timeout), default 30s.
import { usageError } from './errors.js';

export const DEFAULT_TIMEOUT_MS = 30_000;

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
