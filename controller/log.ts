// JSON-line logger. Fields are plain values chosen by the caller; never pass secret data or whole objects.
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  with(fields: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  format?: 'json' | 'text';
  /** INFO/DEBUG to `out`, WARN/ERROR to `err` (Bitnami's --log-info-stdout); otherwise all to `err`. */
  infoToStdout?: boolean;
  out?: (line: string) => void;
  err?: (line: string) => void;
  now?: () => Date;
}

export function createLogger(o: LoggerOptions = {}, base: Record<string, unknown> = {}): Logger {
  const min = ORDER[o.level ?? 'info'];
  const out = o.out ?? ((l: string) => process.stdout.write(l));
  const err = o.err ?? ((l: string) => process.stderr.write(l));
  const now = o.now ?? (() => new Date());
  const write = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < min) return;
    const rec = { time: now().toISOString(), level, msg, ...base, ...(fields ? plain(fields) : {}) };
    const line = o.format === 'text' ? textLine(rec) : JSON.stringify(rec) + '\n';
    if (ORDER[level] >= ORDER.warn || o.infoToStdout === false) err(line);
    else out(line);
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    with: (fields) => createLogger(o, { ...base, ...fields }),
  };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, with: () => silentLogger };

function plain(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = v instanceof Error ? errorText(v) : v;
  return out;
}

/** An error's message, one line, bounded. Our errors never carry values; foreign ones are truncated. */
export function errorText(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  const line = m.replace(/\s+/g, ' ').trim();
  return line.length > 500 ? line.slice(0, 497) + '...' : line;
}

function textLine(rec: Record<string, unknown>): string {
  const { time, level, msg, ...rest } = rec;
  const kv = Object.entries(rest).map(([k, v]) => `${k}=${typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v)}`);
  return `time=${String(time)} level=${String(level).toUpperCase()} msg=${JSON.stringify(msg)}${kv.length ? ' ' + kv.join(' ') : ''}\n`;
}
