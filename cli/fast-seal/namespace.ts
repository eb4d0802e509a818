// The kubeconfig context namespace without the YAML parser: `default` when no kubeconfig file can
// be read (what kubeconfigNamespace returns then); a readable kubeconfig is the normal path's.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { NotHandled } from './scalar.js';

export function defaultNamespaceWithoutKubeconfig(env: Record<string, string | undefined>): string {
  const files = env['KUBECONFIG'] ? env['KUBECONFIG'].split(delimiter).filter(Boolean) : [join(env['HOME'] ?? homedir(), '.kube', 'config')];
  for (const f of files) {
    let readable = true;
    try { readFileSync(f); } catch { readable = false; }
    if (readable) throw new NotHandled('a kubeconfig names the namespace');
  }
  return 'default';
}
