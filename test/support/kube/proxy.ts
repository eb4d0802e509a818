// Service proxy: /api/v1/namespaces/{ns}/services/{[scheme:]name[:port]}/proxy/{path} forwarded to a
// target registered for that Service (a base URL, or an in-process request listener served on loopback).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { ApiError } from './status.js';

interface Target { ready: Promise<URL>; server?: http.Server }

const HOP = ['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'authorization', 'host'];

export class ServiceProxy {
  private readonly targets = new Map<string, Target>();

  /** Registers synchronously (requests wait for an in-process listener to be listening). */
  register(ns: string, service: string, target: string | RequestListener): Promise<void> {
    const prev = this.targets.get(`${ns}/${service}`);
    if (prev?.server) void closeServer(prev.server);
    if (typeof target === 'string') {
      this.targets.set(`${ns}/${service}`, { ready: Promise.resolve(new URL(target)) });
      return Promise.resolve();
    }
    const server = http.createServer(target);
    const ready = new Promise<URL>((resolve) => server.listen(0, '127.0.0.1', () => resolve(new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`))));
    this.targets.set(`${ns}/${service}`, { ready, server });
    return ready.then(() => undefined);
  }

  async unregister(ns: string, service: string): Promise<void> {
    const t = this.targets.get(`${ns}/${service}`);
    this.targets.delete(`${ns}/${service}`);
    if (t?.server) await closeServer(t.server);
  }

  has(ns: string, service: string): boolean { return this.targets.has(`${ns}/${service}`); }

  /** Parses `[scheme:]name[:port]`. */
  static parseName(seg: string): { scheme?: string; name: string; port?: string } {
    const parts = seg.split(':');
    if (parts.length === 3) return { scheme: parts[0]!, name: parts[1]!, port: parts[2]! };
    if (parts.length === 2) return parts[0] === 'http' || parts[0] === 'https' ? { scheme: parts[0], name: parts[1]! } : { name: parts[0]!, port: parts[1]! };
    return { name: seg };
  }

  async forward(ns: string, service: string, path: string, search: string, req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> {
    const t = this.targets.get(`${ns}/${service}`);
    if (!t) throw new ApiError(503, 'ServiceUnavailable', `no endpoints available for service "${service}"`);
    const base = await t.ready;
    const url = new URL(base.pathname.replace(/\/$/, '') + '/' + path.replace(/^\//, '') + search, base);
    const headers: http.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(req.headers)) if (!HOP.includes(k) && v !== undefined) headers[k] = v;
    headers['content-length'] = String(body.length);
    headers['x-forwarded-uri'] = req.url;
    return new Promise((resolve) => {
      const out = http.request(url, { method: req.method, headers }, (up) => {
        const h: http.OutgoingHttpHeaders = {};
        for (const [k, v] of Object.entries(up.headers)) if (!HOP.includes(k) && v !== undefined) h[k] = v;
        res.writeHead(up.statusCode ?? 502, h);
        up.pipe(res);
        up.on('end', () => resolve());
        up.on('error', () => resolve());
      });
      out.on('error', (e) => {
        const err = new ApiError(503, 'ServiceUnavailable', `error trying to reach service: ${e.message}`);
        if (!res.headersSent) res.writeHead(503, { 'content-type': 'application/json' });
        res.end(JSON.stringify(err.body));
        resolve();
      });
      out.end(body);
    });
  }

  async close(): Promise<void> {
    for (const t of this.targets.values()) if (t.server) { await t.ready; await closeServer(t.server); }
    this.targets.clear();
  }
}

function closeServer(s: http.Server): Promise<void> {
  s.closeAllConnections();
  return new Promise((resolve) => s.close(() => resolve()));
}
