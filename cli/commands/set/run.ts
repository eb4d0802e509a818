// `cloak set FILE KEY` and `cloak unset FILE KEY`: change one item of an existing SealedSecret file
// without the other items' plaintext. The item is sealed for the scope the file already has (label
// from its top-level name, namespace and scope annotations, as Bitnami unseals); the rest of the
// file, comments included, stays as it was. Written atomically.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { inputError, usageError } from '../../../src/errors.js';
import { readDocuments } from '../../../src/manifests/documents.js';
import { writeFileAtomic } from '../../../src/manifests/atomic-write.js';
import { mergeIntoSealedSecret, scopeFromAnnotations, subjectOf, type SealedSecretObject } from '../../../src/sealed/index.js';
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
  const merged = mergeIntoSealedSecret(text, file, new Map([[key, value]]), cert);
  value.fill(0);
  await writeFileAtomic(path, keepLineEnds(text, merged.text));
  const scope = scopeFromAnnotations(ss.metadata?.annotations);
  io.stderr(`${file}: ${merged.added.length ? 'added' : 'updated'} item "${key}" of ${subjectOf(ss)} (scope ${scope}) for key ${cert.fingerprint}\n`);
}

export async function runUnset(io: CliIo, file: string, key: string): Promise<void> {
  checkKey(key);
  const path = resolve(io.cwd, file);
  const text = await readTarget(path, file);
  const ss = target(text, file);
  const { unsetItem } = await import('./unset-text.js');
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
function target(text: string, file: string): SealedSecretObject {
  const docs = readDocuments(text, file).filter((d) => isSealedSecret(d.object));
  if (docs.length !== 1) {
    throw inputError(docs.length ? 'ManySealedSecrets' : 'NoSealedSecrets', docs.length ? `${docs.length} SealedSecret documents in this file; set and unset edit a file with exactly one` : 'no SealedSecret documents in this file', {
      subject: file, hint: docs.length ? 'split the file, one SealedSecret per file' : 'pass a file written by `cloak seal` or kubeseal',
    });
  }
  const ss = docs[0]!.object as unknown as SealedSecretObject;
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

/** A CRLF file stays CRLF where lines were added. */
function keepLineEnds(before: string, after: string): string {
  return before.includes('\r\n') && !/(^|[^\r])\n/.test(before) ? after.replace(/\r?\n/g, '\r\n') : after;
}
