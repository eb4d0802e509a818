// The request pipeline: record → inject → authenticate → authorize → serve.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KObject, UserInfo } from './types.js';
import { ApiError, methodNotAllowed, pathNotFound, unauthorized, forbidden } from './status.js';
import { asApiError, decodeObject, decodePatch, readBody, sendError, sendJson, warningHeader } from './http-util.js';
import type { ResourceRoute } from './routes.js';
import { route, verbOf } from './routes.js';
import { AGGREGATED_CT, aggregated, apiGroupList, apiResourceList, apiVersions, versionInfo, wantsAggregated } from './discovery.js';
import { OPENAPI_V2_PROTOBUF, openapiDocument, openapiIndex, openapiV2Json, openapiV2Protobuf } from './openapi.js';
import type { Core, WriteOptions } from './core/context.js';
import { rfc3339 } from './core/context.js';
import { create, patch, update } from './core/write.js';
import { deleteObject } from './core/delete.js';
import type { DeleteOptions } from './core/delete.js';
import { getObject, listObjects } from './core/read.js';
import { parseFieldSelector, parseLabelSelector } from './selectors.js';
import type { WatchHub } from './watch.js';
import type { RecordedRequest, RequestHooks } from './hooks.js';
import { injectedError } from './hooks.js';
import type { Attributes } from './auth/rbac.js';
import { authorize, forbiddenText } from './auth/rbac.js';
import type { TokenIssuer } from './auth/tokens.js';
import { API_AUDIENCES, ISSUER } from './auth/tokens.js';
import { accessReview, authenticateSaToken, rulesReview, selfSubjectReview, subjectAccessReview, tokenRequest, tokenReview } from './auth/reviews.js';
import { ServiceProxy } from './proxy.js';
import { tableColumns, toTable, wantsTable } from './table.js';
import { impersonate } from './auth/impersonate.js';

export interface HandlerDeps {
  core: Core;
  watches: WatchHub;
  hooks: RequestHooks;
  issuer: TokenIssuer;
  proxy: ServiceProxy;
  staticTokens: Map<string, UserInfo>;
  /** Who a request without credentials is: system:anonymous, or (plain-HTTP mode) the old insecure port's privileged user. */
  anonymous: UserInfo;
}

export function makeHandler(d: HandlerDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    const watch = ['true', '1'].includes(url.searchParams.get('watch') ?? '');
    let rec: RecordedRequest | undefined;
    try {
      const body = await readBody(req);
      if (d.hooks.recording) {
        rec = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), url: req.url ?? '/', headers: req.headers, body: body.toString('utf8') };
        d.hooks.requests.push(rec);
        if (d.hooks.requests.length > d.hooks.maxRecords) d.hooks.requests.splice(0, d.hooks.requests.length - d.hooks.maxRecords);
        res.on('finish', () => { rec!.status = res.statusCode; });
      }
      const inj = d.hooks.take(method, url.pathname, url.search, watch);
      if (inj?.delayMs) await new Promise((r) => setTimeout(r, inj.delayMs));
      const injected = inj && injectedError(inj);
      if (injected) throw injected;
      const user = impersonate(d.core.store, authenticate(d, req.headers.authorization), req.headers);
      if (rec) rec.user = user.username;
      await serve(d, req, res, url, method, body, user, watch);
    } catch (e) {
      if (res.headersSent) { res.end(); return; }
      sendError(res, asApiError(e));
    }
  };
}

function authenticate(d: HandlerDeps, header: string | undefined): UserInfo {
  if (!header) return d.anonymous;
  const m = header.match(/^Bearer\s+(.+)$/i);
  if (!m) throw unauthorized();
  const token = m[1]!.trim();
  const s = d.staticTokens.get(token);
  if (s) return s;
  const r = authenticateSaToken(d.core.store, d.issuer, token, API_AUDIENCES);
  if ('error' in r) throw unauthorized();
  return r.user;
}

function check(d: HandlerDeps, user: UserInfo, a: Attributes, r?: ResourceRoute): void {
  if (authorize(d.core.store, user, a)) return;
  if (!r) throw new ApiError(403, 'Forbidden', `forbidden: ${forbiddenText(user, a)}`, {});
  throw forbidden({ group: r.group, resource: r.def.resource }, r.name ?? '', forbiddenText(user, a));
}

