// In-process test hooks: a request recorder and fault injection (errors or latency for the next N
// matching requests). Watch control, compaction and GC passes are wired in by index.ts.
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError } from './status.js';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  user?: string;
  status?: number;
}

export interface Injection {
  /** HTTP method to match (any when omitted). */
  method?: string;
  /** Path to match: a string matches the exact path or any path under it; a RegExp is tested on path+query. */
  path?: string | RegExp;
  /** Match only watch requests (true) or only non-watch requests (false). */
  watch?: boolean;
  /** How many matching requests to affect (default 1). */
  count?: number;
  /** Answer with this error status (500, 429, 403, 503, 409…) instead of serving the request. */
  status?: number;
  message?: string;
  /** Retry-After for 429/503 (default 1). */
  retryAfterSeconds?: number;
  /** Delay before the request is served (or failed). */
  delayMs?: number;
}

const REASONS: Record<number, string> = { 400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 409: 'Conflict', 410: 'Expired', 422: 'Invalid', 429: 'TooManyRequests', 500: 'InternalError', 503: 'ServiceUnavailable', 504: 'Timeout' };

export class RequestHooks {
  readonly requests: RecordedRequest[] = [];
  private readonly injections: Array<Injection & { left: number }> = [];
  recording = true;
  /** Oldest records are dropped beyond this many (the dev-cluster runs for hours). */
  maxRecords = 100_000;

  clearRequests(): void { this.requests.length = 0; }

  inject(i: Injection): void { this.injections.push({ ...i, left: i.count ?? 1 }); }

  clearInjections(): void { this.injections.length = 0; }

  /** Consumes one use of the first injection matching the request. */
  take(method: string, path: string, search: string, watch: boolean): Injection | undefined {
    const i = this.injections.find((x) => x.left > 0
      && (!x.method || x.method.toUpperCase() === method)
      && (x.watch === undefined || x.watch === watch)
      && (x.path === undefined || (typeof x.path === 'string' ? path === x.path || path.startsWith(x.path.endsWith('/') ? x.path : x.path + '/') : x.path.test(path + search))));
    if (!i) return undefined;
    i.left--;
    if (i.left === 0) this.injections.splice(this.injections.indexOf(i), 1);
    return i;
  }
}

export function injectedError(i: Injection): ApiError | undefined {
  if (!i.status) return undefined;
  const reason = REASONS[i.status] ?? 'InternalError';
  const retry = i.retryAfterSeconds ?? 1;
  const message = i.message ?? (i.status === 429 ? 'Too many requests, please try again later.' : i.status === 500 ? 'Internal error occurred: injected by test' : `injected ${i.status} by test`);
  const details = i.status === 429 || i.status === 503 ? { retryAfterSeconds: retry } : undefined;
  const headers: Record<string, string> = i.status === 429 || i.status === 503 ? { 'retry-after': String(retry) } : {};
  return new ApiError(i.status, reason, message, details, headers);
}
