// Request context and the exact response shapes real Vault sends (logical.HTTPResponse envelope,
// `{"errors":[…]}` bodies, 204 for writes without data).
import type { Namespace, Token, VaultState } from './state.js';
import { uuid } from './util.js';

export type Op = 'read' | 'list' | 'create' | 'update' | 'patch' | 'delete';

export interface Ctx {
  state: VaultState;
  method: 'GET' | 'LIST' | 'POST' | 'PATCH' | 'DELETE' | 'HEAD';
  op: Op;
  ns: Namespace;
  /** Path relative to the namespace, without `/v1/` (may end with `/`). */
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
  /** The body with numbers kept as written (for stored secret data), as Vault's json.Number decoding does. */
  bodyExact: Record<string, unknown>;
  headers: Record<string, string>;
  token?: Token;
  peerCertificates?: Buffer[];
}

export interface Reply { status: number; body?: unknown; headers?: Record<string, string> }

export interface EnvelopeOptions {
  data?: unknown;
  auth?: unknown;
  warnings?: string[] | null;
  leaseDuration?: number;
  renewable?: boolean;
  mountType?: string;
  status?: number;
  extra?: Record<string, unknown>;
}

export function envelope(o: EnvelopeOptions): Reply {
  return {
    status: o.status ?? 200,
    body: {
      request_id: uuid(),
      lease_id: '',
      renewable: o.renewable ?? false,
      lease_duration: o.leaseDuration ?? 0,
      data: o.data ?? null,
      wrap_info: null,
      warnings: o.warnings && o.warnings.length > 0 ? o.warnings : null,
      auth: o.auth ?? null,
      mount_type: o.mountType ?? '',
      ...(o.extra ?? {}),
    },
  };
}

export const errors = (status: number, ...messages: string[]): Reply => ({ status, body: { errors: messages } });
export const noContent = (): Reply => ({ status: 204 });
export const notFound = (): Reply => errors(404);
export const badRequest = (msg: string): Reply => errors(400, msg);
export const permissionDenied = (): Reply => errors(403, '1 error occurred:\n\t* permission denied\n\n');
export const invalidToken = (): Reply => errors(403, '2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n');
export const unsupportedPath = (path: string): Reply => errors(404, `no handler for route "${path}". route entry not found.`);
export const unsupportedOperation = (): Reply => errors(405, '1 error occurred:\n\t* unsupported operation\n\n');

export class ReplyError extends Error {
  constructor(readonly reply: Reply) { super('reply'); }
}
/** Abort a handler with a given response (used by helpers deep in a handler). */
export function fail(reply: Reply): never { throw new ReplyError(reply); }

export function str(body: Record<string, unknown>, key: string): string | undefined {
  const v = body[key];
  return v === undefined || v === null ? undefined : String(v);
}
