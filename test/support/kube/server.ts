// Assembles the test API server: storage, registry, auth, watch hub, hooks, GC, HTTP(S) listener.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from 'node:http';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import type { Clock, KObject, ResourceDef, UserInfo } from './types.js';
import { isMap } from './types.js';
import { Store } from './store.js';
import { Registry } from './registry.js';
import type { Core, WriteOptions } from './core/context.js';
import { keyOf, makeCore } from './core/context.js';
import { syncCrd } from './core/crds.js';
import { create } from './core/write.js';
import { WatchHub } from './watch.js';
import type { Injection, RecordedRequest } from './hooks.js';
import { RequestHooks } from './hooks.js';
import { ANONYMOUS, TokenIssuer } from './auth/tokens.js';
import { bootstrapRbac, SYSTEM_NAMESPACES } from './auth/bootstrap.js';
import { ServiceProxy } from './proxy.js';
import { gcSettle } from './gc.js';
import { makeHandler } from './handler.js';
import type { KubeconfigOptions } from './kubeconfig.js';
import { kubeconfigText, writeKubeconfigFile } from './kubeconfig.js';
import { makeServingCerts } from './tls.js';

export interface KubeApiServerOptions {
  /** 0 (default) picks a free port. The server binds 127.0.0.1 only. */
  port?: number;
  /** Folders of CRD manifests (YAML/JSON, multi-document) to install at start. */
  crdDirs?: string[];
  /** Run kube-controller-manager's garbage collector and namespace controller (default off). */
  garbageCollector?: boolean;
  /** Injectable clock for timestamps, token expiry and TokenReview. */
  now?: Clock;
  /** Serve HTTPS with a generated CA (kubeconfig then carries certificate-authority-data). */
  https?: boolean;
  /**
   * Who a request without an Authorization header is. kubectl never sends a bearer token over plain
   * http, so by default (http) such requests act like the apiserver's old insecure port: user
   * system:unsecured in system:masters. With https (or 'anonymous') they are system:anonymous.
   */
  unauthenticated?: 'privileged' | 'anonymous';
  /** Admin bearer token (system:masters); random when omitted. */
  adminToken?: string;
  /** Extra static tokens → users (for RBAC tests of plain users and groups). */
  tokens?: Record<string, { username: string; groups?: string[]; uid?: string }>;
  /** When a watch without timeoutSeconds is closed by the server (default 1800 s). */
  watchTimeoutSeconds?: number;
  /** Interval of BOOKMARK events on watches that asked for them (default 1000 ms). */
  bookmarkIntervalMs?: number;
  /** How many events the watch history keeps before older start points get 410 (default 10000). */
  historyWindow?: number;
  /** Keep the request recorder on (default true). */
  record?: boolean;
}

export interface KubeTestHooks {
  /** Every request seen (method, path, query, headers, body, user, status). */
  readonly requests: RecordedRequest[];
  clearRequests(): void;
  /** The same recorder as one object: `recorder.requests`, `recorder.clear()`, `recorder.enabled`. */
  readonly recorder: { readonly requests: RecordedRequest[]; clear(): void; enabled: boolean };
  /** Fail or delay the next N requests that match. */
  inject(i: Injection): void;
  clearInjections(): void;
  /** End every open watch stream (clients reconnect from their last resourceVersion). */
  closeWatches(): void;
  /** Drop the watch history and move the revision on: older start points get ERROR 410 Expired. Closes watches too. */
  compact(o?: { closeWatches?: boolean }): void;
  /** Hold watch events back (a half-open connection) until resumeWatches(). */
  pauseWatches(): void;
  resumeWatches(): void;
  /** Run the garbage collector / namespace controller until nothing changes (works with garbageCollector off). */
  runGc(): void;
  /** Open watch streams right now. */
  readonly openWatches: number;
}

export interface KubeTestServer {
  url: string;
  port: number;
  adminToken: string;
  /** PEM of the CA when https is on. */
  caPem?: string;
  kubeconfig(o?: KubeconfigOptions): string;
  writeKubeconfig(path: string, o?: KubeconfigOptions): void;
  registerServiceProxy(namespace: string, serviceName: string, target: string | RequestListener): Promise<void>;
  unregisterServiceProxy(namespace: string, serviceName: string): Promise<void>;
  /** Adds a static bearer token for a user (no RBAC grants: bind roles to the user or its groups). */
  addToken(token: string, user: { username: string; groups?: string[]; uid?: string }): void;
  /** The object as stored (storage version; stringData already folded into data), or undefined. */
  stored(o: { group?: string; resource: string; namespace?: string; name: string }): KObject | undefined;
  /** Creates objects as the admin would (tests' fixtures), bypassing HTTP. */
  seed(objects: KObject[]): KObject[];
  hooks: KubeTestHooks;
  close(): Promise<void>;
}

const adminOpts = (): WriteOptions => ({ dryRun: false, fieldValidation: 'Ignore', warnings: [] });

