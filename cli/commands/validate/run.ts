// `cloak validate -f FILE|DIR…`: asks the controller (POST /v1/verify) whether it can decrypt each
// SealedSecret, prints one line per SealedSecret, and fails if any cannot be decrypted.
import { readFile } from 'node:fs/promises';
import { CloakError, cryptoError, inputError, isCloakError } from '../../../src/errors.js';
import { readAll, type CliIo } from '../../io.js';
import { connectController, type ClusterFlags } from '../keys-online/cluster-options.js';
import { expandInputs, requireSealedSecrets } from '../reencrypt/files.js';
import { isSealedSecret, mapLimited } from '../reencrypt/reencrypt-text.js';

export async function validateCommand(o: ClusterFlags & { files: string[] }, io: CliIo): Promise<void> {
  const inputs = await expandInputs(o.files, io.cwd);
  if (o.files.length > 0) await requireSealedSecrets(inputs, o.files);
  const ep = await connectController(o, io);
  const { verifySealedSecret, refOf } = await import('../../../src/kube/index.js');
  const { readDocuments } = await import('../../../src/manifests/index.js');
  const sources: Array<{ display: string; walked: boolean; read: () => Promise<string> }> =
    o.files.length === 0
      ? [{ display: 'stdin', walked: false, read: async () => (await readAll(io.stdin)).toString('utf8') }]
      : inputs.map((f) => ({ display: f.display, walked: f.walked, read: () => readFile(f.path, 'utf8') }));
  if (o.files.length === 0 && io.stdinIsTTY) io.stderr('(reading SealedSecrets from stdin; use -f FILE)\n');
  let checked = 0;
  let undecryptable = 0;
  const inputFailures: CloakError[] = [];
  for (const src of sources) {
    try {
      const text = await src.read().catch((e: NodeJS.ErrnoException) => {
        throw inputError('FileUnreadable', `cannot read: ${e.code ?? e.message}`, { subject: src.display });
      });
      if (src.walked && !text.includes('SealedSecret')) continue;
      const docs = readDocuments(text, src.display).filter((d) => isSealedSecret(d.object));
      if (docs.length === 0) {
        if (!src.walked) throw inputError('NoSealedSecrets', 'no SealedSecret documents', { subject: src.display, hint: 'pass files that contain kind: SealedSecret' });
        continue;
      }
      const results = await mapLimited(docs, 2, (d) => verifySealedSecret(ep, d.object));
      docs.forEach((d, i) => {
        checked++;
        const ref = refOf(d.object);
        if (results[i]) io.stdout(`${d.where}: SealedSecret ${ref}: ok\n`);
        else {
          undecryptable++;
          io.stdout(`${d.where}: SealedSecret ${ref}: cannot be decrypted by the controller\n`);
        }
      });
    } catch (e) {
      if (!isCloakError(e) || e.family === 'cluster') throw e;
      if (sources.length === 1) throw e; // one input: its own line is the whole report
      inputFailures.push(e);
      io.stderr(`error: ${e.subject?.startsWith(src.display) ? '' : `${src.display}: `}${e.line}\n`);
    }
  }
  if (undecryptable > 0) {
    throw cryptoError('Undecryptable', `${undecryptable} of ${checked} SealedSecret${checked === 1 ? '' : 's'} cannot be decrypted by controller ${ep.namespace}/${ep.name}`, {
      hint: 'they were sealed for another cluster, name, namespace or scope, or with a retired key; re-seal them with `cloak seal`',
    });
  }
  if (inputFailures.length > 0) {
    throw inputError('ValidateInput', `${inputFailures.length} input${inputFailures.length === 1 ? '' : 's'} could not be read`, { hint: 'see the errors above' });
  }
  io.stderr(`${checked} SealedSecret${checked === 1 ? '' : 's'} can be decrypted by controller ${ep.namespace}/${ep.name}\n`);
}