async function serve(d: HandlerDeps, req: IncomingMessage, res: ServerResponse, url: URL, method: string, body: Buffer, user: UserInfo, watch: boolean): Promise<void> {
  const rt = route(d.core.registry, url.pathname);
  if (rt.kind === 'nonresource' || rt.kind === 'discovery') {
    check(d, user, { verb: method.toLowerCase(), path: url.pathname });
    if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed();
    return nonResource(d, req, res, url, rt.kind === 'discovery' ? rt : undefined);
  }
  const r = rt.r;
  const verb = verbOf(method, r, watch);
  if (r.sub === 'proxy' && (!r.def.namespaced || r.def.resource !== 'services')) throw pathNotFound();
  // As in the apiserver's RequestInfo, a namespace object's own namespace attribute is its name.
  const attrNs = r.group === '' && r.def.resource === 'namespaces' ? r.name ?? '' : r.ns ?? '';
  check(d, user, { verb, group: r.group, resource: r.def.resource, subresource: r.sub, namespace: attrNs, name: r.name ?? '' }, r);
  if (r.sub === 'proxy') {
    return d.proxy.forward(r.ns!, r.name!, r.rest, url.search, req, body, res);
  }
  const q = url.searchParams;
  const opts: WriteOptions = {
    dryRun: q.getAll('dryRun').includes('All'),
    fieldValidation: (['Ignore', 'Warn', 'Strict'].includes(q.get('fieldValidation') ?? '') ? q.get('fieldValidation') : 'Warn') as WriteOptions['fieldValidation'],
    warnings: [],
  };
  const fm = q.get('fieldManager') ?? undefined;
  if (fm) opts.fieldManager = fm;
  else if (method !== 'PATCH' || !(req.headers['content-type'] ?? '').startsWith('application/apply-patch')) opts.fieldManager = (req.headers['user-agent'] ?? 'unknown').split('/')[0]!.slice(0, 128);
  const reply = (code: number, obj: unknown): void => sendJson(res, code, obj, warningHeader(opts.warnings));
  const { core } = d;
  const def = r.def;

  if (def.virtual) {
    if (method !== 'POST' || r.name) throw methodNotAllowed();
    const b = decodeObject(body, req.headers['content-type']) as Record<string, unknown>;
    const out = ({
      tokenreviews: () => tokenReview(core.store, d.issuer, b),
      selfsubjectaccessreviews: () => accessReview(core.store, user, 'SelfSubjectAccessReview', b),
      selfsubjectrulesreviews: () => rulesReview(core.store, user, b),
      subjectaccessreviews: () => subjectAccessReview(core.store, 'SubjectAccessReview', b),
      localsubjectaccessreviews: () => subjectAccessReview(core.store, 'LocalSubjectAccessReview', b, r.ns),
      selfsubjectreviews: () => selfSubjectReview(user, b),
    } as Record<string, () => object>)[def.resource]!();
    return reply(201, out);
  }
  if (r.sub === 'token') {
    if (method !== 'POST') throw methodNotAllowed();
    const b = decodeObject(body, req.headers['content-type']) as Record<string, unknown>;
    return reply(201, tokenRequest(core.store, d.issuer, r.ns!, r.name!, b, rfc3339));
  }
  const done = reply;
  // Across all namespaces there is only list/watch, as on the real server.
  if (def.namespaced && r.ns === undefined && method !== 'GET' && method !== 'HEAD') throw methodNotAllowed();
  switch (method) {
    case 'GET':
    case 'HEAD': {
      const columns = wantsTable(req.headers.accept) ? tableColumns(def) : undefined;
      const asTable = (o: Parameters<typeof toTable>[1]): unknown => (columns ? toTable(columns, o, q.get('includeObject')) : o);
      if (r.name && !watch) return reply(200, asTable(getObject(core, def, r.ns, r.name)));
      const labels = parseLabelSelector(q.get('labelSelector'));
      const fieldSel = [q.get('fieldSelector'), r.name && watch ? `metadata.name=${r.name}` : ''].filter(Boolean).join(',');
      const fields = parseFieldSelector(fieldSel, def);
      if (watch) {
        const ts = q.get('timeoutSeconds');
        d.watches.serve(res, {
          def, ns: r.ns, labels, fields, resourceVersion: q.get('resourceVersion') ?? undefined,
          bookmarks: q.get('allowWatchBookmarks') === 'true', timeoutSeconds: ts ? Number(ts) : undefined, sendInitialEvents: q.get('sendInitialEvents') === 'true',
        });
        return;
      }
      const limit = Number(q.get('limit') ?? 0);
      return reply(200, asTable(listObjects(core, def, r.ns, labels, fields, { limit: Number.isFinite(limit) ? limit : 0, ...(q.get('continue') ? { continue: q.get('continue')! } : {}) }) as Parameters<typeof toTable>[1]));
    }
    case 'POST': {
      if (r.name) throw methodNotAllowed();
      return done(201, create(core, def, r.ns, decodeObject(body, req.headers['content-type']), opts));
    }
    case 'PUT': {
      if (!r.name) throw methodNotAllowed();
      const out = update(core, { def, ns: r.ns, name: r.name, body: decodeObject(body, req.headers['content-type']), sub: r.sub, opts });
      return done(out.status, out.obj);
    }
    case 'PATCH': {
      if (!r.name) throw methodNotAllowed();
      const ct = (req.headers['content-type'] ?? '').toLowerCase();
      const out = patch(core, { def, ns: r.ns, name: r.name, contentType: ct, patch: decodePatch(body, ct), sub: r.sub, opts, force: q.get('force') === 'true' });
      return done(out.status, out.obj);
    }
    case 'DELETE': {
      const o: DeleteOptions = body.length ? (decodeObject(body, 'application/json') as DeleteOptions) : {};
      if (q.get('propagationPolicy')) o.propagationPolicy = q.get('propagationPolicy')!;
      if (q.getAll('dryRun').includes('All')) opts.dryRun = true;
      if (r.name) {
        const out = deleteObject(core, def, r.ns, r.name, o, opts);
        return done(200, out.obj);
      }
      const list = listObjects(core, def, r.ns, parseLabelSelector(q.get('labelSelector')), parseFieldSelector(q.get('fieldSelector'), def));
      const deleted: unknown[] = [];
      for (const item of list.items as KObject[]) {
        const out = deleteObject(core, def, item.metadata.namespace, item.metadata.name!, o, opts);
        deleted.push(out.kind === 'object' ? out.obj : item);
      }
      return done(200, { ...list, items: deleted });
    }
    default: throw methodNotAllowed();
  }
}

