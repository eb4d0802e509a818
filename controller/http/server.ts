// The controller's HTTP API on :8080 (Bitnami's endpoints plus ours). Handlers depend on functions,
// not on the controller, and never return secret material: only the public certificate, status codes,
// re-sealed ciphertext and key metadata.
import http from 'node:http';
import { parseAllDocuments } from 'yaml';
import type { ControllerMetrics } from '../metrics/index.js';
import type { Logger } from '../log.js';
import { errorText } from '../log.js';
import type { Json } from '../kube/index.js';
import { ClientRateLimiter } from './rate-limit.js';

export interface KeyInfo {
  name: string;
  fingerprint: string;
  created: string;
  notAfter: string;
  active: boolean;
  newest: boolean;
  sealedSecrets: number;
  /** The Secret is the legacy key (named exactly --key-prefix, not label-selected). */
  legacy?: boolean;
  /** The `cloak keys rotate` request id this key was made for. */
  rotateRequest?: string;
}

export interface ApiHandlers {
  /** PEM of the newest certificate, or undefined when no key is loaded yet. */
  getCert(): string | undefined;
  /** true when every item decrypts. */
  verify(ss: Json): Promise<boolean>;
  /** The re-sealed SealedSecret, or undefined when it cannot be decrypted. */
  rotate(ss: Json): Promise<Json | undefined>;
  /** Read-only: key management goes through key Secrets and RBAC, never through this API. */
  listKeys(): Promise<KeyInfo[]>;
  ready(): boolean;
}

export interface ApiServerOptions {
  handlers: ApiHandlers;
  metrics: ControllerMetrics;
  log: Logger;
  rateLimit: number;
  rateLimitBurst: number;
  readTimeoutMs: number;
  writeTimeoutMs: number;
  /** false (--enable-sealed-secrets=false): the /v1 endpoints answer 404 saying the half is disabled. */
  sealedSecrets?: boolean;
}

const MAX_BODY = 2 * 1024 * 1024;
const INSTRUMENTED = new Set(['/v1/verify', '/v1/rotate', '/v1/cert.pem']);

class HttpError extends Error {
  constructor(readonly status: number, message: string) { super(message); }
}

export function createApiServer(o: ApiServerOptions): http.Server {
  const limiter = new ClientRateLimiter(o.rateLimit, o.rateLimitBurst);
  const server = http.createServer({ requestTimeout: o.readTimeoutMs, headersTimeout: Math.min(o.readTimeoutMs, 60_000) || 60_000 }, (req, res) => {
    const started = process.hrtime.bigint();
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const method = req.method ?? 'GET';
    res.setTimeout(o.writeTimeoutMs);
    res.on('finish', () => {
      if (!INSTRUMENTED.has(path)) return;
      o.metrics.httpRequests.inc({ path, code: String(res.statusCode), method });
      o.metrics.httpDuration.observe({ path, method }, Number(process.hrtime.bigint() - started) / 1e9);
    });
    route(path, method, req, res).catch((e: unknown) => {
      const status = e instanceof HttpError ? e.status : 500;
      if (status === 500) o.log.error('HTTP handler failed', { path, error: errorText(e) });
      if (!res.headersSent) send(res, status, 'text/plain; charset=utf-8', `${e instanceof HttpError ? e.message : 'internal error'}\n`);
      else res.end();
    });
  });

  async function route(path: string, method: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const h = o.handlers;
    if (o.sealedSecrets === false && path.startsWith('/v1/')) {
      throw new HttpError(404, 'the Sealed Secrets half is disabled on this controller (--enable-sealed-secrets=false): no certificate, verify, rotate or keys');
    }
    switch (path) {
      case '/healthz':
        return send(res, 200, 'text/plain; charset=utf-8', 'ok\n');
      case '/readyz':
        return h.ready() ? send(res, 200, 'text/plain; charset=utf-8', 'ok\n') : send(res, 503, 'text/plain; charset=utf-8', 'not ready\n');
      case '/v1/cert.pem': {
        const pem = h.getCert();
        if (!pem) return send(res, 500, 'text/plain; charset=utf-8', 'cannot get certificate\n');
        return send(res, 200, 'application/x-pem-file', pem);
      }
      case '/v1/verify':
      case '/v1/rotate': {
        if (limited(path, req, res)) return;
        const ss = parseSealedSecret(await readBody(req));
        if (path === '/v1/verify') {
          return (await h.verify(ss)) ? send(res, 200, 'text/plain; charset=utf-8', '') : send(res, 409, 'text/plain; charset=utf-8', '');
        }
        const out = await h.rotate(ss);
        if (!out) return send(res, 409, 'text/plain; charset=utf-8', 'error decrypting secret: no key could decrypt secret\n');
        return send(res, 200, 'application/json', JSON.stringify(out));
      }
      case '/v1/keys':
        if (method !== 'GET') throw new HttpError(405, 'use GET; rotate and retire keys with `cloak keys rotate|retire`, which go through the Kubernetes API and its RBAC');
        return sendJson(res, 200, { keys: await h.listKeys() });
      default:
        throw new HttpError(404, 'not found');
    }
  }

  function limited(path: string, req: http.IncomingMessage, res: http.ServerResponse): boolean {
    const wait = limiter.check(path, req);
    if (wait === undefined) return false;
    res.setHeader('Retry-After', String(wait));
    res.setHeader('X-RateLimit-Limit', String(o.rateLimitBurst));
    res.setHeader('X-RateLimit-Remaining', '0');
    send(res, 429, 'text/plain; charset=utf-8', 'limit exceeded\n');
    return true;
  }

  return server;
}

