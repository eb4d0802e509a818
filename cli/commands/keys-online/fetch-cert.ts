// `cloak cert --fetch` and `cloak seal` without --cert: the controller's newest certificate (PEM),
// fetched through the API-server service proxy.
import type { CliIo } from '../../io.js';
import { clusterFlags, connectController, type ClusterFlags } from './cluster-options.js';

export interface FetchCertificateOptions extends ClusterFlags {
  env: CliIo['env'];
  cwd: string;
}

export async function fetchCertificate(o: FetchCertificateOptions): Promise<string> {
  return (await fetchCertificateFrom(o)).pem;
}

/** The PEM and where it came from (`controller kube-system/cloak-controller`), for messages. */
export async function fetchCertificateFrom(o: FetchCertificateOptions): Promise<{ pem: string; source: string }> {
  const flags = clusterFlags({ ...o }, o.env);
  const ep = await connectController(flags, o);
  const { fetchCertPem } = await import('../../../src/kube/index.js');
  return { pem: await fetchCertPem(ep), source: `controller ${ep.namespace}/${ep.name}` };
}

/** Drop-in for cli/shared/cluster-cert-fetch.ts (the lead's seam used by `seal`, `cert --fetch`, `kubeseal`). */
export function fetchControllerCertificate(io: Pick<CliIo, 'env' | 'cwd'>, f: ClusterFlags): Promise<{ pem: string; source: string }> {
  return fetchCertificateFrom({ ...f, env: io.env, cwd: io.cwd });
}
