// Small helpers shared by the Vault test server: ids, Go durations, Go time formatting.
import { randomBytes, randomUUID } from 'node:crypto';

export const uuid = (): string => randomUUID();

/** A service token in Vault's current format (`hvs.` + 24 base62 characters). */
export function serviceToken(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(24);
  let s = 'hvs.';
  for (const b of bytes) s += alphabet[b % alphabet.length];
  return s;
}

export const accessorId = (): string => randomBytes(12).toString('base64url').replace(/[-_]/g, 'x').slice(0, 24);

const UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600, d: 86400 };

/** Seconds from a Vault duration: an integer (seconds), "30", or a Go duration like "1h30m". */
export function parseDuration(v: unknown, field = 'ttl'): number {
  if (v === undefined || v === null || v === '') return 0;
  if (typeof v === 'number') return Math.floor(v);
  if (typeof v !== 'string') throw new Error(`invalid ${field}`);
  if (/^\d+$/.test(v)) return Number(v);
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d)/gy;
  let total = 0;
  let pos = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(v)) !== null) { total += Number(m[1]) * UNITS[m[2]!]!; pos = re.lastIndex; }
  if (pos !== v.length) throw new Error(`time: invalid duration "${v}"`);
  return Math.floor(total);
}

/** Go's `time.Duration.String()` for whole seconds ("0s", "1h0m0s", "768h0m0s"). */
export function formatDuration(sec: number): string {
  if (sec === 0) return '0s';
  const h = Math.floor(sec / 3600);
  const m = Math.floor((sec % 3600) / 60);
  const s = sec % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

/** Go's RFC3339Nano: fractional seconds with trailing zeros trimmed. */
export function rfc3339Nano(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d*?)0*Z$/, (_all, f: string) => (f ? `.${f}Z` : 'Z'));
}

export function asStringList(v: unknown): string[] {
  if (v === undefined || v === null || v === '') return [];
  if (Array.isArray(v)) return v.map(String).map((s) => s.trim()).filter((s) => s !== '');
  return String(v).split(',').map((s) => s.trim()).filter((s) => s !== '');
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** JSON.parse keeping numbers as written (Vault decodes request bodies with Go's json.Number). */
export function parseExact(text: string): unknown {
  return JSON.parse(text, (_k, v: unknown, ctx?: { source?: string }) =>
    (typeof v === 'number' && ctx?.source !== undefined ? (JSON as unknown as { rawJSON(t: string): unknown }).rawJSON(ctx.source) : v));
}

/** A deep copy that keeps numbers as written. */
export function copyExact<T>(v: T): T {
  return parseExact(JSON.stringify(v)) as T;
}
