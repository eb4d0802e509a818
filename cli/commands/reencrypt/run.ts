// `cloak reencrypt -f FILE|DIR…`: re-seal every SealedSecret with the controller's newest key through
// /v1/rotate, editing each file in place (atomic per file; untouched bytes stay as they were).
// Without -f, reads stdin and writes the result to stdout.
import { readFile } from 'node:fs/promises';
import { CloakError, inputError, isCloakError } from '../../../src/errors.js';
import type { ControllerEndpoint } from '../../../src/kube/index.js';
import { readAll, type CliIo } from '../../io.js';
import { connectController, type ClusterFlags } from '../keys-online/cluster-options.js';
import { expandInputs, requireSealedSecrets } from './files.js';
import { reencryptText, type Rotate } from './reencrypt-text.js';

export async function reencryptCommand(o: ClusterFlags & { files: string[] }, io: CliIo): Promise<void> {
  const inputs = await expandInputs(o.files, io.cwd);
  if (o.files.length > 0) await requireSealedSecrets(inputs, o.files);
  const ep = await connectController(o, io);
  const { rotateSealedSecret } = await import('../../../src/kube/index.js');
  const rotate: Rotate = (ss, where) => rotateSealedSecret(ep, ss).catch((e: unknown) => {
    throw isCloakError(e) ? new CloakError(e.family, e.code, e.message, { subject: where, hint: e.hint, cause: e }) : e;
  });
  if (o.files.length === 0) {
    if (io.stdinIsTTY) io.stderr('(reading SealedSecrets from stdin; use -f FILE to edit files in place)\n');
    const text = (await readAll(io.stdin)).toString('utf8');
    const r = await reencryptText(text, 'stdin', rotate);
    if (r.sealedSecrets === 0) throw inputError('NoSealedSecrets', 'no SealedSecret documents in the input', { subject: 'stdin' });
    io.stdout(r.text);
    return;
  }
  await reencryptFiles(inputs, ep, rotate, io);
}

async function reencryptFiles(inputs: Awaited<ReturnType<typeof expandInputs>>, ep: ControllerEndpoint, rotate: Rotate, io: CliIo): Promise<void> {
  const { writeFileAtomic } = await import('../../../src/manifests/index.js');
  const failures: CloakError[] = [];
  let files = 0;
  let total = 0;
  for (const f of inputs) {
    try {
      const text = await readFile(f.path, 'utf8').catch((e: NodeJS.ErrnoException) => {
        throw inputError('FileUnreadable', `cannot read: ${e.code ?? e.message}`, { subject: f.display });
      });
      if (f.walked && !text.includes('SealedSecret')) continue;
      const r = await reencryptText(text, f.display, rotate);
      if (r.sealedSecrets === 0) {
        if (!f.walked) io.stderr(`${f.display}: no SealedSecret documents, left as is\n`);
        continue;
      }
      if (r.text !== text) await writeFileAtomic(f.path, r.text);
      files++;
      total += r.sealedSecrets;
      io.stderr(`${f.display}: re-encrypted ${r.sealedSecrets} SealedSecret${r.sealedSecrets === 1 ? '' : 's'}\n`);
    } catch (e) {
      const err = asCloakError(e, f.display);
      failures.push(err);
      io.stderr(`error: ${err.subject?.startsWith(f.display) ? '' : `${f.display}: `}${err.line}\n`);
    }
  }
  io.stderr(`re-encrypted ${total} SealedSecret${total === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'} with the newest key of controller ${ep.namespace}/${ep.name}\n`);
  if (failures.length > 0) {
    const first = failures[0]!;
    throw new CloakError(first.family, 'ReencryptFailed', `${failures.length} file${failures.length === 1 ? '' : 's'} could not be re-encrypted and were left unchanged`, {
      hint: 'see the errors above',
    });
  }
}

function asCloakError(e: unknown, subject: string): CloakError {
  if (isCloakError(e)) return e;
  return inputError('Failed', e instanceof Error ? e.message.split('\n')[0]! : String(e), { subject, cause: e });
}
