// Fetching the sealing certificate from the controller through the API server's service proxy.
// The Kubernetes client is loaded only here, and only when no certificate was given.
import type { CliIo } from '../io.js';

export interface ClusterFlags {
  kubeconfig?: string;
  context?: string;
  controllerName?: string;
  controllerNamespace?: string;
}

export function clusterCertFetcher(io: CliIo, f: ClusterFlags): () => Promise<{ pem: string; source: string }> {
  return async () => {
    const { fetchControllerCertificate } = await import('./cluster-cert-fetch.js');
    return fetchControllerCertificate(io, f);
  };
}
