// A faithful in-process HashiCorp Vault for tests: real HTTP (including the LIST verb), real
// envelopes and error bodies, KV v1/v2, tokens with TTLs on an injectable clock, ACL policies,
// approle/kubernetes/jwt/userpass/cert auth and namespaces. Configure it through its HTTP API
// like real Vault, or with `seed()`.
import type { AddressInfo } from 'node:net';
import type net from 'node:net';
import { randomBytes } from 'node:crypto';
import { createRawServer } from './raw-http.js';
import { type VaultState, newMount, newNamespace } from './state.js';
import { issueToken } from './tokens.js';
import { route, type RequestRecord } from './router.js';
import { apiCaller, seed, type SeedSpec, type SeedResult } from './seed.js';
import { serviceToken } from './util.js';

export type { SeedSpec, SeedResult, RequestRecord };

export interface VaultServerOptions {
  port?: number;
  rootToken?: string;
  /** Clock in milliseconds since the epoch (token TTLs, secret-id TTLs, KV times). */
  now?: () => number;
  /** Kubernetes API used for TokenReview by kubernetes auth mounts that have no `config` of their own. */
  kubeApi?: { url: string; token: string; ca?: string };
  /** Serve HTTPS (needed for cert auth); the server asks for, but does not require, client certificates. */
  tls?: { key: string; cert: string; ca?: string };
}

export interface VaultTestServer {
  url: string;
  rootToken: string;
  unsealKey: string;
  /** Every request served, in order (method, path relative to its namespace, namespace, status). */
  requests: RequestRecord[];
  seed(spec: SeedSpec): Promise<SeedResult>;
  /** Static Kubernetes JWT → ServiceAccount identity, used when no Kubernetes API is configured. */
  setKubernetesToken(jwt: string, sa: { namespace: string; name: string; uid?: string }): void;
  seal(): void;
  unseal(): void;
  /** Requests matching a method and a path regexp (for counting logins and reads). */
  count(method: string | RegExp, path: RegExp): number;
  close(): Promise<void>;
}

export async function startVaultServer(o: VaultServerOptions = {}): Promise<VaultTestServer> {
  const state: VaultState = {
    root: newNamespace(''),
    tokens: new Map(),
    sealed: false,
    unsealKey: randomBytes(32).toString('base64'),
    now: o.now ?? Date.now,
    kubernetesTokens: new Map(),
    kubeApi: o.kubeApi,
    clusterName: 'vault-cluster-cloak',
    clusterId: 'c0a1b2c3-0000-4000-8000-000000000000',
    version: '1.17.6',
  };
  state.root.mounts.set('secret/', newMount('secret/', 'kv', { version: 2, description: 'key/value secret storage' }));
  const rootToken = o.rootToken ?? serviceToken();
  issueToken(state, state.root, { policies: ['root'], path: 'auth/token/root', displayName: 'root', orphan: true, id: rootToken });

  const requests: RequestRecord[] = [];
  const server: net.Server = createRawServer((req) => route(state, req, requests), o.tls ? { key: o.tls.key, cert: o.tls.cert, ca: o.tls.ca } : undefined);
  const sockets = new Set<net.Socket>();
  server.on(o.tls ? 'secureConnection' : 'connection', (s: net.Socket) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(o.port ?? 0, '127.0.0.1', () => resolve()); });
  const port = (server.address() as AddressInfo).port;
  const url = `${o.tls ? 'https' : 'http'}://127.0.0.1:${port}`;

  return {
    url,
    rootToken,
    unsealKey: state.unsealKey,
    requests,
    seed: (spec) => seed(apiCaller(url, rootToken), spec),
    setKubernetesToken: (jwt, sa) => { state.kubernetesTokens.set(jwt, { namespace: sa.namespace, name: sa.name, uid: sa.uid ?? `uid-${sa.namespace}-${sa.name}` }); },
    seal: () => { state.sealed = true; },
    unseal: () => { state.sealed = false; },
    count: (method, path) => requests.filter((r) => (typeof method === 'string' ? r.method === method : method.test(r.method)) && path.test(r.path)).length,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
