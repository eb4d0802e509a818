// `cloak external get`: resolve one ExternalSecret offline and print the Secret it would produce.
// User patterns run here: linear-time regexps first (src/regexp-guard.ts).
import '../../../src/regexp-guard.js';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { inputError, usageError } from '../../../src/errors.js';
import { ANNOTATION_DATA_HASH, desiredSecret, memorySources, resolveExternalSecret } from '../../../src/external/index.js';
import { readExternalDocuments } from '../../../src/manifests/external-read.js';
import type { ExternalSecretObject, KeyValueObject, SecretStoreObject } from '../../../src/manifests/external-types.js';
import { toJson, toYaml } from '../../../src/manifests/documents.js';
import type { SecretObject } from '../../../src/sealed/types.js';
import { readInput } from '../../shared/input.js';
import { timeoutMs } from '../../shared/net-limits.js';
import type { CliIo } from '../../io.js';
import type { ExternalGetFlags } from './index.js';

async function readFileFlag(io: CliIo, file: string, flag: string): Promise<string> {
  return readFile(resolve(io.cwd, file), 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw inputError('UnreadableFile', e.code === 'ENOENT' ? 'file not found' : `cannot read file (${e.code ?? e.message})`, {
      subject: file, hint: `check the path given with ${flag}`,
    });
  });
}

/** Masked copy: each value becomes `<masked: N bytes>`, so the output shows shape, never content. */
export function maskSecret(s: SecretObject): SecretObject {
  const data: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.data ?? {})) data[k] = `<masked: ${Buffer.from(v, 'base64').length} bytes>`;
  const annotations = { ...(s.metadata.annotations ?? {}) };
  // the data hash of short values can be brute-forced, so it is masked too
  if (annotations[ANNOTATION_DATA_HASH]) annotations[ANNOTATION_DATA_HASH] = '<masked>';
  return { ...s, metadata: { ...s.metadata, annotations }, data };
}

export async function runExternalGet(io: CliIo, f: ExternalGetFlags): Promise<void> {
  const format = f.output ?? 'yaml';
  if (format !== 'yaml' && format !== 'json') throw usageError('BadOutput', `unknown output format ${JSON.stringify(format)}`, { hint: 'use -o yaml or -o json' });

  const input = await readInput(io, f.file, 'an ExternalSecret as YAML or JSON');
  const esDocs = readExternalDocuments(input.text, input.source);
  if (esDocs.externalSecrets.length !== 1) {
    throw inputError('NoExternalSecret', esDocs.externalSecrets.length === 0 ? 'no ExternalSecret found' : 'several ExternalSecrets found', {
      subject: input.source, hint: 'give exactly one ExternalSecret with -f',
    });
  }
  const stores: SecretStoreObject[] = [...esDocs.stores.map((d) => d.object)];
  const objects: KeyValueObject[] = [...esDocs.keyValues.map((d) => d.object)];
  for (const file of f.store ?? []) {
    const docs = readExternalDocuments(await readFileFlag(io, file, '--store'), file);
    if (docs.stores.length === 0) throw inputError('NoStore', 'no SecretStore or ClusterSecretStore found', { subject: file, hint: 'check the file given with --store' });
    stores.push(...docs.stores.map((d) => d.object));
    objects.push(...docs.keyValues.map((d) => d.object));
  }
  for (const file of f.secret ?? []) {
    const docs = readExternalDocuments(await readFileFlag(io, file, '--secret'), file);
    if (docs.keyValues.length === 0) throw inputError('NoSecret', 'no Secret or ConfigMap found', { subject: file, hint: 'check the file given with --secret' });
    objects.push(...docs.keyValues.map((d) => d.object));
  }

  if (stores.length === 0) throw usageError('NoStore', 'no store given', { hint: 'pass --store STORE.yaml (a SecretStore or ClusterSecretStore)' });
  const es = structuredClone(esDocs.externalSecrets[0]!.object) as ExternalSecretObject;
  const firstNamespaced = stores.find((s) => s.kind === 'SecretStore' && s.metadata.namespace)?.metadata.namespace;
  const namespace = es.metadata.namespace ?? f.namespace ?? firstNamespaced ?? 'default';
  es.metadata.namespace = namespace;
  const sources = memorySources({ stores, objects, defaultNamespace: namespace });

  const { data, missing } = await resolveExternalSecret(es, { sources, env: io.env, timeoutMs: timeoutMs(io.env) });
  for (const m of missing) io.stderr(`warning: ${m}: secret does not exist at the provider (skipped by deletionPolicy)\n`);
  const secret = await desiredSecret(es, data, { reader: sources });
  const shown = f.reveal ? secret : maskSecret(secret);
  io.stdout(format === 'json' ? toJson(shown) : toYaml(shown));
}
