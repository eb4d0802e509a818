// The namespace kubectl would use: the current context's namespace in the kubeconfig, else
// `default`. Read with the YAML parser only, so offline commands never load the Kubernetes client.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parse } from 'yaml';

export function kubeconfigNamespace(env: Record<string, string | undefined>, context?: string): string {
  const files = env['KUBECONFIG'] ? env['KUBECONFIG'].split(delimiter).filter(Boolean) : [join(env['HOME'] ?? homedir(), '.kube', 'config')];
  let current = context;
  const contexts: Array<{ name?: string; context?: { namespace?: string } }> = [];
  for (const f of files) {
    let cfg: { 'current-context'?: string; contexts?: typeof contexts } | undefined;
    try { cfg = parse(readFileSync(f, 'utf8')) as typeof cfg; } catch { continue; }
    current ??= cfg?.['current-context'] || undefined;
    contexts.push(...(cfg?.contexts ?? []));
  }
  return contexts.find((c) => c.name === current)?.context?.namespace || 'default';
}
