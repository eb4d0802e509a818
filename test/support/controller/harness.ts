// Runs the real cloak-controller process against the Kubernetes test server.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { X509Certificate } from 'node:crypto';
import { startKubeApiServer, type KubeTestServer } from '../kube/index.js';
import { createKubeClient, loadKubeConfig, type Json, type KubeClient } from '../../../controller/kube/index.js';
import { readCertificate } from '../../../src/crypto/index.js';
import { sealSecret, type SealedSecretObject } from '../../../src/sealed/index.js';

export const NODE = process.execPath;
export const CONTROLLER_MAIN = fileURLToPath(new URL('../../../controller/main.js', import.meta.url));
export const CRD_DIR = fileURLToPath(new URL('../../../../crds/', import.meta.url));

export interface Cluster {
  server: KubeTestServer;
  kubeconfig: string;
  client: KubeClient;
  dir: string;
  close(): Promise<void>;
}

export async function startCluster(o: { garbageCollector?: boolean } = {}): Promise<Cluster> {
  const server = await startKubeApiServer({ crdDirs: [CRD_DIR], ...(o.garbageCollector ? { garbageCollector: true } : {}) });
  const dir = mkdtempSync(join(tmpdir(), 'cloak-ctl-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, server.kubeconfig());
  const client = createKubeClient(loadKubeConfig(kubeconfig), { qps: 0, burst: 1 });
  return {
    server, kubeconfig, client, dir,
    async close() { await server.close(); rmSync(dir, { recursive: true, force: true }); },
  };
}

export interface ControllerProc {
  proc: ChildProcess;
  api: string;
  metrics: string;
  logs: string[];
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export const FAST_FLAGS = ['--key-size=2048', '--backoff-base=200ms', '--backoff-max=2s', '--leader-elect=false', '--decrypt-threads=1', '--kubeclient-qps=-1'];

export async function startController(cluster: Cluster, args: string[] = [], env: Record<string, string> = {}): Promise<ControllerProc> {
  const proc = spawn(NODE, [CONTROLLER_MAIN, `--kubeconfig=${cluster.kubeconfig}`, '--listen-addr=127.0.0.1:0', '--listen-metrics-addr=127.0.0.1:0', '--namespace=kube-system', ...FAST_FLAGS, ...args], {
    // CLOAK_CONTROLLER_NODE_OPTIONS profiles the controller under a test or bench (e.g. --cpu-prof)
    env: { PATH: process.env.PATH ?? '', ...(process.env.CLOAK_CONTROLLER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.CLOAK_CONTROLLER_NODE_OPTIONS } : {}), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  let listening: (v: { addr: string; metricsAddr: string }) => void;
  const ready = new Promise<{ addr: string; metricsAddr: string }>((r) => { listening = r; });
  const onLine = (line: string) => {
    if (!line.trim()) return;
    logs.push(line);
    if (process.env.CLOAK_TEST_LOGS) process.stderr.write(`[ctl ${proc.pid}] ${line}\n`);
    try {
      const rec = JSON.parse(line) as { msg?: string; addr?: string; metricsAddr?: string };
      if (rec.msg === 'listening' && rec.addr && rec.metricsAddr) listening({ addr: rec.addr, metricsAddr: rec.metricsAddr });
    } catch { /* not JSON */ }
  };
  for (const stream of [proc.stdout, proc.stderr]) {
    let buf = '';
    stream?.on('data', (c: Buffer) => {
      buf += c.toString('utf8');
      let i;
      while ((i = buf.indexOf('\n')) >= 0) { onLine(buf.slice(0, i)); buf = buf.slice(i + 1); }
    });
  }
  const first = await Promise.race([ready, exited.then((code) => { throw new Error(`controller exited (${code}) before listening:\n${logs.join('\n')}`); })]);
  return {
    proc,
    api: `http://${first.addr}`,
    metrics: `http://${first.metricsAddr}`,
    logs,
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
      proc.kill(signal);
      return exited;
    },
  };
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 30_000, logs?: string[]): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (e) { last = e; }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}${logs ? `\ncontroller logs:\n${logs.slice(-40).join('\n')}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function getOrUndefined(client: KubeClient, path: string): Promise<Json | undefined> {
  try { return await client.request<Json>('GET', path); } catch (e) { if ((e as { status?: number }).status === 404) return undefined; throw e; }
}

export const ssPath = (ns: string, name = '') => `/apis/bitnami.com/v1alpha1/namespaces/${ns}/sealedsecrets${name ? `/${name}` : ''}`;
export const secretPath = (ns: string, name = '') => `/api/v1/namespaces/${ns}/secrets${name ? `/${name}` : ''}`;

export async function ensureNamespace(client: KubeClient, ns: string): Promise<void> {
  try { await client.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } }); } catch (e) {
    if ((e as { status?: number }).status !== 409) throw e;
  }
}

export async function fetchCert(api: string) {
  const pem = await (await fetch(`${api}/v1/cert.pem`)).text();
  return readCertificate(pem, 'controller');
}

/** Seals plaintext items like `cloak seal` does. */
export function seal(cert: ReturnType<typeof readCertificate>, o: { name: string; namespace: string; data: Record<string, string>; type?: string; labels?: Record<string, string>; annotations?: Record<string, string>; immutable?: boolean; scope?: 'strict' | 'namespace-wide' | 'cluster-wide' }): SealedSecretObject {
  return sealSecret({
    where: 'test',
    metadata: { name: o.name, namespace: o.namespace, ...(o.labels ? { labels: o.labels } : {}), ...(o.annotations ? { annotations: o.annotations } : {}) },
    ...(o.type ? { type: o.type } : {}),
    ...(o.immutable !== undefined ? { immutable: o.immutable } : {}),
    items: new Map(Object.entries(o.data).map(([k, v]) => [k, Buffer.from(v, 'utf8')])),
  }, cert, o.scope ? { scope: o.scope } : {});
}

export function decoded(secret: Json | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries((secret?.data ?? {}) as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
}

export function synced(ss: Json | undefined): { status?: string; message?: string; observedGeneration?: number } | undefined {
  const st = (ss?.status ?? {}) as { observedGeneration?: number; conditions?: Array<{ type: string; status: string; message?: string }> };
  const c = st.conditions?.find((x) => x.type === 'Synced');
  return c ? { status: c.status, ...(c.message ? { message: c.message } : {}), ...(st.observedGeneration !== undefined ? { observedGeneration: st.observedGeneration } : {}) } : undefined;
}

export function certNotBefore(pem: string): Date {
  return new Date(new X509Certificate(pem).validFrom);
}
