// The local sandbox (issue 12): the test Kubernetes API server over HTTPS (so a kubeconfig without a
// token is anonymous, not admin), Cloak's CRDs and RBAC applied from deploy/ with kubectl, the Vault
// and AWS test servers, and the real cloak-controller under its ServiceAccount's token, reached through
// the API server's service proxy via an Endpoints object with its loopback address (as a pod IP).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { toYaml } from '../../../src/manifests/index.js';
import { startAwsServer, type AwsTestServer } from '../aws/index.js';
import { startControllerProcess, type ControllerProcess } from '../deploy/controller-process.js';
import { kubectl } from '../deploy/kubectl.js';
import { renderKustomize, ROOT } from '../deploy/render.js';
import { startKubeApiServer, type KubeTestServer } from '../kube/index.js';
import { startVaultServer, type VaultTestServer } from '../vault/index.js';

export interface Sandbox {
  dir: string;
  kubeconfig: string;
  kube: KubeTestServer;
  vault: VaultTestServer;
  aws: AwsTestServer;
  controller: ControllerProcess;
  /** What a shell needs: KUBECONFIG, VAULT_ADDR/VAULT_TOKEN, AWS_* and PATH with bin/. */
  env: Record<string, string>;
  /** `export …` lines for `env` (also written to DIR/env.sh). */
  exports: string;
  stop(): Promise<void>;
}

export const VAULT_ROOT_TOKEN = 'root';

/** `keySize`: RSA bits of the controller's sealing keys (its --key-size; default the controller's 4096). */
export async function startSandbox(o: { dir: string; keySize?: number; log?: (line: string) => void }): Promise<Sandbox> {
  const log = o.log ?? (() => undefined);
  mkdirSync(o.dir, { recursive: true });
  const stops: Array<() => Promise<void>> = [];
  const stop = async (): Promise<void> => { for (const s of stops.splice(0).reverse()) await s().catch(() => undefined); };
  try {
    const kube = await startKubeApiServer({ https: true, garbageCollector: true, record: false });
    stops.push(() => kube.close());
    const kubeconfig = join(o.dir, 'kubeconfig');
    kube.writeKubeconfig(kubeconfig);
    log(`Kubernetes API server at ${kube.url} (HTTPS; admin kubeconfig ${kubeconfig})`);

    const applied = await applyDeploy(o.dir, kubeconfig);
    log(`applied deploy/kustomize/base with kubectl: ${applied}`);

    const vault = await startVaultServer({ rootToken: VAULT_ROOT_TOKEN, kubeApi: { url: kube.url, token: kube.adminToken, ...(kube.caPem ? { ca: kube.caPem } : {}) } });
    stops.push(() => vault.close());
    log(`Vault test server at ${vault.url} (root token "${VAULT_ROOT_TOKEN}", KV v2 at secret/; kubernetes auth reviews tokens with this API server)`);
    const aws = await startAwsServer({});
    stops.push(() => aws.close());
    log(`AWS Secrets Manager + STS test server at ${aws.url} (region ${aws.region})`);

    // What the kubelet mounts into the pod: a bound token of the controller's ServiceAccount.
    const tr = await kubectl(['create', 'token', 'cloak-controller', '-n', 'kube-system', '--duration=24h'], { kubeconfig });
    if (tr.code !== 0) throw new Error(`kubectl create token cloak-controller failed: ${tr.stderr.trim()}`);
    const token = tr.stdout.trim();
    const controllerKubeconfig = join(o.dir, 'controller.kubeconfig');
    writeFileSync(controllerKubeconfig, kube.kubeconfig({ token, namespace: 'kube-system' }), { mode: 0o600 });
    const controller = await startControllerProcess({
      kubeconfig: controllerKubeconfig,
      args: o.keySize ? [`--key-size=${o.keySize}`] : [],
      // As in a pod, AWS clients find the endpoint in the environment; the store carries the keys.
      env: { AWS_ENDPOINT_URL: aws.url, AWS_EC2_METADATA_DISABLED: 'true', NODE_OPTIONS: `--import=${pathToFileURL(fileURLToPath(new URL('./orphan-guard.js', import.meta.url))).href}` },
    });
    stops.push(() => controller.stop());
    await routeService(kubeconfig, controller.apiUrl);
    await waitReady(controller);
    log(`cloak-controller (pid ${controller.child.pid}) at ${controller.apiUrl} under ServiceAccount kube-system/cloak-controller, reached as Service kube-system/cloak-controller through Endpoints 127.0.0.1`);

    const env: Record<string, string> = {
      KUBECONFIG: kubeconfig,
      VAULT_ADDR: vault.url,
      VAULT_TOKEN: VAULT_ROOT_TOKEN,
      AWS_ENDPOINT_URL: aws.url,
      AWS_REGION: aws.region,
      AWS_DEFAULT_REGION: aws.region,
      AWS_ACCESS_KEY_ID: aws.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: aws.credentials.secretAccessKey,
    };
    const exports = Object.entries(env).map(([k, v]) => `export ${k}=${shellQuote(v)}`).join('\n') + `\nexport PATH=${shellQuote(join(ROOT, 'bin'))}:"$PATH"\n`;
    writeFileSync(join(o.dir, 'env.sh'), exports);
    return { dir: o.dir, kubeconfig, kube, vault, aws, controller, env, exports, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** `kubectl kustomize deploy/kustomize/base | kubectl apply -f -`, minus kinds the test server does not serve. */
async function applyDeploy(dir: string, kubeconfig: string): Promise<string> {
  const manifests = renderKustomize();
  const versions = await kubectl(['api-versions'], { kubeconfig });
  if (versions.code !== 0) throw new Error(`kubectl api-versions failed: ${versions.stderr.trim()}`);
  const served = new Set(versions.stdout.split('\n'));
  const keep = manifests.filter((m) => served.has(m.apiVersion));
  const file = join(dir, 'install.yaml');
  writeFileSync(file, keep.map((m) => `---\n${toYaml(m)}`).join(''));
  const r = await kubectl(['apply', '-f', file], { kubeconfig });
  if (r.code !== 0) throw new Error(`kubectl apply of deploy/kustomize/base failed: ${r.stderr.trim()}`);
  return `${r.stdout.trim().split('\n').length} objects`;
}

/** The Endpoints object the endpoints controller would write for the controller pod, with its loopback address. */
async function routeService(kubeconfig: string, apiUrl: string): Promise<void> {
  const port = new URL(apiUrl).port;
  const ep = `apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: cloak-controller\n  namespace: kube-system\n  labels: {app.kubernetes.io/name: cloak-controller}\nsubsets:\n- addresses: [{ip: 127.0.0.1}]\n  ports: [{name: http, port: ${port}, protocol: TCP}]\n`;
  const r = await kubectl(['apply', '-f', '-'], { kubeconfig, input: ep });
  if (r.code !== 0) throw new Error(`kubectl apply of the controller's Endpoints failed: ${r.stderr.trim()}`);
}

/** As the Deployment's readiness probe: /readyz 200 and a certificate to hand out. */
async function waitReady(c: ControllerProcess): Promise<void> {
  const ok = (path: string): Promise<boolean> => fetch(`${c.apiUrl}${path}`).then((r) => r.arrayBuffer().then(() => r.status === 200), () => false);
  for (let i = 0; i < 600; i++) {
    if (c.child.exitCode !== null) break;
    if ((await ok('/readyz')) && (await ok('/v1/cert.pem'))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`cloak-controller did not become ready within 60 s:\n${c.logs().split('\n').slice(-10).join('\n')}`);
}

function shellQuote(v: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}
