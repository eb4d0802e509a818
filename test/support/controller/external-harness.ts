// Shared setup for the ExternalSecret end-to-end tests: the test API server with the real CRDs from
// crds/, one real cloak-controller process (optionally under the deploy/ RBAC, with its
// ServiceAccount's token), and small helpers to create stores, ExternalSecrets and their inputs, and
// to wait for what a user would look at (the Secret's bytes, the Ready condition, Events).
// Everything goes through the API server; nothing reaches into the controller.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Json, KubeClient } from '../../../controller/kube/index.js';
import { toYaml } from '../../../src/manifests/index.js';
import { serviceAccountToken } from '../deploy/install.js';
import { kubectl } from '../deploy/kubectl.js';
import { renderKustomize } from '../deploy/render.js';
import { type Cluster, type ControllerProc, ensureNamespace, getOrUndefined, secretPath, startCluster, startController, waitFor } from './harness.js';

export const ESO = '/apis/external-secrets.io/v1';
export const esPath = (ns: string, name = '') => `${ESO}/namespaces/${ns}/externalsecrets${name ? `/${name}` : ''}`;
export const storePath = (ns: string, name = '') => `${ESO}/namespaces/${ns}/secretstores${name ? `/${name}` : ''}`;
export const cssPath = (name = '') => `${ESO}/clustersecretstores${name ? `/${name}` : ''}`;
export { secretPath, waitFor, getOrUndefined };

export interface ReadyCondition { type: string; status: string; reason: string; message: string; lastTransitionTime: string }
export interface EsObject {
  metadata: { name: string; namespace: string; uid: string; generation: number; resourceVersion: string; annotations?: Record<string, string> };
  spec: Record<string, unknown>;
  status?: { refreshTime?: string; syncedResourceVersion?: string; binding?: { name?: string }; conditions?: ReadyCondition[] };
}
export interface SecretJson {
  metadata: { name: string; namespace: string; uid: string; resourceVersion: string; labels?: Record<string, string>; annotations?: Record<string, string>; ownerReferences?: Array<Record<string, unknown>> };
  data?: Record<string, string>;
  type?: string;
  immutable?: boolean;
}

export interface ExternalEnv {
  cluster: Cluster;
  c: KubeClient;
  ctl: ControllerProc;
  /** Stops the controller, then the API server. */
  close(): Promise<void>;
}

/**
 * A cluster (real CRDs) and one cloak-controller watching all namespaces. `beforeController` runs
 * once the API server is up, so test servers that need its URL exist before the controller starts.
 */
export async function startExternalEnv(o: { args?: string[]; env?: Record<string, string>; beforeController?: (cluster: Cluster) => Promise<void>; rbac?: boolean } = {}): Promise<ExternalEnv> {
  const cluster = await startCluster();
  try {
    await waitFor('external-secrets.io/v1 served', async () => (await getOrUndefined(cluster.client, ESO)) !== undefined);
    await o.beforeController?.(cluster);
    const as = o.rbac ? await underDeployRbac(cluster) : cluster;
    const ctl = await startController(as, ['--concurrent=4', ...(o.args ?? [])], o.env ?? {});
    return {
      cluster, c: cluster.client, ctl,
      async close() {
        try { await ctl.stop(); } finally { await cluster.close(); }
      },
    };
  } catch (e) {
    await cluster.close();
    throw e;
  }
}

/**
 * Applies the deploy/ kustomize base with kubectl (as an operator would) and returns the cluster with
 * a kubeconfig holding the cloak-controller ServiceAccount's token, so the controller runs with
 * exactly the ClusterRoles we ship (the test API server enforces RBAC for ServiceAccount tokens).
 */
async function underDeployRbac(cluster: Cluster): Promise<Cluster> {
  const served = new Map<string, boolean>();
  const apply = [];
  for (const m of renderKustomize()) {
    if (!served.has(m.apiVersion)) {
      served.set(m.apiVersion, (await getOrUndefined(cluster.client, m.apiVersion.includes('/') ? `/apis/${m.apiVersion}` : `/api/${m.apiVersion}`)) !== undefined);
    }
    if (served.get(m.apiVersion)) apply.push(m);
  }
  const file = join(cluster.dir, 'install.yaml');
  writeFileSync(file, apply.map((m) => `---\n${toYaml(m)}`).join(''));
  const r = await kubectl(['apply', '-f', file], { kubeconfig: cluster.kubeconfig });
  if (r.code !== 0) throw new Error(`kubectl apply of deploy/kustomize/base failed:\n${r.stderr}`);
  const token = await serviceAccountToken(cluster.server, 'kube-system', 'cloak-controller');
  const kubeconfig = join(cluster.dir, 'controller.kubeconfig');
  writeFileSync(kubeconfig, cluster.server.kubeconfig({ token, namespace: 'kube-system' }));
  return { ...cluster, kubeconfig };
}

export const namespaces = (c: KubeClient, ...names: string[]) => Promise.all(names.map((n) => ensureNamespace(c, n)));

export async function createSecret(c: KubeClient, ns: string, name: string, stringData: Record<string, string>, extra: { labels?: Record<string, string>; type?: string } = {}): Promise<SecretJson> {
  return c.request<SecretJson>('POST', secretPath(ns), {
    body: { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: ns, ...(extra.labels ? { labels: extra.labels } : {}) }, ...(extra.type ? { type: extra.type } : {}), stringData },
  });
}

export async function createConfigMap(c: KubeClient, ns: string, name: string, data: Record<string, string>): Promise<void> {
  await c.request('POST', `/api/v1/namespaces/${ns}/configmaps`, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data } });
}