export async function startKubeApiServer(o: KubeApiServerOptions = {}): Promise<KubeTestServer> {
  const now = o.now ?? (() => new Date());
  const store = new Store(o.historyWindow ?? 10000);
  const registry = new Registry();
  const watches = new WatchHub(store, { defaultTimeoutSeconds: o.watchTimeoutSeconds ?? 1800, bookmarkIntervalMs: o.bookmarkIntervalMs ?? 1000 });
  const core: Core = makeCore(store, registry, now, (name) => {
    syncCrd(core, name);
    watches.closeWhere((d) => !registry.find(d.group, d.version, d.resource));
  });
  const issuer = new TokenIssuer(now);
  const hooks = new RequestHooks();
  hooks.recording = o.record !== false;
  const proxy = new ServiceProxy((resource, ns) => {
    const d = registry.all().find((x) => x.group === (resource === 'endpointslices' ? 'discovery.k8s.io' : '') && x.resource === resource);
    return d ? store.list(keyOf(d), ns) : [];
  });
  const adminToken = o.adminToken ?? `admin-${randomBytes(16).toString('hex')}`;
  const staticTokens = new Map<string, UserInfo>([[adminToken, { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] }]]);
  for (const [t, u] of Object.entries(o.tokens ?? {})) staticTokens.set(t, { username: u.username, groups: [...(u.groups ?? []), 'system:authenticated'], ...(u.uid ? { uid: u.uid } : {}) });

  const seed = (objs: KObject[]): KObject[] => objs.map((obj) => {
    const [group, version] = (obj.apiVersion ?? 'v1').includes('/') ? obj.apiVersion!.split('/') as [string, string] : ['', obj.apiVersion ?? 'v1'];
    const def = registry.byKind(group, version, obj.kind ?? '');
    if (!def) throw new Error(`seed: no resource serves ${obj.apiVersion} ${obj.kind}`);
    return create(core, def, def.namespaced ? obj.metadata.namespace ?? 'default' : undefined, obj, adminOpts());
  });

  // The serviceaccounts controller gives every namespace a "default" ServiceAccount.
  store.subscribe((e) => {
    if (e.key === '/namespaces' && e.type === 'ADDED') queueMicrotask(() => {
      const ns = e.obj.metadata.name!;
      if (store.get('/namespaces', undefined, ns) && !store.get('/serviceaccounts', ns, 'default')) seed([{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: ns } }]);
    });
  });
  for (const ns of SYSTEM_NAMESPACES) seed([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }]);
  const rbac = bootstrapRbac();
  seed([...rbac.clusterRoles, ...rbac.clusterRoleBindings]);
  for (const dir of o.crdDirs ?? []) seed(readManifests(dir).filter((m) => m.kind === 'CustomResourceDefinition'));
  await Promise.resolve();

  let gcScheduled = false;
  const scheduleGc = (): void => {
    if (!o.garbageCollector || gcScheduled) return;
    gcScheduled = true;
    setImmediate(() => { gcScheduled = false; gcSettle(core); });
  };
  if (o.garbageCollector) store.subscribe(() => scheduleGc());

  const privileged = (o.unauthenticated ?? (o.https ? 'anonymous' : 'privileged')) === 'privileged';
  const anonymous: UserInfo = privileged ? { username: 'system:unsecured', groups: ['system:masters', 'system:authenticated'] } : ANONYMOUS;
  const handler = makeHandler({ core, watches, hooks, issuer, proxy, staticTokens, anonymous });
  const certs = o.https ? makeServingCerts(now()) : undefined;
  const server = certs ? https.createServer({ cert: certs.certPem, key: certs.keyPem }, (req, res) => void handler(req, res)) : http.createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `${certs ? 'https' : 'http'}://127.0.0.1:${port}`;

  const findDef = (group: string, resource: string): ResourceDef | undefined => registry.all().find((d) => d.group === group && d.resource === resource);
  return {
    url, port, adminToken,
    ...(certs ? { caPem: certs.caPem } : {}),
    kubeconfig: (k) => kubeconfigText(url, certs?.caPem, adminToken, k),
    writeKubeconfig: (path, k) => writeKubeconfigFile(path, kubeconfigText(url, certs?.caPem, adminToken, k)),
    registerServiceProxy: (ns, svc, target) => proxy.register(ns, svc, target),
    unregisterServiceProxy: (ns, svc) => proxy.unregister(ns, svc),
    addToken: (t, u) => void staticTokens.set(t, { username: u.username, groups: [...(u.groups ?? []), 'system:authenticated'], ...(u.uid ? { uid: u.uid } : {}) }),
    stored: (s) => { const d = findDef(s.group ?? '', s.resource); return d ? store.get(keyOf(d), d.namespaced ? s.namespace ?? 'default' : undefined, s.name) : undefined; },
    seed,
    hooks: {
      requests: hooks.requests,
      clearRequests: () => hooks.clearRequests(),
      recorder: {
        requests: hooks.requests,
        clear: () => hooks.clearRequests(),
        get enabled() { return hooks.recording; },
        set enabled(v: boolean) { hooks.recording = v; },
      },
      inject: (i) => hooks.inject(i),
      clearInjections: () => hooks.clearInjections(),
      closeWatches: () => watches.closeAll(),
      compact: (c) => { store.compact(); if (c?.closeWatches !== false) watches.closeAll(); },
      pauseWatches: () => watches.pause(),
      resumeWatches: () => watches.resume(),
      runGc: () => gcSettle(core),
      get openWatches() { return watches.count; },
    },
    close: async () => {
      watches.closeAll();
      await proxy.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export function readManifests(dir: string): KObject[] {
  const files = statSync(dir).isDirectory() ? readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f)).sort().map((f) => join(dir, f)) : [dir];
  const out: KObject[] = [];
  for (const f of files) {
    for (const doc of YAML.parseAllDocuments(readFileSync(f, 'utf8'))) {
      const v = doc.toJS() as unknown;
      if (isMap(v) && v['kind'] === 'List' && Array.isArray(v['items'])) out.push(...(v['items'] as KObject[]));
      else if (isMap(v)) out.push(v as unknown as KObject);
    }
  }
  return out;
}
