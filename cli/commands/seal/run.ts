import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { inputError, usageError } from '../../../src/errors.js';
import { readDocuments } from '../../../src/manifests/documents.js';
import { writeFileAtomic } from '../../../src/manifests/atomic-write.js';
import { formatObjects, mergeIntoSealedSecret, parseScope, sealRawValue, sealSecret, validateSecret, type Scope } from '../../../src/sealed/index.js';
import { loadCertificate } from '../../shared/cert-source.js';
import { clusterCertFetcher } from '../../shared/cluster-cert.js';
import { readInput } from '../../shared/input.js';
import { kubeconfigNamespace } from '../../shared/kube-namespace.js';
import { outputFormat, writeOutput } from '../../shared/write-output.js';
import type { CliIo } from '../../io.js';
import type { SealFlags } from './index.js';

export async function runSeal(io: CliIo, f: SealFlags, defaults: { format?: 'yaml' | 'json' } = {}): Promise<void> {
  const scope: Scope | undefined = f.scope ? parseScope(f.scope) : undefined;
  if (f.fromFile?.length && !f.raw) throw usageError('FromFileNeedsRaw', '--from-file requires --raw');
  if (f.raw && f.mergeInto) throw usageError('RawAndMerge', '--raw and --merge-into cannot be used together');
  const format = outputFormat(f.output, f.write, defaults.format ?? 'yaml');
  const cert = await loadCertificate(io, { ...(f.cert ? { cert: f.cert } : {}), fetchFromCluster: clusterCertFetcher(io, f, 'pass --cert FILE|URL or set CLOAK_CERT to seal offline') });

  if (f.raw) {
    if ((f.fromFile?.length ?? 0) > 1) throw usageError('TooManyFromFile', 'must provide only one --from-file when encrypting a single item with --raw');
    const value = f.fromFile?.[0] ? await readRawFile(io, f.fromFile[0]) : (await readInput(io, undefined, 'the value to encrypt')).bytes;
    const s = scope ?? 'strict';
    const namespace = s === 'cluster-wide' ? (f.namespace ?? '') : (f.namespace || kubeconfigNamespace(io.env, f.context));
    await writeOutput(io, sealRawValue(value, cert, s, namespace, f.name ?? ''), f.write);
    return;
  }

  const input = await readInput(io, f.file, 'a Secret as YAML or JSON');
  const docs = readDocuments(input.text, input.source);
  if (docs.length === 0) throw inputError('NoSecrets', 'no secrets found', { subject: input.source, hint: 'ensure the input is a Secret in YAML or JSON, UTF-8 encoded' });
  const secrets = docs.map((d) => validateSecret(d, { ...(f.name ? { name: f.name } : {}), allowEmptyData: f.allowEmptyData ?? false }));

  if (f.mergeInto) {
    const target = resolve(io.cwd, f.mergeInto);
    const text = await readFile(target, 'utf8').catch(() => {
      throw inputError('UnreadableFile', 'cannot read the SealedSecret to merge into', { subject: f.mergeInto, hint: 'check the path given with --merge-into' });
    });
    const items = new Map<string, Buffer>();
    for (const s of secrets) for (const [k, v] of s.items) items.set(k, v);
    const merged = mergeIntoSealedSecret(text, f.mergeInto, items, cert);
    await writeFileAtomic(target, merged.text);
    return;
  }

  const defaultNamespace = f.namespace ? undefined : lazyNamespace(io, f);
  const sealed = secrets.map((s) => sealSecret(s, cert, {
    ...(scope ? { scope } : {}),
    ...(f.namespace ? { namespace: f.namespace } : {}),
    ...(defaultNamespace && !s.metadata.namespace ? { defaultNamespace: defaultNamespace() } : {}),
  }));
  await writeOutput(io, formatObjects(sealed, format), f.write);
}

function lazyNamespace(io: CliIo, f: SealFlags): () => string {
  let ns: string | undefined;
  return () => (ns ??= kubeconfigNamespace(io.env, f.context));
}

async function readRawFile(io: CliIo, spec: string): Promise<Buffer> {
  const path = spec.includes('=') && !spec.startsWith('=') ? spec.slice(spec.indexOf('=') + 1) : spec;
  return readFile(resolve(io.cwd, path)).catch(() => {
    throw inputError('UnreadableFile', 'cannot read the value file', { subject: path, hint: 'check the path given with --from-file' });
  });
}
