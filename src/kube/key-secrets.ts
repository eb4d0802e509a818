// Reading the controller's key Secrets straight from the API (for `cloak keys backup`): every Secret
// in the controller namespace carrying Bitnami's key label, whatever its value (active or compromised).
import { apiError } from './api-errors.js';
import type { KubeTarget } from './config.js';
import { kubeRequest } from './request.js';

export const keyLabel = 'sealedsecrets.bitnami.com/sealed-secrets-key';

export type SecretJson = Record<string, unknown> & {
  metadata?: Record<string, unknown> & { name?: string; namespace?: string; labels?: Record<string, string> };
  data?: Record<string, string>;
};

export async function listKeySecrets(target: KubeTarget, namespace: string): Promise<SecretJson[]> {
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets?labelSelector=${encodeURIComponent(keyLabel)}`;
  const res = await kubeRequest(target, { method: 'GET', path });
  if (res.status !== 200) {
    throw apiError(res, { subject: `key Secrets in namespace ${namespace}`, verb: 'list', resource: 'secrets', namespace });
  }
  const list = JSON.parse(res.body.toString('utf8')) as { items?: SecretJson[] };
  const items = list.items ?? [];
  return items
    .map((s) => ({ ...s, apiVersion: 'v1', kind: 'Secret' }))
    .sort((a, b) => String(a.metadata?.creationTimestamp ?? '').localeCompare(String(b.metadata?.creationTimestamp ?? '')));
}