function send(res: http.ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json', JSON.stringify(body));
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) { reject(new HttpError(413, 'request body too large')); req.destroy(); return; }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => reject(new HttpError(400, 'cannot read request body')));
  });
}

/** One SealedSecret as JSON or YAML (Bitnami rejects multi-document bodies too). */
export function parseSealedSecret(body: Buffer): Json {
  const docs = parseAllDocuments(body.toString('utf8')).filter((d) => d.contents !== null);
  if (docs.length !== 1) throw new HttpError(400, docs.length === 0 ? 'empty body: send one SealedSecret' : 'send exactly one SealedSecret, not a multi-document stream');
  const doc = docs[0];
  if (!doc || doc.errors.length > 0) throw new HttpError(400, 'body is not valid JSON or YAML');
  const obj = doc.toJS() as Json | null;
  if (!obj || typeof obj !== 'object' || obj.kind !== 'SealedSecret' || typeof obj.apiVersion !== 'string' || !String(obj.apiVersion).startsWith('bitnami.com/')) {
    throw new HttpError(400, 'body must be a bitnami.com/v1alpha1 SealedSecret with apiVersion and kind');
  }
  if (obj.apiVersion !== 'bitnami.com/v1alpha1') throw new HttpError(400, `apiVersion ${JSON.stringify(obj.apiVersion)} is not served: send bitnami.com/v1alpha1`);
  const meta = (obj.metadata ?? {}) as { name?: unknown; namespace?: unknown; annotations?: unknown };
  if (typeof meta.name !== 'string' || !meta.name) throw new HttpError(400, 'the SealedSecret needs metadata.name');
  if (meta.namespace !== undefined && typeof meta.namespace !== 'string') throw new HttpError(400, 'metadata.namespace must be a string');
  if (!isStringMap(meta.annotations, true)) throw new HttpError(400, 'metadata.annotations must be a mapping of strings');
  // As Bitnami's decoder: a spec, encryptedData or template of the wrong shape is a bad request,
  // not a SealedSecret that "cannot be decrypted" (nor one that decrypts to nothing).
  const spec = obj.spec as Record<string, unknown> | undefined | null;
  if (spec !== undefined && spec !== null) {
    if (typeof spec !== 'object' || Array.isArray(spec)) throw new HttpError(400, 'spec must be a mapping');
    if (!isStringMap(spec['encryptedData'], true)) throw new HttpError(400, 'spec.encryptedData must be a mapping of item names to base64 ciphertext');
    if (spec['data'] !== undefined && spec['data'] !== null && typeof spec['data'] !== 'string') throw new HttpError(400, 'spec.data must be a base64 string');
    const t = spec['template'];
    if (t !== undefined && t !== null && (typeof t !== 'object' || Array.isArray(t))) throw new HttpError(400, 'spec.template must be a mapping');
  }
  return obj;
}

function isStringMap(v: unknown, optional: boolean): boolean {
  if (v === undefined || v === null) return optional;
  return typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');
}
