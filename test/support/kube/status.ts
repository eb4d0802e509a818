// Status error bodies exactly as apimachinery's pkg/api/errors builds them.
import type { ResourceDef } from './types.js';
import { groupResource } from './types.js';

export interface StatusCause { type?: string; message?: string; field?: string }
export interface StatusDetails { name?: string; group?: string; kind?: string; uid?: string; causes?: StatusCause[]; retryAfterSeconds?: number }

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

export class ApiError extends Error {
  constructor(readonly code: number, readonly reason: string, message: string, readonly details?: StatusDetails, readonly headers: Record<string, string> = {}) {
    super(message);
  }
  get body(): StatusBody {
    const b: StatusBody = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, code: this.code };
    if (this.details) b.details = this.details;
    if (!this.reason) delete b.reason;
    return b;
  }
}

type Res = Pick<ResourceDef, 'group' | 'resource'>;
const qualified = (r: Res): string => groupResource(r);

export const notFound = (r: Res, name: string): ApiError =>
  new ApiError(404, 'NotFound', `${qualified(r)} "${name}" not found`, { name, group: r.group, kind: r.resource });
export const pathNotFound = (): ApiError => new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
export const alreadyExists = (r: Res, name: string): ApiError =>
  new ApiError(409, 'AlreadyExists', `${qualified(r)} "${name}" already exists`, { name, group: r.group, kind: r.resource });
export const conflict = (r: Res, name: string, why = 'the object has been modified; please apply your changes to the latest version and try again'): ApiError =>
  new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(r)} "${name}": ${why}`, { name, group: r.group, kind: r.resource });
export const badRequest = (message: string): ApiError => new ApiError(400, 'BadRequest', message);
export const unauthorized = (): ApiError => new ApiError(401, 'Unauthorized', 'Unauthorized');
export const methodNotAllowed = (): ApiError => new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
export const unsupportedMediaType = (accepted: string[]): ApiError =>
  new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`);
export const expired = (message: string): ApiError => new ApiError(410, 'Expired', message);
export const tooManyRequests = (retryAfter: number): ApiError =>
  new ApiError(429, 'TooManyRequests', 'Too many requests, please try again later.', { retryAfterSeconds: retryAfter }, { 'retry-after': String(retryAfter) });
export const internalError = (message: string): ApiError =>
  new ApiError(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] });
export const tooLarge = (): ApiError => new ApiError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728');

export interface FieldError { type: string; field: string; detail: string; value?: unknown; hasValue?: boolean }

/** Mirrors field.Error.Error(): "<field>: <Type>: <detail>" / "<field>: Invalid value: <value>: <detail>". */
export function fieldErrorText(e: FieldError): string {
  const label = ({ FieldValueInvalid: 'Invalid value', FieldValueRequired: 'Required value', FieldValueForbidden: 'Forbidden', FieldValueNotSupported: 'Unsupported value', FieldValueDuplicate: 'Duplicate value', FieldValueTooLong: 'Too long', FieldValueTooMany: 'Too many' } as Record<string, string>)[e.type] ?? e.type;
  const parts = [e.field + ': ' + label];
  if (e.hasValue) parts[0] += ': ' + formatValue(e.value);
  if (e.detail) parts.push(e.detail);
  return parts.join(': ');
}

function formatValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export const fieldErr = {
  invalid: (field: string, value: unknown, detail: string): FieldError => ({ type: 'FieldValueInvalid', field, value, hasValue: true, detail }),
  required: (field: string, detail = ''): FieldError => ({ type: 'FieldValueRequired', field, detail }),
  forbidden: (field: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field, detail }),
  notSupported: (field: string, value: unknown, allowed: unknown[]): FieldError =>
    ({ type: 'FieldValueNotSupported', field, value, hasValue: true, detail: 'supported values: ' + allowed.map((a) => formatValue(a)).join(', ') }),
  tooLong: (field: string, max: number): FieldError => ({ type: 'FieldValueTooLong', field, detail: `must have at most ${max} bytes` }),
  tooMany: (field: string, max: number): FieldError => ({ type: 'FieldValueTooMany', field, detail: `must have at most ${max} items` }),
};

/** 422 Invalid: `Kind.group "name" is invalid: [a, b]`. */
export function invalid(kind: string, group: string, name: string, errs: FieldError[]): ApiError {
  const texts = errs.map(fieldErrorText);
  const list = texts.length === 1 ? texts[0]! : `[${texts.join(', ')}]`;
  const qk = group ? `${kind}.${group}` : kind;
  return new ApiError(422, 'Invalid', `${qk} "${name}" is invalid: ${list}`, {
    name, group, kind, causes: errs.map((e) => ({ type: e.type, message: fieldErrorText(e).slice(e.field.length + 2), field: e.field })),
  });
}

export function forbidden(r: Res, name: string, message: string, causes?: StatusCause[]): ApiError {
  const subject = name ? `${qualified(r)} "${name}"` : qualified(r);
  return new ApiError(403, 'Forbidden', `${subject} is forbidden: ${message}`, { ...(name ? { name } : {}), group: r.group, kind: r.resource, ...(causes ? { causes } : {}) });
}
