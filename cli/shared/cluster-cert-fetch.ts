import { clusterError } from '../../src/errors.js';
import type { CliIo } from '../io.js';
import type { ClusterFlags } from './cluster-cert.js';

// Wired to src/kube's service-proxy client once it lands.
export async function fetchControllerCertificate(_io: CliIo, _f: ClusterFlags): Promise<{ pem: string; source: string }> {
  throw clusterError('NoCluster', 'fetching the certificate from the controller is not available yet', { hint: 'pass --cert FILE|URL or set CLOAK_CERT' });
}
