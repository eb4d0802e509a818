// Kubernetes API failures, classified by HTTP status and Status.reason (never by message text).
import { CloakError, ErrorFamily } from '../../src/errors.js';

export class KubeApiError extends CloakError {
  readonly status: number;
  readonly reason: string;
  constructor(o: { status: number; reason: string; message: string; subject: string; cause?: unknown }) {
    super(ErrorFamily.Cluster, o.reason || `Http${o.status}`, o.message, { subject: o.subject, cause: o.cause });
    this.status = o.status;
    this.reason = o.reason;
  }
}
KubeApiError.prototype.name = 'KubeApiError';

export const isNotFound = (e: unknown) => e instanceof KubeApiError && e.status === 404;
export const isAlreadyExists = (e: unknown) => e instanceof KubeApiError && e.status === 409 && e.reason === 'AlreadyExists';
export const isConflict = (e: unknown) => e instanceof KubeApiError && e.status === 409 && e.reason !== 'AlreadyExists';
/** Network errors, 5xx, 429 and conflicts are worth retrying; other 4xx are not. */
export function isTransient(e: unknown): boolean {
  if (!(e instanceof KubeApiError)) return true;
  return e.status === 0 || e.status >= 500 || e.status === 429 || e.status === 409 || e.status === 408;
}
