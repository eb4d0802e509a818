// `cloak keys rotate`: asks the controller, through the Kubernetes API and the caller's RBAC on key
// Secrets, to generate and store a new key; it seals with it as soon as it exists.
import type { CliIo } from '../../io.js';
import { connectController, type ClusterFlags } from './cluster-options.js';

export async function rotateKey(o: ClusterFlags, io: CliIo): Promise<void> {
  const ep = await connectController(o, io);
  const { rotateControllerKey } = await import('../../../src/kube/index.js');
  const key = await rotateControllerKey(ep);
  io.stdout(`new sealing key ${key.fingerprint} (Secret ${ep.namespace}/${key.name})\n`);
  io.stderr('the controller seals with it now; older keys still decrypt. Re-encrypt your SealedSecrets with `cloak reencrypt -f FILE…`, back up the keys with `cloak keys backup -o FILE`\n');
}
