// node-vault's HTTP transport, supplied through its `request-promise` option. node-vault's own (axios)
// parses every body with JSON.parse, turning a secret's `1.10` into 1.1 and rounding integers past
// 2^53; ESO reads Vault with Go's json.Number and writes such values as they were stored. Requests
// marked `jsonNumbers` (secret data reads) keep numbers as their text. Proxies follow HTTPS_PROXY /
// HTTP_PROXY / NO_PROXY, as Go's Vault client does.
import http from 'node:http';
import https from 'node:https';
import { chooseProxy, proxyAgent } from '../../net-proxy.js';
import { parseJsonUseNumber } from '../shared/property.js';

interface RequestOptions {
  method: string;
  uri: string;
  headers?: Record<string, string>;
  json?: unknown;
  /** Deadline for the whole request, connect to last byte. */
  timeout?: number;
  /** Largest response body accepted. */
  maxBytes?: number;
  strictSSL?: boolean;
  ca?: string;
  cert?: string;
  key?: string;
  /** Keep JSON numbers in `data` as written (secret reads). */
  jsonNumbers?: boolean;
}

export interface TransportResponse { statusCode: number; body: unknown; request: { path: string } }

/** The object node-vault accepts as `request-promise`. */
export function vaultTransport(env: Record<string, string | undefined> = process.env): { defaults(d: Partial<RequestOptions>): (o: RequestOptions) => Promise<TransportResponse> } {
  const direct = new Map<string, http.Agent>();
  const agentFor = (url: URL): http.Agent => {
    const proxy = chooseProxy(url, undefined, env);
    if (proxy) return proxyAgent(url, proxy);
    let agent = direct.get(url.protocol);
    if (!agent) direct.set(url.protocol, (agent = url.protocol === 'https:' ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true })));
    return agent;
  };
  return {
    defaults: (d) => (o) => send({ ...d, ...o } as RequestOptions, agentFor),
  };
}

function send(o: RequestOptions, agentFor: (url: URL) => http.Agent): Promise<TransportResponse> {
  const url = new URL(o.uri);
  const body = o.json !== undefined && typeof o.json === 'object' ? JSON.stringify(o.json) : undefined;
  const headers: Record<string, string> = { Accept: 'application/json', ...(o.headers ?? {}) };
  if (body !== undefined) {
    headers['Content-Type'] ??= 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(body));
  }
  const tls: https.RequestOptions = url.protocol === 'https:'
    ? { rejectUnauthorized: o.strictSSL !== false, ...(o.ca ? { ca: o.ca } : {}), ...(o.cert ? { cert: o.cert } : {}), ...(o.key ? { key: o.key } : {}) }
    : {};
  const request = url.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const fail = (e: Error) => { if (timer) clearTimeout(timer); reject(e); };
    const req = request(url, { method: o.method, headers, agent: agentFor(url), ...tls }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (o.maxBytes && size > o.maxBytes) {
          req.destroy(Object.assign(new Error(`response larger than ${o.maxBytes} bytes`), { code: 'ETOOBIG' }));
          return;
        }
        chunks.push(c);
      });
      res.on('error', fail);
      res.on('end', () => {
        if (timer) clearTimeout(timer);
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ statusCode: res.statusCode ?? 0, body: parseBody(text, o.jsonNumbers === true), request: { path: url.pathname } });
      });
    });
    if (o.timeout) {
      // A whole-request deadline: a server that accepts and never answers, or answers a byte at a time, cannot hold a reconcile.
      timer = setTimeout(() => req.destroy(Object.assign(new Error(`no complete answer within ${o.timeout}ms`), { code: 'ETIMEDOUT' })), o.timeout);
      timer.unref();
    }
    req.on('error', fail);
    req.end(body);
  });
}

function parseBody(text: string, jsonNumbers: boolean): unknown {
  if (text.length === 0) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return text;
  }
  if (jsonNumbers && body && typeof body === 'object' && 'data' in body) {
    // Only `data` changes: envelope numbers (lease_duration, …) stay plain numbers for our own use.
    (body as { data: unknown }).data = (parseJsonUseNumber(text) as { data: unknown }).data;
  }
  return body;
}
