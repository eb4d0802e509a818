// `cloak cert --fetch` and `cloak seal` without --cert: the controller's newest certificate (PEM),
// fetched through the API-server service proxy.
import type { CliIo } from '../../io.js';
import { connectController, type ClusterFlags } from './cluster-options.js';

export interface FetchCertificateOptions extends ClusterFlags {
  env: CliIo['env'];
  cwd: string;
}

export async function fetchCertificate(o: FetchCertificateOptions): Promise<string> {
  const ep = await connectController(o, o);
  const { fetchCertPem } = await import('../../../src/kube/index.js');
  return fetchCertPem(ep);
}
