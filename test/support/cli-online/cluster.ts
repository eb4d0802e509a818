// A test cluster for online CLI tests: the Kubernetes test server with the SealedSecret CRD, an admin
// kubeconfig on disk, and helpers to create objects and controller Services.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RequestListener } from 'node:http';
import { kubeRequest, loadKubeConfig } from '../../../src/kube/index.js';
import { startKubeApiServer, type KubeTestServer } from '../kube/index.js';

export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const CRDS = join(ROOT, 'crds');

export interface TestCluster {
  server: KubeTestServer;
  kubeconfig: string;
  api<T = Record<string, unknown>>(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: T }>;
  /** Creates a Service (port named `portName`, or unnamed when '') and routes its proxy to `target`. */
  addControllerService(o: { namespace?: string; name: string; portName?: string; target?: string | RequestListener }): Promise<void>;
  close(): Promise<void>;
}

export async function startTestCluster(dir: string, o: { https?: boolean; tokens?: Record<string, { username: string; groups?: string[] }> } = {}): Promise<TestCluster> {
  const server = await startKubeApiServer({ crdDirs: [CRDS], ...(o.https ? { https: true } : {}), ...(o.tokens ? { tokens: o.tokens } : {}) });
  const kubeconfig = join(dir, 'kubeconfig.yaml');
  writeFileSync(kubeconfig, server.kubeconfig());
  // Requests go through src/kube (which trusts the kubeconfig's CA when the server is HTTPS).
  const api: TestCluster['api'] = async (method, path, body, token) => {
    const cfg = token ? join(dir, `kubeconfig-${token}.yaml`) : kubeconfig;
    if (token) writeFileSync(cfg, server.kubeconfig({ token }));
    const target = await loadKubeConfig({ kubeconfig: cfg, env: {}, cwd: dir });
    const res = await kubeRequest(target, { method: method as 'GET', path, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = res.body.toString('utf8');
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as never };
  };
  return {
    server,
    kubeconfig,
    api,
    async addControllerService(o) {
      const namespace = o.namespace ?? 'kube-system';
      const port = o.portName === '' ? { port: 8080 } : { name: o.portName ?? 'http', port: 8080 };
      const r = await api('POST', `/api/v1/namespaces/${namespace}/services`, {
        apiVersion: 'v1', kind: 'Service', metadata: { name: o.name, namespace }, spec: { ports: [port], selector: { app: o.name } },
      });
      if (r.status !== 201) throw new Error(`creating service ${o.name}: ${r.status} ${JSON.stringify(r.body)}`);
      if (o.target) await server.registerServiceProxy(namespace, o.name, o.target);
    },
    close: () => server.close(),
  };
}
