// `cloak keys retire FINGERPRINT [--force]`: the controller stops using a key it no longer needs.
import type { CliIo } from '../../io.js';
import { connectController, type ClusterFlags } from './cluster-options.js';

export async function retireKey(o: ClusterFlags & { fingerprint: string; force: boolean }, io: CliIo): Promise<void> {
  const ep = await connectController(o, io);
  const { retireControllerKey } = await import('../../../src/kube/index.js');
  await retireControllerKey(ep, { fingerprint: o.fingerprint, force: o.force });
  io.stdout(`retired key ${o.fingerprint}\n`);
  if (o.force) io.stderr('warning: retired with --force: SealedSecrets that needed this key no longer unseal until re-sealed\n');
}
