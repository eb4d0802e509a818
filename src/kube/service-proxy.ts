// Reaching the controller's HTTP API through the API server's service proxy, as kubeseal does:
// /api/v1/namespaces/{ns}/services/http:{name}:{port}/proxy/{path}. Without an explicit name we try
// our Service, then the names Bitnami's manifests and Helm chart use, so `cloak` works against either.
import { clusterError } from '../errors.js';
import { apiError, apiStatus, oneLine } from './api-errors.js';
import type { KubeTarget } from './config.js';
import { kubeRequest, type KubeResponse } from './request.js';

export const defaultControllerNamespace = 'kube-system';
/** Tried in order when no --controller-name is given: ours, Bitnami's controller.yaml, Bitnami's Helm release. */
export const defaultControllerNames = ['cloak-controller', 'sealed-secrets-controller', 'sealed-secrets'] as const;

export interface ControllerLocation {
  name?: string | undefined;
  namespace?: string | undefined;
}

export interface ControllerEndpoint {
  target: KubeTarget;
  namespace: string;
  name: string;
  /** The Service port name ('' for Bitnami's controller.yaml, which leaves it unnamed). */
  portName: string;
}

interface ServicePort { name?: string; port?: number }

export async function findController(target: KubeTarget, where: ControllerLocation = {}): Promise<ControllerEndpoint> {
  const namespace = where.namespace || defaultControllerNamespace;
  const names = where.name ? [where.name] : [...defaultControllerNames];
  let forbidden: string | undefined;
  for (const name of names) {
    const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(name)}`;
    const res = await kubeRequest(target, { method: 'GET', path });
    if (res.status === 200) {
      const ports = (JSON.parse(res.body.toString('utf8')) as { spec?: { ports?: ServicePort[] } }).spec?.ports ?? [];
      const port = ports.find((p) => p.name === 'http') ?? ports[0];
      return { target, namespace, name, portName: port?.name ?? '' };
    }
    if (res.status === 404) continue;
    // Proxy access may be granted without `get services` (RBAC by resourceName); try the proxy anyway.
    if (res.status === 403) {
      forbidden ??= name;
      continue;
    }
    throw apiError(res, { subject: `service ${namespace}/${name}`, verb: 'get', resource: 'services', namespace });
  }
  if (forbidden !== undefined) return { target, namespace, name: forbidden, portName: 'http' };
  const tried = names.map((n) => `${namespace}/${n}`).join(', ');
  throw clusterError('ControllerNotFound', `no controller Service found (tried ${tried})`, {
    subject: `context "${target.contextName}"`,
    hint: where.name
      ? 'check --controller-name and --controller-namespace'
      : 'install the controller (docs/install.md) or pass --controller-name and --controller-namespace',
  });
}

/** `http:{name}:{port}`: the service segment of the proxy path, also the RBAC resourceName of services/proxy. */
export function proxySegment(ep: ControllerEndpoint): string {
  return `http:${ep.name}:${ep.portName}`;
}

export interface ProxyRequest {
  method: 'GET' | 'POST';
  /** Path on the controller, e.g. `/v1/cert.pem`. */
  path: string;
  body?: string;
  accept?: string;
  /** Largest answer accepted (default: kubeRequest's). */
  maxBytes?: number;
}

/**
 * Sends a request to the controller. Answers from the controller (any status) are returned; failures
 * of the API server or of the proxy hop (RBAC, no endpoints, connection refused) become cluster errors.
 */
export async function controllerRequest(ep: ControllerEndpoint, req: ProxyRequest): Promise<KubeResponse> {
  const segment = proxySegment(ep);
  const path = `/api/v1/namespaces/${encodeURIComponent(ep.namespace)}/services/${segment}/proxy${req.path}`;
  const res = await kubeRequest(ep.target, {
    method: req.method,
    path,
    ...(req.body !== undefined ? { body: req.body, contentType: 'application/json' } : {}),
    ...(req.accept !== undefined ? { accept: req.accept } : {}),
    ...(req.maxBytes !== undefined ? { maxBytes: req.maxBytes } : {}),
  });
  const subject = `controller ${ep.namespace}/${ep.name}`;
  const st = apiStatus(res);
  if (res.status === 502 || res.status === 503 || res.status === 504) {
    throw clusterError('ControllerUnavailable', `the controller is not reachable through the API server (${res.status}${st?.message ? `: ${oneLine(st.message)}` : ''})`, {
      subject,
      hint: `check that its pods are running and ready: kubectl -n ${ep.namespace} get pods,endpoints ${ep.name}`,
    });
  }
  if (st && (res.status === 401 || res.status === 403 || res.status === 404)) {
    if (res.status === 403) {
      const verb = req.method === 'GET' ? 'get' : 'create';
      throw clusterError('Forbidden', `not allowed to ${verb} services/proxy "${segment}"`, {
        subject,
        hint: `ask a cluster admin for RBAC (\`kubectl auth can-i ${verb} services/proxy/${segment} -n ${ep.namespace}\`), e.g. the Role in deploy/`,
      });
    }
    throw apiError(res, { subject, verb: req.method === 'GET' ? 'get' : 'create', resource: 'services/proxy', namespace: ep.namespace });
  }
  return res;
}
