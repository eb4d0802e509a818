// Fetching the sealing certificate from the controller through the API server's service proxy.
// The Kubernetes client is loaded only here, and only when no certificate was given.
import { clusterError, isCloakError } from '../../src/errors.js';
import type { CliIo } from '../io.js';
import type { ClusterFlags } from '../commands/keys-online/cluster-options.js';

export type { ClusterFlags };

/**
 * `offline`: what to say when the cluster cannot be reached and the user could have given a
 * certificate instead (seal), so the one-line error names both the cause and that way out.
 */
export function clusterCertFetcher(io: CliIo, f: ClusterFlags, offline?: string): () => Promise<{ pem: string; source: string }> {
  return async () => {
    const { fetchControllerCertificate } = await import('./cluster-cert-fetch.js');
    try {
      return await fetchControllerCertificate(io, f);
    } catch (e) {
      if (!offline || !isCloakError(e) || e.family !== 'cluster') throw e;
      throw clusterError(e.code, `no certificate given, and fetching it from the controller failed: ${e.message}`, {
        ...(e.subject ? { subject: e.subject } : {}), hint: e.hint ? `${e.hint}; or ${offline}` : offline, cause: e,
      });
    }
  };
}
