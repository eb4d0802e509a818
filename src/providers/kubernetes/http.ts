// A minimal Kubernetes API client over node:http/https (bearer token or client certificate, custom CA).
// Not @kubernetes/client-node: providers stay free of Kubernetes SDK imports and start fast.
import http from 'node:http';
import https from 'node:https';
import { providerError } from '../../errors.js';
import { PROVIDER_MAX_RESPONSE_BYTES, PROVIDER_TIMEOUT_MS } from '../types.js';

export interface KubeConnection {
  server: string;
  ca?: string;
  token?: string;
  cert?: string;
  key?: string;
  timeoutMs?: number;
  maxResponseBytes?: number;
  /** The store, named in transport errors. */
  subject?: string;
}

export interface KubeResponse { status: number; body: unknown }

export class KubeHttp {
  readonly #conn: KubeConnection;
  readonly #agent: http.Agent;
  readonly #base: URL;

  constructor(conn: KubeConnection) {
    this.#conn = conn;
    this.#base = new URL(/^https?:\/\//.test(conn.server) ? conn.server : `https://${conn.server}`);
    this.#agent = this.#base.protocol === 'https:'
      ? new https.Agent({ keepAlive: true, ca: conn.ca, cert: conn.cert, key: conn.key })
      : new http.Agent({ keepAlive: true });
  }

  get server(): string { return this.#base.origin; }

  request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<KubeResponse> {
    const url = new URL(this.#base.pathname.replace(/\/$/, '') + path, this.#base);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.#conn.token) headers.authorization = `Bearer ${this.#conn.token}`;
    if (payload) { headers['content-type'] = 'application/json'; headers['content-length'] = String(payload.length); }
    const mod = url.protocol === 'https:' ? https : http;
    const timeoutMs = this.#conn.timeoutMs ?? PROVIDER_TIMEOUT_MS;
    const maxBytes = this.#conn.maxResponseBytes ?? PROVIDER_MAX_RESPONSE_BYTES;
    return new Promise((resolve, reject) => {
      let failure: Error | undefined;
      const stop = (why: string, hint: string) => {
        failure = providerError('KubernetesUnreachable', `Kubernetes API at ${this.#base.origin}: ${why}`, { hint, subject: this.#conn.subject });
        req.destroy(failure);
      };
      const timer = setTimeout(() => stop(`no complete answer within ${timeoutMs}ms`, 'check that the API server is up; raise the timeout if it is only slow'), timeoutMs);
      timer.unref();
      const req = mod.request(url, { method, headers, agent: this.#agent }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxBytes) return stop(`response larger than ${maxBytes} bytes`, 'check spec.provider.kubernetes.server.url');
          chunks.push(c);
        });
        res.on('end', () => {
          clearTimeout(timer);
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try { parsed = text ? JSON.parse(text) : undefined; } catch { /* non-JSON error page */ }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
        res.on('error', (e) => reject(failure ?? e));
      });
      req.on('error', (e) => { clearTimeout(timer); reject(failure ?? providerError('KubernetesUnreachable', `cannot reach the Kubernetes API at ${this.#base.origin}: ${e.message}`, {
        cause: e, hint: 'check spec.provider.kubernetes.server.url and its CA', subject: this.#conn.subject,
      })); });
      req.end(payload);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}

/** A Kubernetes Status message, or a generic one from the HTTP status. */
export function statusMessage(r: KubeResponse): string {
  const b = r.body as { message?: unknown } | undefined;
  return typeof b?.message === 'string' && b.message ? b.message : `HTTP ${r.status}`;
}
