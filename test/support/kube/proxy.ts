// Service proxy: /api/v1/namespaces/{ns}/services/{[scheme:]name[:port]}/proxy/{path} forwarded to a
// target registered for that Service (a base URL, or an in-process request listener served on loopback),
// else, as the apiserver's ResourceLocation does, to an address of the Service's Endpoints (or, when there
// is no Endpoints object, its EndpointSlices) on the named port. Only loopback addresses are reachable.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { ApiError } from './status.js';
import type { KObject } from './types.js';

interface Target { ready: Promise<URL>; server?: http.Server }

/** Lists the stored objects of a resource in a namespace (services, endpoints, endpointslices). */
export type ObjectLister = (resource: 'services' | 'endpoints' | 'endpointslices', namespace: string) => KObject[];

const HOP = ['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'authorization', 'host'];

export class ServiceProxy {
  private readonly targets = new Map<string, Target>();

  constructor(private readonly objects: ObjectLister = () => []) {}

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

  async forward(ns: string, seg: string, path: string, search: string, req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> {
    const { name: service } = ServiceProxy.parseName(seg);
    const t = this.targets.get(`${ns}/${service}`);
    const base = t ? await t.ready : this.resolve(ns, seg);
    const url = new URL(base.pathname.replace(/\/$/, '') + '/' + path.replace(/^\//, '') + search, base);
    const headers: http.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(req.headers)) if (!HOP.includes(k) && v !== undefined) headers[k] = v;
    headers['content-length'] = String(body.length);
    headers['x-forwarded-uri'] = req.url;
    return new Promise((resolve) => {
      const transport = url.protocol === 'https:' ? https : http;
      // As the apiserver's proxy transport: a pod's serving certificate is not verified.
      const out = transport.request(url, { method: req.method, headers, ...(url.protocol === 'https:' ? { rejectUnauthorized: false } : {}) }, (up) => {
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

  /** The apiserver's ResourceLocation: the service port by name or number, then a ready loopback address. */
  private resolve(ns: string, seg: string): URL {
    const { scheme, name, port } = ServiceProxy.parseName(seg);
    const svc = this.objects('services', ns).find((o) => o.metadata.name === name);
    if (!svc) throw new ApiError(503, 'ServiceUnavailable', `no endpoints available for service "${name}"`);
    const ports = ((svc['spec'] as { ports?: Array<{ name?: string; port?: number }> } | undefined)?.ports) ?? [];
    let portName = port ?? '';
    if (/^\d+$/.test(portName)) {
      const p = ports.find((sp) => String(sp.port) === portName);
      if (!p) throw new ApiError(503, 'ServiceUnavailable', `no service port ${portName} found for service "${name}"`);
      portName = p.name ?? '';
    }
    // No port in the path and a single-port Service (kubeseal's `http:NAME:`): that port.
    if (portName === '' && ports.length === 1) portName = ports[0]!.name ?? '';
    const candidates = this.addresses(ns, name, portName);
    if (candidates.length === 0) throw new ApiError(503, 'ServiceUnavailable', `no endpoints available for service "${seg}"`);
    const pick = candidates[Math.floor(Math.random() * candidates.length)]!;
    if (!isLoopback(pick.ip)) throw new ApiError(503, 'ServiceUnavailable', `error trying to reach service: dial tcp ${hostPort(pick.ip, pick.port)}: the test API server reaches only loopback addresses (127.0.0.0/8, ::1)`);
    return new URL(`${scheme === 'https' ? 'https' : 'http'}://${hostPort(pick.ip, pick.port)}/`);
  }

  /** Ready addresses serving the port named `portName`: from the Endpoints object, else from EndpointSlices. */
  private addresses(ns: string, service: string, portName: string): Array<{ ip: string; port: number }> {
    const out: Array<{ ip: string; port: number }> = [];
    const ep = this.objects('endpoints', ns).find((o) => o.metadata.name === service);
    if (ep) {
      type Subset = { addresses?: Array<{ ip?: string }>; ports?: Array<{ name?: string; port?: number }> };
      for (const ss of (ep['subsets'] as Subset[] | undefined) ?? []) {
        const p = (ss.ports ?? []).find((x) => (x.name ?? '') === portName);
        if (!p?.port) continue;
        for (const a of ss.addresses ?? []) if (a.ip) out.push({ ip: a.ip, port: p.port });
      }
      return out;
    }
    type Slice = KObject & { endpoints?: Array<{ addresses?: string[]; conditions?: { ready?: boolean } }>; ports?: Array<{ name?: string; port?: number }> };
    for (const sl of this.objects('endpointslices', ns) as Slice[]) {
      if (sl.metadata.labels?.['kubernetes.io/service-name'] !== service) continue;
      const p = (sl.ports ?? []).find((x) => (x.name ?? '') === portName);
      if (!p?.port) continue;
      for (const e of sl.endpoints ?? []) if (e.conditions?.ready !== false) for (const ip of e.addresses ?? []) out.push({ ip, port: p.port });
    }
    return out;
  }

  async close(): Promise<void> {
    for (const t of this.targets.values()) if (t.server) { await t.ready; await closeServer(t.server); }
    this.targets.clear();
  }
}

function isLoopback(ip: string): boolean {
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(ip) || ip === '::1';
}

function hostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

function closeServer(s: http.Server): Promise<void> {
  s.closeAllConnections();
  return new Promise((resolve) => s.close(() => resolve()));
}
