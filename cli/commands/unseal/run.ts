import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CloakError, cryptoError, inputError, isCloakError, usageError } from '../../../src/errors.js';
import { readDocuments } from '../../../src/manifests/documents.js';
import { buildSecret, readPrivateKeys, unsealItems, type SealedSecretObject, type SecretObject } from '../../../src/sealed/index.js';
import { bitnamiTemplateRenderer } from '../../shared/template-renderer.js';
import { readInput } from '../../shared/input.js';
import { outputFormat, writeOutput } from '../../shared/write-output.js';
import { formatObjects } from '../../../src/sealed/output.js';
import type { CliIo } from '../../io.js';
import type { UnsealFlags } from './index.js';

export async function runUnseal(io: CliIo, f: UnsealFlags, defaults: { format?: 'yaml' | 'json' } = {}): Promise<void> {
  if (!f.key?.length) throw usageError('NoKey', 'at least one private key is needed', { hint: 'pass --key FILE (a PEM key or a key backup)' });
  const format = outputFormat(f.output, f.write, defaults.format ?? 'yaml');
  const keys = (await Promise.all(f.key.map(async (k) => {
    const text = await readFile(resolve(io.cwd, k), 'utf8').catch(() => {
      throw cryptoError('UnreadableKey', 'cannot read the private key file', { subject: k, hint: 'check the path given with --key' });
    });
    if (/-----BEGIN CERTIFICATE-----/.test(text) && !/PRIVATE KEY-----|tls\.key/.test(text)) {
      throw cryptoError('CertNotKey', 'this is a certificate; pass the private key', { subject: k, hint: 'e.g. --key tls.key next to it, or a key backup from `cloak keys backup`' });
    }
    return readPrivateKeys(text, k);
  }))).flat();
  const input = await readInput(io, f.file, 'a SealedSecret as YAML or JSON');
  const docs = readDocuments(input.text, input.source);
  if (docs.length === 0) throw inputError('NoSealedSecrets', 'no SealedSecret found', { subject: input.source });
  const hasTemplates = docs.some((d) => {
    const tpl = (d.object.spec as { template?: { data?: unknown } } | undefined)?.template;
    return tpl?.data !== undefined && tpl.data !== null;
  });
  const render = hasTemplates ? await bitnamiTemplateRenderer() : undefined;
  const secrets: SecretObject[] = [];
  for (const d of docs) {
    if (d.object.kind !== 'SealedSecret') {
      throw inputError('WrongKind', `expected a SealedSecret but found ${d.object.kind ? `kind ${String(d.object.kind)}` : 'no kind'}`, { subject: d.where, hint: 'unseal takes SealedSecrets (kind: SealedSecret, apiVersion: bitnami.com/v1alpha1)' });
    }
    if (d.object.apiVersion !== 'bitnami.com/v1alpha1') {
      throw inputError('WrongApiVersion', `apiVersion must be bitnami.com/v1alpha1, not ${JSON.stringify(d.object.apiVersion ?? null)}`, { subject: d.where, hint: 'set apiVersion: bitnami.com/v1alpha1' });
    }
    const spec = d.object['spec'];
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
      throw inputError('NoSpec', 'SealedSecret has no spec', { subject: d.where, hint: 'give a complete SealedSecret (spec.encryptedData), as `cloak seal` writes it' });
    }
    const enc = (spec as Record<string, unknown>)['encryptedData'];
    if (enc !== undefined && enc !== null && (typeof enc !== 'object' || Array.isArray(enc))) {
      throw inputError('InvalidManifest', 'spec.encryptedData is not a mapping of key to ciphertext', { subject: d.where, hint: 'give a SealedSecret as `cloak seal` writes it' });
    }
    const ss = d.object as unknown as SealedSecretObject;
    const { data } = await unsealItems(ss, keys);
    try {
      secrets.push(buildSecret(ss, data, render ? { renderTemplate: render } : {}));
    } catch (e) {
      if (!isCloakError(e) || e.subject) throw e;
      throw new CloakError(e.family, e.code, e.message, { subject: d.where, ...(e.hint ? { hint: e.hint } : {}), cause: e });
    }
  }
  if (format === 'json' && secrets.length > 1) {
    await writeOutput(io, `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: secrets, metadata: {} }, null, 2)}\n`, f.write);
    return;
  }
  await writeOutput(io, formatObjects(secrets, format), f.write);
}
