// API-server answers that are not success, as one-line cluster errors naming the object and the fix.
// Classified by HTTP status and the Status `reason`, never by message text.
import { clusterError, type CloakError } from '../errors.js';
import type { KubeResponse } from './request.js';

export interface ApiStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
}

/** The `Status` object of an API-server error answer, if the body is one. */
export function apiStatus(res: KubeResponse): ApiStatus | undefined {
  const type = String(res.headers['content-type'] ?? '');
  if (!type.includes('json')) return undefined;
  try {
    const v = JSON.parse(res.body.toString('utf8')) as ApiStatus;
    return v && v.kind === 'Status' ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * @param subject what was asked for, e.g. `service kube-system/cloak-controller`
 * @param verb what we tried, e.g. `get`, for the RBAC hint
 */
export function apiError(res: KubeResponse, o: { subject: string; verb: string; resource: string; namespace?: string }): CloakError {
  const st = apiStatus(res);
  const detail = st?.message ? `: ${oneLine(st.message)}` : '';
  const inNs = o.namespace ? ` -n ${o.namespace}` : '';
  switch (res.status) {
    case 401:
      return clusterError('Unauthorized', `the API server rejected the credentials${detail}`, {
        subject: o.subject,
        hint: 'log in again or fix the user entry of the kubeconfig',
      });
    case 403:
      return clusterError('Forbidden', `not allowed to ${o.verb} ${o.resource}${detail}`, {
        subject: o.subject,
        hint: `ask a cluster admin for RBAC: \`kubectl auth can-i ${o.verb} ${o.resource}${inNs}\` must say yes`,
      });
    case 404:
      return clusterError('NotFound', `not found${detail}`, { subject: o.subject });
    case 503:
      return clusterError('Unavailable', `the API server answered 503 Service Unavailable${detail}`, {
        subject: o.subject,
        hint: 'retry later; check that the cluster is healthy',
      });
    default:
      return clusterError('ApiError', `the API server answered ${res.status}${detail}`, { subject: o.subject });
  }
}

export function oneLine(s: string, max = 300): string {
  const line = s.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
