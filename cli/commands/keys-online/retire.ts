// `cloak keys retire FINGERPRINT [--force]`: relabels a key Secret the SealedSecrets no longer need
// (with the caller's RBAC), and waits until the controller stops using it.
import type { CliIo } from '../../io.js';
import { connectController, type ClusterFlags } from './cluster-options.js';

export async function retireKey(o: ClusterFlags & { fingerprint: string; force: boolean }, io: CliIo): Promise<void> {
  const ep = await connectController(o, io);
  const { retireControllerKey } = await import('../../../src/kube/index.js');
  const r = await retireControllerKey(ep, { fingerprint: o.fingerprint, force: o.force });
  io.stdout(`retired key ${o.fingerprint}\n`);
  if (o.force && r.sealedSecrets > 0) {
    io.stderr(`warning: retired with --force: ${r.sealedSecrets} SealedSecret(s) that needed this key no longer unseal until re-sealed\n`);
  }
}
