// Request dispatch: `/v1/` prefix, LIST normalisation, namespaces, sealed state, authentication,
// ACL checks, then the sys / token / auth-method / KV handlers.
import type { RawRequest, RawResponse } from './raw-http.js';
import { type VaultState, type AuthMount, type Mount, type Namespace, resolveNamespace } from './state.js';
import { type Ctx, type Op, type Reply, ReplyError, errors, unsupportedPath, unsupportedOperation } from './reply.js';
import { authenticate, authorize, useToken } from './access.js';
import { handleSys } from './sys.js';
import { handleTokenRoutes } from './tokens.js';
import { handleKv, kvExists } from './kv.js';
import { AUTH_METHODS } from './auth/index.js';
import { isPlainObject, parseExact } from './util.js';

export interface RequestRecord { method: string; path: string; namespace: string; status: number }

const UNSEALED_ONLY_EXEMPT = new Set(['sys/health', 'sys/seal-status', 'sys/unseal', 'sys/init', 'sys/leader']);
const SYS_UNAUTH = new Set(['health', 'seal-status', 'unseal', 'init', 'leader', 'internal/ui/mounts']);
const SYS_SUDO = [/^seal$/, /^auth\/.+/, /^step-down$/];

function longest<T extends { path: string }>(items: Iterable<T>, path: string): T | undefined {
  let best: T | undefined;
  const p = path.endsWith('/') ? path : `${path}/`;
  for (const m of items) if (p.startsWith(m.path) && (!best || m.path.length > best.path.length)) best = m;
  return best;
}

function opFor(method: Ctx['method']): Op {
  switch (method) {
    case 'GET': case 'HEAD': return 'read';
    case 'LIST': return 'list';
    case 'DELETE': return 'delete';
    case 'PATCH': return 'patch';
    default: return 'update';
  }
}

export async function route(state: VaultState, req: RawRequest, log: RequestRecord[]): Promise<RawResponse> {
  const url = new URL(req.url, 'http://vault');
  let reply: Reply;
  let nsPath = '';
  let rel = url.pathname;
  try {
    if (!url.pathname.startsWith('/v1/')) {
      reply = errors(404);
    } else {
      const r = await dispatch(state, req, url);
      reply = r.reply;
      nsPath = r.ns?.path ?? '';
      rel = r.rest;
    }
  } catch (e) {
    reply = e instanceof ReplyError ? e.reply : errors(500, `1 error occurred:\n\t* ${(e as Error).message}\n\n`);
  }
  log.push({ method: req.method, path: rel, namespace: nsPath, status: reply.status });
  if (reply.status === 204 || reply.body === undefined) return { status: reply.status, headers: { 'Cache-Control': 'no-store', ...(reply.headers ?? {}) } };
  return { status: reply.status, headers: { 'Cache-Control': 'no-store', 'Content-Type': 'application/json', ...(reply.headers ?? {}) }, body: `${JSON.stringify(reply.body)}\n` };
}

async function dispatch(state: VaultState, req: RawRequest, url: URL): Promise<{ reply: Reply; ns?: Namespace; rest: string }> {
  const rawPath = decodeURIComponent(url.pathname.slice(4));
  let method = req.method.toUpperCase();
  const listQ = url.searchParams.get('list');
  if (method === 'GET' && listQ !== null && /^(1|t|T|TRUE|true|True)$/.test(listQ)) method = 'LIST';
  if (method === 'PUT') method = 'POST';
  if (!['GET', 'LIST', 'POST', 'PATCH', 'DELETE', 'HEAD'].includes(method)) return { reply: unsupportedOperation(), rest: rawPath };

  let body: Record<string, unknown> = {};
  let bodyExact: Record<string, unknown> = {};
  if (req.body.length > 0 && method !== 'GET' && method !== 'HEAD') {
    try {
      const parsed: unknown = JSON.parse(req.body.toString('utf8'));
      if (isPlainObject(parsed)) { body = parsed; bodyExact = parseExact(req.body.toString('utf8')) as Record<string, unknown>; }
    } catch (e) {
      return { reply: errors(400, `failed to parse JSON input: ${(e as Error).message}`), rest: rawPath };
    }
  }

  const resolved = resolveNamespace(state, req.headers['x-vault-namespace'], rawPath);
  if ('missing' in resolved) return { reply: unsupportedPath(rawPath), rest: rawPath };
  const { ns, rest } = resolved;
  if (state.sealed && !UNSEALED_ONLY_EXEMPT.has(rest)) return { reply: errors(503, 'Vault is sealed'), ns, rest };
  if (method === 'HEAD' && rest !== 'sys/health') return { reply: unsupportedOperation(), ns, rest };

  const ctx: Ctx = { state, method: method as Ctx['method'], op: opFor(method as Ctx['method']), ns, path: rest, query: url.searchParams, body, bodyExact, headers: req.headers, peerCertificates: req.peerCertificates };
  const reply = await handle(ctx, rest);
  if (reply.status < 400) useToken(ctx);
  return { reply, ns, rest };
}

async function handle(ctx: Ctx, rest: string): Promise<Reply> {
  const { ns } = ctx;
  if (rest.startsWith('sys/')) {
    const sub = rest.slice(4);
    if (!SYS_UNAUTH.has(sub)) {
      const denied = authenticate(ctx);
      if (denied) return denied;
      if (!/^(internal\/ui\/mounts\/|mounts-all\/)/.test(sub)) {
        const no = authorize(ctx, rest, ctx.op, SYS_SUDO.some((re) => re.test(sub)) && ctx.method !== 'GET');
        if (no) return no;
      }
    }
    return handleSys(ctx, sub);
  }
  if (rest.startsWith('auth/')) {
    const sub = rest.slice(5);
    const mount: AuthMount | undefined = longest(ns.auths.values(), sub);
    if (mount && mount.type === 'token') {
      const denied = authenticate(ctx) ?? authorize(ctx, rest, ctx.op, /^token\/accessors\/?$/.test(sub));
      return denied ?? handleTokenRoutes(ctx, sub.slice(mount.path.length));
    }
    const method = mount ? AUTH_METHODS[mount.type] : undefined;
    if (!mount || !method) return authenticate(ctx) ?? unsupportedPath(rest);
    const tail = sub.slice(mount.path.length);
    if (!(method.unauthenticated(tail) && ctx.method === 'POST')) {
      const denied = authenticate(ctx) ?? authorize(ctx, rest, ctx.op);
      if (denied) return denied;
    }
    return method.handle(ctx, mount, tail);
  }
  const mount: Mount | undefined = longest(ns.mounts.values(), rest);
  const denied = authenticate(ctx);
  if (denied) return denied;
  if (!mount) return unsupportedPath(rest);
  const tail = rest.slice(mount.path.length);
  let op = ctx.op;
  if (op === 'update' && mount.kv && !kvExists(mount, tail)) op = 'create';
  const no = authorize(ctx, rest, op);
  if (no) return no;
  if (!mount.kv) return unsupportedOperation();
  return handleKv(ctx, mount, tail);
}