export async function createServiceAccount(c: KubeClient, ns: string, name: string, annotations?: Record<string, string>): Promise<void> {
  await c.request('POST', `/api/v1/namespaces/${ns}/serviceaccounts`, { body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: ns, ...(annotations ? { annotations } : {}) } } });
}

export async function createStore(c: KubeClient, ns: string, name: string, provider: Record<string, unknown>): Promise<void> {
  await c.request('POST', storePath(ns), { body: { apiVersion: 'external-secrets.io/v1', kind: 'SecretStore', metadata: { name, namespace: ns }, spec: { provider } } });
}

/** Replaces a SecretStore's provider block (read-modify-write on the current resourceVersion). */
export async function updateStore(c: KubeClient, ns: string, name: string, provider: Record<string, unknown>): Promise<void> {
  const cur = await c.request<Json>('GET', storePath(ns, name));
  await c.request('PUT', storePath(ns, name), { body: { ...cur, spec: { ...(cur.spec as object), provider } } });
}

export async function createEs(c: KubeClient, ns: string, name: string, spec: Record<string, unknown>, meta: { labels?: Record<string, string>; annotations?: Record<string, string> } = {}): Promise<void> {
  await c.request('POST', esPath(ns), { body: { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name, namespace: ns, ...meta }, spec } });
}

export async function patchEs(c: KubeClient, ns: string, name: string, patch: Record<string, unknown>): Promise<void> {
  await c.request('PATCH', esPath(ns, name), { body: patch, contentType: 'application/merge-patch+json' });
}

/** Any annotation change forces a sync (ESO's documented `force-sync` recipe). */
export const forceSync = (c: KubeClient, ns: string, name: string) =>
  patchEs(c, ns, name, { metadata: { annotations: { 'force-sync': `${Date.now()}-${Math.random()}` } } });

export const readyOf = (es: EsObject | Json | undefined): ReadyCondition | undefined =>
  (es as EsObject | undefined)?.status?.conditions?.find((x) => x.type === 'Ready');

export const getEs = (c: KubeClient, ns: string, name: string) => c.request<EsObject>('GET', esPath(ns, name));
export const getSecret = async (c: KubeClient, ns: string, name: string) => (await getOrUndefined(c, secretPath(ns, name))) as SecretJson | undefined;

/** Waits until the ExternalSecret's Ready condition satisfies `pred`; returns the ExternalSecret. */
export async function waitEs(env: ExternalEnv, ns: string, name: string, pred: (r: ReadyCondition, es: EsObject) => boolean, what: string, timeoutMs = 30_000): Promise<EsObject> {
  return waitFor(`${ns}/${name}: ${what}`, async () => {
    const es = (await getOrUndefined(env.c, esPath(ns, name))) as EsObject | undefined;
    const r = readyOf(es);
    return es && r && pred(r, es) ? es : undefined;
  }, timeoutMs, env.ctl.logs);
}

/** Ready=True SecretSynced for the current generation and metadata. */
export const waitSynced = (env: ExternalEnv, ns: string, name: string, timeoutMs?: number) =>
  waitEs(env, ns, name, (r, es) => r.status === 'True' && r.reason === 'SecretSynced' && (es.status?.syncedResourceVersion ?? '').startsWith(`${es.metadata.generation}-`), 'Ready=True SecretSynced', timeoutMs);

/**
 * Ready=False whose message matches `why` (a store may first report that it has not been validated
 * yet; the condition then settles on the real reason).
 */
export const waitFailed = (env: ExternalEnv, ns: string, name: string, why: RegExp = /./, timeoutMs?: number) =>
  waitEs(env, ns, name, (r) => r.status === 'False' && why.test(r.message), `Ready=False matching ${why}`, timeoutMs).then((es) => readyOf(es)!);

/** The Secret's data as raw bytes per key. */
export function bytesOf(s: SecretJson | Json | undefined): Record<string, Buffer> {
  return Object.fromEntries(Object.entries(((s as SecretJson | undefined)?.data ?? {})).map(([k, v]) => [k, Buffer.from(v, 'base64')]));
}

/** The Secret's data as UTF-8 text per key. */
export function textOf(s: SecretJson | Json | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(bytesOf(s)).map(([k, v]) => [k, v.toString('utf8')]));
}

/** Waits for the target Secret to exist and satisfy `pred` (default: exists). */
export async function waitSecret(env: ExternalEnv, ns: string, name: string, pred: (s: SecretJson) => boolean = () => true, what = 'exists', timeoutMs = 30_000): Promise<SecretJson> {
  return waitFor(`Secret ${ns}/${name} ${what}`, async () => {
    const s = await getSecret(env.c, ns, name);
    return s && pred(s) ? s : undefined;
  }, timeoutMs, env.ctl.logs);
}

export interface EventJson { reason: string; type: string; message: string; involvedObject: { kind: string; name: string } }
export async function eventsFor(c: KubeClient, ns: string, name: string): Promise<EventJson[]> {
  const list = await c.request<{ items: EventJson[] }>('GET', `/api/v1/namespaces/${ns}/events`);
  return list.items.filter((e) => e.involvedObject.kind === 'ExternalSecret' && e.involvedObject.name === name);
}

/** Asserts no controller log line carries any of the given secret values. */
export function leakedIn(logs: string[], values: string[]): string | undefined {
  for (const line of logs) for (const v of values) if (line.includes(v)) return v;
  return undefined;
}
