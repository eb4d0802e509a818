// Reading ExternalSecret, SecretStore/ClusterSecretStore, Secret and ConfigMap documents from YAML/JSON,
// checking just enough shape that the engine can rely on the fields it reads.
import { inputError } from '../errors.js';
import { readDocuments, type SourceDocument } from './documents.js';
import {
  ESO_GROUP, ESO_VERSIONS, type ExternalSecretObject, type KeyValueObject, type SecretStoreObject,
} from './external-types.js';

export interface ExternalDocuments {
  externalSecrets: Array<{ object: ExternalSecretObject; where: string }>;
  stores: Array<{ object: SecretStoreObject; where: string }>;
  keyValues: Array<{ object: KeyValueObject; where: string }>;
  /** Documents of other kinds (kept so callers can warn or ignore). */
  other: SourceDocument[];
}

function esoVersionOk(apiVersion: unknown): boolean {
  if (typeof apiVersion !== 'string') return false;
  const [group, version] = apiVersion.split('/');
  return group === ESO_GROUP && (ESO_VERSIONS as readonly string[]).includes(version ?? '');
}

function need(cond: boolean, where: string, message: string, hint: string): void {
  if (!cond) throw inputError('InvalidManifest', message, { subject: where, hint });
}

/** Sorts the documents of one or more YAML/JSON streams by kind, validating ESO objects. */
export function readExternalDocuments(text: string, source: string): ExternalDocuments {
  const out: ExternalDocuments = { externalSecrets: [], stores: [], keyValues: [], other: [] };
  for (const doc of readDocuments(text, source)) {
    const o = doc.object;
    const kind = o.kind;
    if (kind === 'ExternalSecret' || kind === 'SecretStore' || kind === 'ClusterSecretStore') {
      need(esoVersionOk(o.apiVersion), doc.where, `unsupported apiVersion ${JSON.stringify(o.apiVersion)} for ${kind}`,
        'use external-secrets.io/v1 (or v1beta1)');
      const meta = o.metadata as Record<string, unknown> | undefined;
      need(!!meta && typeof meta.name === 'string' && meta.name !== '', doc.where, `${kind} has no metadata.name`, 'set metadata.name');
      need(typeof o.spec === 'object' && o.spec !== null && !Array.isArray(o.spec), doc.where, `${kind} has no spec`, 'add a spec (a mapping)');
      if (kind === 'ExternalSecret') {
        const spec = o.spec as Record<string, unknown>;
        for (const field of ['data', 'dataFrom'] as const) {
          const v = spec[field];
          need(v === undefined || v === null || Array.isArray(v), doc.where, `spec.${field} is not a list`,
            `write spec.${field} as a list of entries (each starting with "- ")`);
          for (const [i, entry] of ((v ?? []) as unknown[]).entries()) {
            need(typeof entry === 'object' && entry !== null && !Array.isArray(entry), doc.where, `spec.${field}[${i}] is not a mapping`,
              field === 'data' ? 'give each entry a secretKey and a remoteRef' : 'give each entry an extract, find or sourceRef');
          }
        }
        out.externalSecrets.push({ object: o as unknown as ExternalSecretObject, where: doc.where });
      } else {
        const provider = (o.spec as Record<string, unknown>).provider;
        need(typeof provider === 'object' && provider !== null, doc.where, `${kind} has no spec.provider`, 'add exactly one provider block');
        out.stores.push({ object: o as unknown as SecretStoreObject, where: doc.where });
      }
    } else if (kind === 'Secret' || kind === 'ConfigMap') {
      const meta = o.metadata as Record<string, unknown> | undefined;
      need(!!meta && typeof meta.name === 'string', doc.where, `${kind} has no metadata.name`, 'set metadata.name');
      out.keyValues.push({ object: o as unknown as KeyValueObject, where: doc.where });
    } else {
      out.other.push(doc);
    }
  }
  return out;
}