function nonResource(d: HandlerDeps, req: IncomingMessage, res: ServerResponse, url: URL, disc?: { group: string; version: string }): void {
  const reg = d.core.registry;
  const p = url.pathname.replace(/\/$/, '') || '/';
  const accept = req.headers.accept;
  if (disc) {
    const list = apiResourceList(reg, disc.group, disc.version);
    if (!list) throw pathNotFound();
    return sendJson(res, 200, list);
  }
  const group = p.match(/^\/apis\/([^/]+)$/)?.[1];
  if (group) {
    const versions = reg.groups().get(group);
    if (!versions) throw pathNotFound();
    const vs = versions.map((v) => ({ groupVersion: `${group}/${v}`, version: v }));
    return sendJson(res, 200, { kind: 'APIGroup', apiVersion: 'v1', name: group, versions: vs, preferredVersion: vs[0] });
  }
  switch (p) {
    case '/version': return sendJson(res, 200, versionInfo);
    case '/healthz': case '/livez': case '/readyz':
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
      return void res.end('ok');
    case '/api':
      if (wantsAggregated(accept)) return sendJson(res, 200, aggregated(reg, true), {}, AGGREGATED_CT);
      return sendJson(res, 200, apiVersions(req.headers.host ?? '127.0.0.1'));
    case '/apis':
      if (wantsAggregated(accept)) return sendJson(res, 200, aggregated(reg, false), {}, AGGREGATED_CT);
      return sendJson(res, 200, apiGroupList(reg));
    case '/openapi/v3': return sendJson(res, 200, openapiIndex(reg));
    case '/openapi/v2':
      if (!(accept ?? '').includes('protobuf')) return sendJson(res, 200, openapiV2Json());
      res.writeHead(200, { 'content-type': OPENAPI_V2_PROTOBUF });
      return void res.end(openapiV2Protobuf());
    case '/.well-known/openid-configuration':
      return sendJson(res, 200, { issuer: ISSUER, jwks_uri: `${ISSUER}/openid/v1/jwks`, response_types_supported: ['id_token'], subject_types_supported: ['public'], id_token_signing_alg_values_supported: ['RS256'] });
    case '/openid/v1/jwks': return sendJson(res, 200, d.issuer.jwks(), {}, 'application/jwk-set+json');
  }
  const m = p.match(/^\/openapi\/v3\/(?:api\/([^/]+)|apis\/([^/]+)\/([^/]+))$/);
  if (m) {
    const doc = m[1] ? openapiDocument(reg, '', m[1]) : openapiDocument(reg, m[2]!, m[3]!);
    if (doc) return sendJson(res, 200, doc);
  }
  throw pathNotFound();
}
