// A narrow JSON client for the Kubernetes API over @kubernetes/client-node's KubeConfig (auth, TLS,
// in-cluster token refresh). Raw JSON in and out, so cached objects look exactly like watch events,
// and every patch states its content type (custom resources reject strategic merge patch).
import http from 'node:http';
import https from 'node:https';
import { KubeConfig, Watch } from './client-node.js';
import { TokenBucket } from '../runtime/token-bucket.js';
import { KubeApiError } from './errors.js';
import { clusterError } from '../../src/errors.js';

export type Json = Record<string, unknown>;

export interface RequestOptions {
  query?: Record<string, string | undefined>;
  body?: unknown;
  contentType?: 'application/json' | 'application/merge-patch+json' | 'application/json-patch+json';
  signal?: AbortSignal;
}

export type WatchHandle = { abort(): void };
export type WatchCallback = (type: string, object: Json) => void;

export interface KubeClient {
  request<T = Json>(method: string, path: string, o?: RequestOptions): Promise<T>;
  /** Streams watch events until the server closes or `abort()`; `done` is called exactly once. */
  watch(path: string, query: Record<string, string>, onEvent: WatchCallback, done: (err: unknown) => void): Promise<WatchHandle>;
}

export function loadKubeConfig(kubeconfig: string): KubeConfig {
  const kc = new KubeConfig();
  if (kubeconfig) kc.loadFromFile(kubeconfig);
  else if (!process.env['KUBERNETES_SERVICE_HOST']) {
    // Outside a Pod, in-cluster config has no server (client-node would then retry `Invalid URL` forever).
    throw clusterError('NoKubeconfig', 'not running in a cluster and no kubeconfig given', { hint: 'pass --kubeconfig FILE or set KUBECONFIG' });
  } else kc.loadFromCluster();
  return kc;
}

/** Default bound on one request (watches excluded: they have their own idle timeout). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

export function createKubeClient(kc: KubeConfig, o: { qps: number; burst: number; userAgent?: string; timeoutMs?: number }): KubeClient {
  const timeoutMs = o.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const bucket = new TokenBucket(o.qps, o.burst);
  // client-node's agents do not keep connections alive; a controller talks to one server all day.
  let agent: http.Agent | undefined;
  const keepAlive = (protocol: string, t: https.RequestOptions): http.Agent => {
    agent ??= protocol === 'https:'
      ? new https.Agent({
        keepAlive: true, maxSockets: 32,
        ...(t.ca ? { ca: t.ca } : {}), ...(t.cert ? { cert: t.cert } : {}), ...(t.key ? { key: t.key } : {}),
        ...(t.rejectUnauthorized !== undefined ? { rejectUnauthorized: t.rejectUnauthorized } : {}),
        ...(t.servername ? { servername: t.servername } : {}),
      })
      : new http.Agent({ keepAlive: true, maxSockets: 32 });
    return agent;
  };
  const watcher = new Watch(kc);
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new KubeApiError({ status: 0, reason: 'NoCluster', message: 'the kubeconfig has no current cluster', subject: 'kubeconfig' });
  return {
    async request<T>(method: string, path: string, ro: RequestOptions = {}): Promise<T> {
      const wait = bucket.reserve();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const url = new URL(server.replace(/\/$/, '') + path);
      for (const [k, v] of Object.entries(ro.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
      const opts: https.RequestOptions = { method, headers: {} };
      await kc.applyToHTTPSOptions(opts);
      if (!kc.getCurrentCluster()?.proxyUrl) opts.agent = keepAlive(url.protocol, opts);
      const headers = opts.headers as Record<string, string>;
      headers.Accept = 'application/json';
      if (o.userAgent) headers['User-Agent'] = o.userAgent;
      let payload: Buffer | undefined;
      if (ro.body !== undefined) {
        payload = Buffer.from(JSON.stringify(ro.body));
        headers['Content-Type'] = ro.contentType ?? 'application/json';
        headers['Content-Length'] = String(payload.length);
      }
      if (ro.signal) opts.signal = ro.signal;
      const mod = url.protocol === 'https:' ? https : http;
      const subject = `${method} ${url.pathname}`;
      return new Promise<T>((resolve, reject) => {
        // One bound on the whole exchange (connect, headers and body): a server that stops answering
        // must not hold a caller (a Lease renewal, an informer LIST) forever.
        const timer = timeoutMs > 0 ? setTimeout(() => {
          req.destroy(new KubeApiError({ status: 0, reason: 'Timeout', message: `no answer within ${timeoutMs} ms`, subject }));
        }, timeoutMs) : undefined;
        const settle = <A>(f: (a: A) => void) => (a: A) => { clearTimeout(timer); f(a); };
        resolve = settle(resolve);
        reject = settle(reject);
        const req = mod.request(url, opts, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (cause) => reject(cause instanceof KubeApiError ? cause : new KubeApiError({ status: 0, reason: 'NetworkError', message: String(cause), subject, cause })));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            let body: unknown;
            try { body = text ? JSON.parse(text) : undefined; } catch { body = undefined; }
            if (status >= 200 && status < 300) { resolve(body as T); return; }
            const st = (body ?? {}) as { reason?: string; message?: string };
            reject(new KubeApiError({
              status,
              reason: typeof st.reason === 'string' ? st.reason : '',
              message: typeof st.message === 'string' ? st.message : `HTTP ${status}`,
              subject,
            }));
          });
        });
        req.on('error', (cause) => reject(cause instanceof KubeApiError ? cause : new KubeApiError({ status: 0, reason: 'NetworkError', message: cause.message, subject, cause })));
        if (payload) req.write(payload);
        req.end();
      });
    },
    async watch(path, query, onEvent, done) {
      const controller = await watcher.watch(path, query, (type: string, obj: unknown) => onEvent(type, obj as Json), done);
      return { abort: () => controller.abort() };
    },
  };
}
