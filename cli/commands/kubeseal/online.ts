// kubeseal's --validate and --re-encrypt (--rotate): the SealedSecret comes from -f or stdin and goes
// to the controller through the API server's service proxy. --re-encrypt writes to stdout or -w.
import { readInput } from '../../shared/input.js';
import { writeOutput } from '../../shared/write-output.js';
import type { CliIo } from '../../io.js';
import type { ClusterFlags } from '../keys-online/cluster-options.js';
import type { KubesealFlags } from './index.js';

export async function runOnlineKubeseal(io: CliIo, f: KubesealFlags, cluster: ClusterFlags): Promise<void> {
  const input = await readInput(io, f.secretFile, 'a SealedSecret as YAML or JSON');
  const online = await import('../keys-online/kubeseal-online.js');
  if (f.validate) {
    await online.validateSealedSecretsText(io, cluster, input.text, input.source);
    return;
  }
  const { text } = await online.reencryptSealedSecretsText(io, cluster, input.text, input.source);
  await writeOutput(io, text, f.sealedSecretFile);
}
