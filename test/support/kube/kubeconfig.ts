// Kubeconfig text that kubectl and @kubernetes/client-node accept for this server.
import { writeFileSync } from 'node:fs';
import YAML from 'yaml';

export interface KubeconfigOptions { token?: string; namespace?: string; user?: string; context?: string }

export function kubeconfigText(url: string, caPem: string | undefined, defaultToken: string, o: KubeconfigOptions = {}): string {
  const context = o.context ?? 'cloak-test';
  const user = o.user ?? (o.token && o.token !== defaultToken ? 'user' : 'admin');
  const cluster: Record<string, unknown> = { server: url };
  if (caPem) cluster['certificate-authority-data'] = Buffer.from(caPem).toString('base64');
  else cluster['insecure-skip-tls-verify'] = true;
  return YAML.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: context, cluster }],
    users: [{ name: user, user: { token: o.token ?? defaultToken } }],
    contexts: [{ name: context, context: { cluster: context, user, namespace: o.namespace ?? 'default' } }],
    'current-context': context,
    preferences: {},
  });
}

export function writeKubeconfigFile(path: string, text: string): void {
  writeFileSync(path, text, { mode: 0o600 });
}
