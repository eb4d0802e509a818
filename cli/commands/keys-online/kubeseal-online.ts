// What `cloak kubeseal --validate` / `--re-encrypt` need from the controller, as plain functions over
// an input text: the kubeseal command decides output format and where to write.
import { cryptoError } from '../../../src/errors.js';
import type { CliIo } from '../../io.js';
import { isSealedSecret, mapLimited, reencryptText } from '../reencrypt/reencrypt-text.js';
import { clusterFlags, connectController, type ClusterFlags } from './cluster-options.js';

type Where = Pick<CliIo, 'env' | 'cwd'>;

/** POST /v1/verify for every SealedSecret in text; kubeseal's error for the first that cannot be decrypted. */
export async function validateSealedSecretsText(io: Where, f: ClusterFlags, text: string, source: string): Promise<Array<{ where: string; ref: string; ok: boolean }>> {
  const ep = await connectController(clusterFlags({ ...f }, io.env), io);
  const { verifySealedSecret, refOf } = await import('../../../src/kube/index.js');
  const { readDocuments } = await import('../../../src/manifests/index.js');
  const docs = readDocuments(text, source).filter((d) => isSealedSecret(d.object));
  const ok = await mapLimited(docs, 2, (d) => verifySealedSecret(ep, d.object));
  const results = docs.map((d, i) => ({ where: d.where, ref: refOf(d.object), ok: ok[i]! }));
  const bad = results.find((r) => !r.ok);
  if (bad) {
    throw cryptoError('Undecryptable', `unable to decrypt sealed secret: ${bad.ref}`, {
      subject: bad.where,
      hint: 'it was sealed for another cluster, name, namespace or scope; re-seal it',
    });
  }
  return results;
}

/** POST /v1/rotate for every SealedSecret in text; returns the text with only the ciphertexts (and cloak.dev/ hints) changed. */
export async function reencryptSealedSecretsText(io: Where, f: ClusterFlags, text: string, source: string): Promise<{ text: string; sealedSecrets: number }> {
  const ep = await connectController(clusterFlags({ ...f }, io.env), io);
  const { rotateSealedSecret } = await import('../../../src/kube/index.js');
  return reencryptText(text, source, (ss) => rotateSealedSecret(ep, ss));
}
