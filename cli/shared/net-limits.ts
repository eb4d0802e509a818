// Limits every network fetch of the CLI obeys: a deadline ($CLOAK_TIMEOUT, default 30s) and a
// response size cap, so a server that never answers or never stops cannot hang or exhaust the CLI.
import { timeoutMs } from '../../src/net-timeout.js';

export { DEFAULT_TIMEOUT_MS, timeoutMs } from '../../src/net-timeout.js';
/** A PEM certificate is a few KiB; 1 MiB leaves room for any chain. */
export const CERT_MAX_BYTES = 1024 * 1024;

export const seconds = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`);

/** `--timeout` wins over `$CLOAK_TIMEOUT`; the command then sees it as its environment's. */
export function withTimeoutFlag<T extends { env: Record<string, string | undefined> }>(io: T, timeout: string | undefined): T {
  if (timeout === undefined) return io;
  const env = { ...io.env, CLOAK_TIMEOUT: timeout };
  timeoutMs(env);
  return { ...io, env };
}
