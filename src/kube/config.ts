// Kubeconfig loading the way kubectl does it: --kubeconfig, else $KUBECONFIG (a path list, first file
// wins), else ~/.kube/config, else the in-cluster service account. @kubernetes/client-node is imported
// here lazily, so commands that never talk to a cluster never pay for loading it.
import { existsSync } from 'node:fs';
import { delimiter, resolve } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { clusterError, isCloakError } from '../errors.js';

export interface KubeConfigOptions {
  /** --kubeconfig: one file, relative to cwd. */
  kubeconfig?: string | undefined;
  /** --context: a context name in the kubeconfig. */
  context?: string | undefined;
  /** -n/--namespace: overrides the context's namespace. */
  namespace?: string | undefined;
  env: Record<string, string | undefined>;
  cwd: string;
}

/** A loaded kubeconfig, resolved to one context. */
export interface KubeTarget {
  kc: KubeConfig;
  server: string;
  contextName: string;
  /** -n, else the context's namespace, else `default`. */
  namespace: string;
  /** Where the config came from, for error messages. */
  source: string;
  /** The environment proxies are read from (HTTPS_PROXY, HTTP_PROXY, NO_PROXY). */
  env?: Record<string, string | undefined>;
}

const inClusterToken = '/var/run/secrets/kubernetes.io/serviceaccount/token';

export async function loadKubeConfig(o: KubeConfigOptions): Promise<KubeTarget> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  const files = configFiles(o);
  let source: string;
  if (files.length > 0) {
    source = files.join(delimiter);
    loadFiles(kc, files, () => new KubeConfig());
  } else if (o.env.KUBERNETES_SERVICE_HOST && existsSync(inClusterToken)) {
    source = 'in-cluster service account';
    kc.loadFromCluster();
  } else {
    throw clusterError('NoKubeconfig', 'no kubeconfig found', {
      hint: 'pass --kubeconfig FILE, set KUBECONFIG, or create ~/.kube/config',
    });
  }
  if (o.context) {
    if (!kc.getContextObject(o.context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw clusterError('UnknownContext', `context "${o.context}" is not in the kubeconfig`, {
        subject: source,
        hint: known.length ? `use one of: ${known.join(', ')}` : 'the kubeconfig has no contexts',
      });
    }
    kc.setCurrentContext(o.context);
  }
  const contextName = kc.getCurrentContext();
  const context = contextName ? kc.getContextObject(contextName) : null;
  if (!context) {
    throw clusterError('NoCurrentContext', 'the kubeconfig has no current context', {
      subject: source,
      hint: 'pass --context NAME or run `kubectl config use-context NAME`',
    });
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster?.server) {
    throw clusterError('NoCluster', `context "${contextName}" names no cluster with a server URL`, {
      subject: source,
      hint: 'fix the context\'s cluster entry in the kubeconfig',
    });
  }
  return {
    kc,
    server: cluster.server,
    contextName,
    namespace: o.namespace || context.namespace || 'default',
    source,
    env: o.env,
  };
}

function configFiles(o: KubeConfigOptions): string[] {
  if (o.kubeconfig) return [resolve(o.cwd, o.kubeconfig)];
  const list = (o.env.KUBECONFIG ?? '').split(delimiter).filter((f) => f.length > 0).map((f) => resolve(o.cwd, f));
  if (list.length > 0) {
    // kubectl skips missing files in KUBECONFIG, but not when all of them are missing.
    const present = list.filter((f) => existsSync(f));
    return present.length > 0 ? present : [list[0] as string];
  }
  const home = o.env.HOME ?? o.env.USERPROFILE;
  if (home) {
    const file = resolve(home, '.kube', 'config');
    if (existsSync(file)) return [file];
  }
  return [];
}

/** Loads several files with kubectl's merge rule: the first file that defines a name or the current context wins. */
function loadFiles(kc: KubeConfig, files: string[], fresh: () => KubeConfig): void {
  files.forEach((file, i) => {
    const target = i === 0 ? kc : fresh();
    try {
      target.loadFromFile(file);
    } catch (e) {
      if (isCloakError(e)) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      throw clusterError('KubeconfigUnreadable', code === 'ENOENT' ? 'kubeconfig file not found' : `cannot read kubeconfig: ${firstLine(e)}`, {
        subject: file,
        hint: code === 'ENOENT' ? 'pass an existing file with --kubeconfig or fix KUBECONFIG' : 'fix the kubeconfig YAML',
        cause: e,
      });
    }
    if (i === 0) return;
    if (!kc.currentContext && target.currentContext) kc.currentContext = target.currentContext;
    for (const c of target.clusters) if (!kc.getCluster(c.name)) kc.addCluster(c);
    for (const u of target.users) if (!kc.getUser(u.name)) kc.addUser(u);
    for (const c of target.contexts) if (!kc.getContextObject(c.name)) kc.addContext(c);
  });
}

export function firstLine(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.split('\n')[0] ?? m;
}
