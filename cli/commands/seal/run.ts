import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { inputError, usageError } from '../../../src/errors.js';
import { readDocuments } from '../../../src/manifests/documents.js';
import { writeFileAtomic } from '../../../src/manifests/atomic-write.js';
import { formatObjects, mergeIntoSealedSecret, parseScope, sealRawValue, sealSecret, validateSecret, type Scope } from '../../../src/sealed/index.js';
import type { SealingCertificate } from '../../../src/crypto/certificate.js';
import { loadCertificate } from '../../shared/cert-source.js';
import { clusterCertFetcher } from '../../shared/cluster-cert.js';
import { readInput } from '../../shared/input.js';
import { kubeconfigNamespace } from '../../shared/kube-namespace.js';
import { outputFormat, writeOutput } from '../../shared/write-output.js';
import type { CliIo } from '../../io.js';
import type { SealFlags } from './index.js';
import { clusterPath, clusterTargets, parseCertSpecs } from './cert-specs.js';
import { mergeNameWarnings, missingNamespaceWarnings, namespaceWarning } from './warnings.js';
import { writeAllAtomic } from './write-all.js';

export async function runSeal(io: CliIo, f: SealFlags, defaults: { format?: 'yaml' | 'json' } = {}): Promise<void> {
  const scope: Scope | undefined = f.scope ? parseScope(f.scope) : undefined;
  if (f.fromFile?.length && !f.raw) throw usageError('FromFileNeedsRaw', '--from-file requires --raw');
  if (f.raw && f.mergeInto) throw usageError('RawAndMerge', '--raw and --merge-into cannot be used together');
  const format = outputFormat(f.output, f.write?.replaceAll('{cluster}', ''), defaults.format ?? 'yaml');
  const specs = parseCertSpecs(f.cert);
  const clusters = clusterTargets(specs, f.write, { ...(f.raw ? { raw: true } : {}), ...(f.mergeInto ? { mergeInto: f.mergeInto } : {}) });
  // Every certificate is read and checked before any input is sealed or any file written.
  const certs: SealingCertificate[] = [];
  if (clusters) {
    for (const c of clusters) certs.push(await loadCertificate(io, { cert: c.ref }));
  } else {
    const ref = specs[0]?.ref;
    certs.push(await loadCertificate(io, { ...(ref ? { cert: ref } : {}), fetchFromCluster: clusterCertFetcher(io, f, 'pass --cert FILE|URL or set CLOAK_CERT to seal offline') }));
  }
  const cert = certs[0] as SealingCertificate;

  if (f.raw) {
    if ((f.fromFile?.length ?? 0) > 1) throw usageError('TooManyFromFile', 'must provide only one --from-file when encrypting a single item with --raw');
    const value = f.fromFile?.[0] ? await readRawFile(io, f.fromFile[0]) : (await readInput(io, undefined, 'the value to encrypt')).bytes;
    const s = scope ?? 'strict';
    const namespace = s === 'cluster-wide' ? (f.namespace ?? '') : (f.namespace || kubeconfigNamespace(io.env, f.context));
    await writeOutput(io, sealRawValue(value, cert, s, namespace, f.name ?? ''), f.write);
    // After the output: a failing run prints only its one error line.
    if (s !== 'cluster-wide' && !f.namespace) io.stderr(namespaceWarning('--raw value', s, namespace));
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
    for (const w of mergeNameWarnings(text, f.mergeInto, secrets)) io.stderr(w);
    return;
  }

  const defaultNamespace = f.namespace ? undefined : lazyNamespace(io, f);
  const sealFor = (c: SealingCertificate) => secrets.map((s) => sealSecret(s, c, {
    ...(scope ? { scope } : {}),
    ...(f.namespace ? { namespace: f.namespace } : {}),
    ...(defaultNamespace && !s.metadata.namespace ? { defaultNamespace: defaultNamespace() } : {}),
  }));
  const first = sealFor(cert);
  const warnings = defaultNamespace ? missingNamespaceWarnings(secrets, first) : [];
  if (!clusters) {
    await writeOutput(io, formatObjects(first, format), f.write);
    for (const w of warnings) io.stderr(w);
    return;
  }
  const files = clusters.map((c, i) => {
    const display = clusterPath(f.write as string, c.cluster);
    return { display, path: resolve(io.cwd, display), text: formatObjects(i === 0 ? first : sealFor(certs[i] as SealingCertificate), format) };
  });
  await writeAllAtomic(files);
  for (const w of warnings) io.stderr(w);
  io.stderr(`sealed for ${clusters.length} cluster${clusters.length === 1 ? '' : 's'}: ${files.map((x) => x.display).join(', ')}\n`);
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
