// One HTTP request to the API server with the kubeconfig's credentials (token, client cert, exec
// plugin, CA, proxy), answered as status + body. API errors are turned into cluster errors by callers,
// which know what the request was for.
import http from 'node:http';
import https from 'node:https';
import { clusterError } from '../errors.js';
import { firstLine, type KubeTarget } from './config.js';
import { chooseProxy, proxyAgent, type ProxyChoice } from '../net-proxy.js';
import { timeoutMs as envTimeoutMs } from '../net-timeout.js';

export interface KubeRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Absolute API path with query, e.g. `/api/v1/namespaces/kube-system/services/x`. */
  path: string;
  body?: string | Uint8Array;
  contentType?: string;
  accept?: string;
  /** Default $CLOAK_TIMEOUT of the target's env, else 30 s; the request fails with a cluster error after it. */
  timeoutMs?: number;
  /** Largest answer accepted (default 64 MiB); a longer body fails with a cluster error. */
  maxBytes?: number;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

export interface KubeResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export async function kubeRequest(target: KubeTarget, req: KubeRequest): Promise<KubeResponse> {
  const base = new URL(target.server);
  const url = new URL(base.pathname.replace(/\/+$/, '') + req.path, base);
  const headers: Record<string, string> = {
    Accept: req.accept ?? 'application/json, */*',
    'User-Agent': 'cloak',
  };
  if (req.body !== undefined) {
    headers['Content-Type'] = req.contentType ?? 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(req.body));
  }
  const options: https.RequestOptions = { method: req.method, headers };
  try {
    await target.kc.applyToHTTPSOptions(options);
  } catch (e) {
    throw clusterError('KubeCredentials', `cannot prepare credentials for context "${target.contextName}": ${firstLine(e)}`, {
      subject: target.server,
      hint: /skipTLSVerify/.test(firstLine(e))
        ? 'use an https:// server, or set insecure-skip-tls-verify: true on the cluster entry'
        : 'check the user entry of the kubeconfig (token, client certificate, exec plugin)',
      cause: e,
    });
  }
  const proxy = chooseProxy(url, target.kc.getCurrentCluster()?.proxyUrl, target.env ?? process.env);
  if (proxy) options.agent = proxyAgent(url, proxy);
  const send = url.protocol === 'http:' ? http.request : https.request;
  const timeoutMs = req.timeoutMs ?? envTimeoutMs(target.env ?? process.env);
  const maxBytes = req.maxBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  return new Promise<KubeResponse>((resolvePromise, reject) => {
    const r = send(url, options, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBytes) {
          reject(clusterError('ResponseTooLarge', `answer to ${req.method} ${req.path.split('?')[0]} exceeds ${Math.round(maxBytes / 1024)} KiB`, {
            subject: `${target.server} (context "${target.contextName}")`,
            hint: 'check that the kubeconfig points at a Kubernetes API server and the controller Service is the right one',
          }));
          r.destroy();
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', (e) => reject(unreachable(target, e, proxy)));
    });
    // Idle deadline (connect, headers, each body chunk) plus an overall one for a slow drip.
    const overall = setTimeout(() => r.destroy(Object.assign(new Error(`no answer within ${timeoutMs / 1000}s`), { code: 'ETIMEDOUT' })), timeoutMs);
    overall.unref();
    r.on('close', () => clearTimeout(overall));
    r.setTimeout(timeoutMs, () => r.destroy(Object.assign(new Error(`no answer within ${timeoutMs / 1000}s`), { code: 'ETIMEDOUT' })));
    r.on('error', (e) => reject(unreachable(target, e, proxy)));
    if (req.body !== undefined) r.write(req.body);
    r.end();
  });
}

function unreachable(target: KubeTarget, e: Error, proxy: ProxyChoice | undefined): Error {
  const code = (e as NodeJS.ErrnoException).code;
  const tls = typeof code === 'string' && /CERT|SSL|TLS|SELF_SIGNED/.test(code);
  const via = proxy ? ` through proxy ${redactUserinfo(proxy.url)} (${proxy.from})` : '';
  return clusterError('ClusterUnreachable', `cannot reach the Kubernetes API server${via}: ${code ?? firstLine(e)}`, {
    subject: `${target.server} (context "${target.contextName}")`,
    hint: code === 'ETIMEDOUT'
      ? `${firstLine(e)}: check that the server answers, or raise CLOAK_TIMEOUT, e.g. CLOAK_TIMEOUT=2m`
      : tls
      ? 'check certificate-authority-data in the kubeconfig'
      : proxy
        ? `check the proxy, or exclude the server with NO_PROXY${proxy.from === 'proxy-url' ? ' (not for proxy-url: edit the kubeconfig)' : ''}`
        : 'check that the cluster is running and the kubeconfig points at it (--kubeconfig, --context)',
    cause: e,
  });
}

function redactUserinfo(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
