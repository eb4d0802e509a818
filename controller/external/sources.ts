// EngineSources over the Kubernetes API: stores from external-secrets.io/v1, Secrets and ConfigMaps,
// ServiceAccount tokens through TokenRequest (cached until most of their lifetime has passed),
// ServiceAccount annotations and namespace labels. NotFound reads as undefined. With `shared`,
// concurrent GETs of one path are one request (shared-gets.ts).
import { cachingTokens, type EngineSources } from '../../src/external/index.js';
import type { KeyValueObject, SecretStoreObject } from '../../src/manifests/external-types.js';
import type { KubeClient } from '../kube/index.js';
import { isNotFound } from '../kube/index.js';
import type { SharedGets } from './shared-gets.js';

const ESO = '/apis/external-secrets.io/v1';

export function apiSources(client: KubeClient, shared?: SharedGets): EngineSources {
  const live = async <T>(path: string): Promise<T | undefined> => {
    try { return await client.request<T>('GET', path); } catch (e) { if (isNotFound(e)) return undefined; throw e; }
  };
  const get = <T>(path: string): Promise<T | undefined> => (shared ? shared.get(path, () => live<T>(path)) : live<T>(path));
  const reader = cachingTokens({
    getSecret: (ns, name) => get<KeyValueObject>(`/api/v1/namespaces/${ns}/secrets/${name}`),
    getConfigMap: (ns, name) => get<KeyValueObject>(`/api/v1/namespaces/${ns}/configmaps/${name}`),
    async serviceAccountToken(ns, name, o) {
      const spec: Record<string, unknown> = {};
      if (o.audiences?.length) spec.audiences = o.audiences;
      if (o.expirationSeconds) spec.expirationSeconds = o.expirationSeconds;
      const r = await client.request<{ status?: { token?: string } }>('POST', `/api/v1/namespaces/${ns}/serviceaccounts/${name}/token`, {
        body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec },
      });
      return r.status?.token;
    },
    async serviceAccountAnnotations(ns, name) {
      const sa = await get<{ metadata?: { annotations?: Record<string, string> } }>(`/api/v1/namespaces/${ns}/serviceaccounts/${name}`);
      return sa ? sa.metadata?.annotations ?? {} : undefined;
    },
    async namespaceLabels(ns) {
      const n = await get<{ metadata?: { labels?: Record<string, string> } }>(`/api/v1/namespaces/${ns}`);
      return n ? n.metadata?.labels ?? {} : undefined;
    },
  });
  return {
    ...reader,
    getStore: (kind, name, namespace) => get<SecretStoreObject>(kind === 'ClusterSecretStore'
      ? `${ESO}/clustersecretstores/${name}` : `${ESO}/namespaces/${namespace}/secretstores/${name}`),
  };
}
