// kubeseal's --validate and --re-encrypt (--rotate): the SealedSecret comes from -f or stdin and goes
// to the controller through the API server's service proxy. --re-encrypt writes to stdout or -w, in
// kubeseal's output format (`cloak reencrypt` is the one that edits files in place, keeping comments).
import { readInput } from '../../shared/input.js';
import { outputFormat, writeOutput } from '../../shared/write-output.js';
import type { CliIo } from '../../io.js';
import type { ClusterFlags } from '../keys-online/cluster-options.js';
import { kubesealFormat, type KubesealFlags } from './index.js';
import type { SealedSecretObject } from '../../../src/sealed/types.js';

export async function runOnlineKubeseal(io: CliIo, f: KubesealFlags, cluster: ClusterFlags): Promise<void> {
  const input = await readInput(io, f.secretFile, 'a SealedSecret as YAML or JSON');
  const online = await import('../keys-online/kubeseal-online.js');
  if (f.validate) {
    await online.validateSealedSecretsText(io, cluster, input.text, input.source);
    return;
  }
  const { text } = await online.reencryptSealedSecretsText(io, cluster, input.text, input.source);
  // kubeseal prints the re-encrypted object in its output format, not the input's text.
  const format = outputFormat(kubesealFormat(f), undefined, 'json');
  const { readDocuments } = await import('../../../src/manifests/documents.js');
  const { formatObjects } = await import('../../../src/sealed/output.js');
  const objects = readDocuments(text, input.source).map((d) => d.object as unknown as SealedSecretObject);
  await writeOutput(io, formatObjects(objects, format), f.sealedSecretFile);
}
