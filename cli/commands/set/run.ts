// `cloak set FILE KEY` and `cloak unset FILE KEY`: change one item of an existing SealedSecret file
// without the other items' plaintext. The item is sealed for the scope the file already has (label
// from its top-level name, namespace and scope annotations, as Bitnami unseals); the rest of the
// file, comments and line ends included, stays as it was. Written atomically.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { inputError, usageError } from '../../../src/errors.js';
import { readDocuments } from '../../../src/manifests/documents.js';
import { writeFileAtomic } from '../../../src/manifests/atomic-write.js';
import { encodeBase64, hybridEncrypt } from '../../../src/crypto/index.js';
import { encryptionLabel, scopeFromAnnotations, subjectOf, type SealedSecretObject } from '../../../src/sealed/index.js';
import { loadCertificate } from '../../shared/cert-source.js';
import { clusterCertFetcher } from '../../shared/cluster-cert.js';
import type { ClusterFlags } from '../keys-online/cluster-options.js';
import type { CliIo } from '../../io.js';
import { isSealedSecret } from '../reencrypt/reencrypt-text.js';

export interface SetFlags extends ClusterFlags {
  fromLiteral?: string;
  fromFile?: string;
  cert?: string;
}

/** Secret data keys, as the API server validates them. */
const KEY_RE = /^[-._a-zA-Z0-9]+$/;

export async function runSet(io: CliIo, file: string, key: string, f: SetFlags): Promise<void> {
  checkKey(key);
  if ((f.fromLiteral === undefined) === (f.fromFile === undefined)) {
    throw usageError('OneValueSource', 'give the value with exactly one of --from-literal VALUE or --from-file FILE');
  }
  const path = resolve(io.cwd, file);
  const text = await readTarget(path, file);
  const ss = target(text, file);
  const value = f.fromFile !== undefined
    ? await readFile(resolve(io.cwd, f.fromFile)).catch(() => { throw inputError('UnreadableFile', 'cannot read the value file', { subject: f.fromFile, hint: 'check the path given with --from-file' }); })
    : Buffer.from(f.fromLiteral!, 'utf8');
  const cert = await loadCertificate(io, { ...(f.cert ? { cert: f.cert } : {}), fetchFromCluster: clusterCertFetcher(io, f, 'pass --cert FILE|URL or set CLOAK_CERT to seal offline') });
  const scope = scopeFromAnnotations(ss.metadata?.annotations);
  const label = encryptionLabel(ss.metadata.namespace ?? '', ss.metadata.name ?? '', scope);
  const ciphertext = encodeBase64(hybridEncrypt(cert.publicKey, value, label));
  value.fill(0);
  const { setItem } = await import('./item-text.js');
  const r = setItem(text, file, key, ciphertext, cert.fingerprint);
  await writeFileAtomic(path, r.text);
  io.stderr(`${file}: ${r.added ? 'added' : 'updated'} item "${key}" of ${subjectOf(ss)} (scope ${scope}) for key ${cert.fingerprint}\n`);
}

export async function runUnset(io: CliIo, file: string, key: string): Promise<void> {
  checkKey(key);
  const path = resolve(io.cwd, file);
  const text = await readTarget(path, file);
  const ss = target(text, file, false);
  const { unsetItem } = await import('./item-text.js');
  await writeFileAtomic(path, unsetItem(text, file, key));
  io.stderr(`${file}: removed item "${key}" of ${subjectOf(ss)}\n`);
}

function checkKey(key: string): void {
  if (!KEY_RE.test(key) || key === '.' || key === '..') {
    throw usageError('BadKey', `invalid item name "${key}": a Secret key consists of letters, digits, '-', '_' or '.'`);
  }
}

async function readTarget(path: string, file: string): Promise<string> {
  return readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw inputError('FileNotFound', e.code === 'ENOENT' ? 'no such file' : `cannot read: ${e.code ?? e.message}`, { subject: file, hint: 'pass a SealedSecret file written by `cloak seal` or kubeseal' });
  });
}

/** The file's one SealedSecret, checked to have a label this command can compute. */
function target(text: string, file: string, needLabel = true): SealedSecretObject {
  const docs = readDocuments(text, file).filter((d) => isSealedSecret(d.object));
  if (docs.length !== 1) {
    throw inputError(docs.length ? 'ManySealedSecrets' : 'NoSealedSecrets', docs.length ? `${docs.length} SealedSecret documents in this file; set and unset edit a file with exactly one` : 'no SealedSecret documents in this file', {
      subject: file, hint: docs.length ? 'split the file, one SealedSecret per file' : 'pass a file written by `cloak seal` or kubeseal',
    });
  }
  const ss = docs[0]!.object as unknown as SealedSecretObject;
  if (!needLabel) return ss;
  const scope = scopeFromAnnotations(ss.metadata?.annotations);
  const need = (field: 'name' | 'namespace') => {
    const v = ss.metadata?.[field];
    if (typeof v !== 'string' || v === '' || v.includes('{{')) {
      throw inputError('NoLabel', `metadata.${field} is ${typeof v === 'string' && v !== '' ? 'a template expression' : 'missing'}, and the ${scope} scope binds items to it`, {
        subject: `${file} ${subjectOf(ss)}`, hint: `set metadata.${field} to the value it has in the cluster`,
      });
    }
  };
  if (scope === 'strict') need('name');
  if (scope !== 'cluster-wide') need('namespace');
  return ss;
}
