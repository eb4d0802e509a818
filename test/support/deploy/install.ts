// Installs Cloak into the Kubernetes test server the way an operator would: the rendered kustomize
// base applied with kubectl, then the controller process started under the ServiceAccount's own
// token (RBAC enforced), and the controller Service's proxy pointed at it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toYaml } from '../../../src/manifests/index.js';
import type { KubeTestServer } from '../kube/index.js';
import { startControllerProcess, type ControllerProcess } from './controller-process.js';
import { kubectl } from './kubectl.js';
import { renderKustomize, type Manifest } from './render.js';

export interface Installed {
  adminKubeconfig: string;
  controllerKubeconfig: string;
  controller: ControllerProcess;
  /** Kinds the test server does not serve (e.g. PodDisruptionBudget), left out of the apply. */
  skipped: string[];
  applyOutput: string;
}

export async function installCloak(o: { server: KubeTestServer; dir: string; manifests?: Manifest[]; controllerArgs?: string[] }): Promise<Installed> {
  const adminKubeconfig = join(o.dir, 'admin.kubeconfig');
  writeFileSync(adminKubeconfig, o.server.kubeconfig());
  const manifests = o.manifests ?? renderKustomize();
  const served = new Map<string, boolean>();
  const apply: Manifest[] = [];
  const skipped: string[] = [];
  for (const m of manifests) {
    if (!served.has(m.apiVersion)) served.set(m.apiVersion, await isServed(o.server, m.apiVersion));
    if (served.get(m.apiVersion)) apply.push(m);
    else skipped.push(m.kind);
  }
  const file = join(o.dir, 'install.yaml');
  writeFileSync(file, apply.map((m) => `---\n${toYaml(m)}`).join(''));
  const r = await kubectl(['apply', '-f', file], { kubeconfig: adminKubeconfig });
  if (r.code !== 0) throw new Error(`kubectl apply of the install manifests failed:\n${r.stderr}`);

  const token = await serviceAccountToken(o.server, 'kube-system', 'cloak-controller');
  const controllerKubeconfig = join(o.dir, 'controller.kubeconfig');
  writeFileSync(controllerKubeconfig, o.server.kubeconfig({ token, namespace: 'kube-system' }));
  const controller = await startControllerProcess({ kubeconfig: controllerKubeconfig, args: o.controllerArgs ?? [] });
  await o.server.registerServiceProxy('kube-system', 'cloak-controller', controller.apiUrl);
  await waitReady(controller);
  return { adminKubeconfig, controllerKubeconfig, controller, skipped, applyOutput: r.stdout };
}

/** Like the Deployment's readiness probe: /readyz answers 200 once the controller has synced and holds a key. */
async function waitReady(c: ControllerProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const ok = await fetch(`${c.apiUrl}/readyz`).then((r) => r.arrayBuffer().then(() => r.status === 200), () => false);
    if (ok) {
      const cert = await fetch(`${c.apiUrl}/v1/cert.pem`).then((r) => r.arrayBuffer().then(() => r.status === 200), () => false);
      if (cert) return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await c.stop();
  throw new Error(`cloak-controller did not become ready within 60 s:\n${c.logs().split('\n').slice(-20).join('\n')}`);
}

async function isServed(server: KubeTestServer, apiVersion: string): Promise<boolean> {
  const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  const res = await fetch(server.url + path, { headers: { Authorization: `Bearer ${server.adminToken}` } });
  await res.arrayBuffer();
  return res.status === 200;
}

/** A bound token for the ServiceAccount, through the TokenRequest API (what the kubelet mounts in the pod). */
export async function serviceAccountToken(server: KubeTestServer, namespace: string, name: string): Promise<string> {
  const res = await fetch(`${server.url}/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.adminToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } }),
  });
  const body = (await res.json()) as { status?: { token?: string } };
  if (res.status !== 201 || !body.status?.token) throw new Error(`TokenRequest for ${namespace}/${name} failed: ${res.status} ${JSON.stringify(body)}`);
  return body.status.token;
}
