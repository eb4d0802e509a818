// SealedSecret → Secret, as Bitnami's (*SealedSecret).Unseal: scope from the top-level annotations,
// every item tried with the hinted key first, all failures reported at once by item key.
import type { KeyObject } from 'node:crypto';
import { decodeBase64Strict, encodeBase64 } from '../crypto/base64.js';
import { hybridDecrypt } from '../crypto/hybrid.js';
import { CloakError, cryptoError, inputError, isCloakError } from '../errors.js';
import { encryptionLabel, scopeFromAnnotations } from './scope.js';
import {
  ANNOTATION_SEALING_KEY, ANNOTATION_SEALING_KEYS, SEALED_SECRET_API_VERSION,
  type ObjectMeta, type SealedSecretObject, type SecretObject,
} from './types.js';

export interface DecryptKey {
  privateKey: KeyObject;
  fingerprint: string;
}

/** Swappable so the controller can run RSA work on a worker pool. */
export type DecryptFn = (key: DecryptKey, blob: Buffer, label: Buffer) => Promise<Buffer> | Buffer;

export interface UnsealedItems {
  data: Record<string, Buffer>;
  /** Which key opened each item (fingerprint). */
  keyByItem: Record<string, string>;
}

const ANNOTATION_SKIP_OWNER = 'sealedsecrets.bitnami.com/skip-set-owner-references';

export async function unsealItems(ss: SealedSecretObject, keys: DecryptKey[], decrypt: DecryptFn = syncDecrypt): Promise<UnsealedItems> {
  const meta = ss.metadata ?? {};
  // A YAML 1.1 scalar (`name: y` is true) keeps its text in the label, as before; a mapping or list cannot.
  const asText = (v: unknown) => (typeof v === 'object' && v !== null ? undefined : String(v ?? ''));
  const name = asText(meta.name);
  const namespace = asText(meta.namespace);
  if (name === undefined || namespace === undefined) {
    throw inputError('InvalidManifest', 'metadata.name and metadata.namespace must be strings', { subject: subjectOf(ss), hint: 'quote them' });
  }
  const label = encryptionLabel(namespace, name, scopeFromAnnotations(meta.annotations));
  const encrypted = ss.spec?.encryptedData ?? {};
  if (ss.spec?.data !== undefined && ss.spec.data !== null && Object.keys(encrypted).length > 0) {
    throw inputError('BothDataFormats', "cannot use the field 'encryptedData' and the deprecated field 'data' at the same time", { subject: subjectOf(ss), hint: 'remove spec.data and re-seal with `cloak seal`' });
  }
  const hints = hintsOf(meta.annotations);
  const data: Record<string, Buffer> = {};
  const keyByItem: Record<string, string> = {};
  const failures = new Map<string, string[]>();
  const fail = (message: string, item: string) => failures.set(message, [...(failures.get(message) ?? []), item]);

  await Promise.all(Object.entries(encrypted).map(async ([item, text]) => {
    const blob = typeof text === 'string' ? decodeBase64Strict(text) : undefined;
    if (!blob) return fail('illegal base64 data', item);
    const hinted = hints.perItem[item] ?? hints.all;
    const ordered = hinted ? [...keys.filter((k) => k.fingerprint === hinted), ...keys.filter((k) => k.fingerprint !== hinted)] : keys;
    for (const key of ordered) {
      try {
        data[item] = await decrypt(key, blob, label);
        keyByItem[item] = key.fingerprint;
        return;
      } catch (e) {
        if (isCloakError(e) && e.code === 'TooShort') return fail('SealedSecret data is too short', item);
        // Only a failed decryption means "try the next key"; anything else (a dead worker, a closed
        // pool) is an internal error the caller must see as such, not as "cannot decrypt".
        if (!isDecryptFailure(e)) throw e;
      }
    }
    fail('no key could decrypt secret', item);
  }));

  if (ss.spec?.data) {
    const legacy = await unsealLegacy(ss, keys, label, decrypt);
    Object.assign(data, legacy);
  }
  if (failures.size > 0) {
    const message = [...failures].sort(([a], [b]) => (a < b ? -1 : 1)).map(([m, items]) => `${m} (${items.sort().join(', ')})`).join('; ');
    throw cryptoError('UnsealFailed', message, {
      subject: subjectOf(ss),
      hint: failures.has('no key could decrypt secret')
        ? 'it was sealed for another cluster, namespace, name or scope, or with a key you did not provide'
        : 'the encrypted value is damaged; re-seal it',
    });
  }
  return { data, keyByItem };
}

/** The deprecated v1 format: the whole Secret JSON encrypted as one blob. Read-only support. */
async function unsealLegacy(ss: SealedSecretObject, keys: DecryptKey[], label: Buffer, decrypt: DecryptFn): Promise<Record<string, Buffer>> {
  const blob = typeof ss.spec.data === 'string' ? decodeBase64Strict(ss.spec.data) : undefined;
  if (!blob) throw inputError('IllegalBase64', 'illegal base64 data in spec.data', { subject: subjectOf(ss), hint: 'the deprecated spec.data is damaged; re-seal with `cloak seal`' });
  for (const key of keys) {
    let plain: Buffer;
    try { plain = await decrypt(key, blob, label); } catch (e) { if (isDecryptFailure(e)) continue; throw e; }
    let secret: { data?: unknown };
    try { secret = JSON.parse(plain.toString('utf8')) as { data?: unknown }; } catch { secret = { data: 0 }; }
    const data = secret?.data ?? {};
    if (typeof data !== 'object' || data === null || Array.isArray(data) || Object.values(data).some((v) => typeof v !== 'string')) {
      throw inputError('InvalidLegacyData', 'the deprecated spec.data does not hold a Secret', { subject: subjectOf(ss), hint: 're-seal it with `cloak seal`' });
    }
    const out: Record<string, Buffer> = {};
    for (const [k, v] of Object.entries(data as Record<string, string>)) out[k] = Buffer.from(v, 'base64');
    return out;
  }
  throw cryptoError('UnsealFailed', 'no key could decrypt secret (spec.data)', { subject: subjectOf(ss) });
}

export interface BuildOptions {
  /** Renders one `spec.template.data` value (Go text/template + Sprig, Bitnami's function set). */
  renderTemplate?: (name: string, source: string, values: Record<string, Uint8Array>) => Uint8Array | string;
}

/** The Secret the controller writes (and `cloak unseal` prints) for these decrypted items. */
export function buildSecret(ss: SealedSecretObject, data: Record<string, Buffer>, o: BuildOptions = {}): SecretObject {
  checkTemplate(ss);
  const template = ss.spec?.template ?? {};
  const metadata: ObjectMeta = structuredClone(template.metadata ?? {}) as ObjectMeta;
  delete metadata.creationTimestamp;
  const own = ss.metadata ?? {};
  metadata.name = own.name ?? '';
  metadata.namespace = own.namespace ?? '';
  if (metadata.annotations?.[ANNOTATION_SKIP_OWNER] !== 'true') {
    metadata.ownerReferences = [{
      apiVersion: SEALED_SECRET_API_VERSION,
      kind: 'SealedSecret',
      name: own.name ?? '',
      uid: own.uid ?? '',
      controller: true,
    }];
  }
  const out: Record<string, string> = {};
  for (const k of Object.keys(data).sort()) out[k] = encodeBase64(data[k] as Buffer);
  const templates = template.data ?? {};
  if (Object.keys(templates).length > 0) {
    if (!o.renderTemplate) throw inputError('NoTemplateEngine', 'spec.template.data needs the template engine', { subject: subjectOf(ss) });
    for (const [k, source] of Object.entries(templates)) {
      let rendered: Uint8Array | string;
      try {
        rendered = o.renderTemplate(k, source, data);
      } catch (e) {
        if (!isCloakError(e) || e.hint) throw e;
        throw new CloakError(e.family, e.code, e.message, { ...(e.subject ? { subject: e.subject } : {}), hint: `fix spec.template.data.${k}`, cause: e });
      }
      out[k] = encodeBase64(typeof rendered === 'string' ? Buffer.from(rendered, 'utf8') : rendered);
    }
  }
  const secret: SecretObject = { apiVersion: 'v1', kind: 'Secret', metadata, data: sortKeys(out) };
  if (template.type !== undefined) secret.type = template.type;
  if (template.immutable !== undefined) secret.immutable = template.immutable;
  return secret;
}

/** spec.template must describe a Secret the API server accepts: string maps, string type, string templates. */
function checkTemplate(ss: SealedSecretObject): void {
  const template = ss.spec?.template as Record<string, unknown> | undefined;
  if (template === undefined || template === null) return;
  const fail = (what: string, hint: string) => { throw inputError('InvalidTemplate', `spec.template.${what}`, { subject: subjectOf(ss), hint }); };
  if (typeof template !== 'object' || Array.isArray(template)) fail('must be a mapping', 'give spec.template as `cloak seal` writes it');
  const stringMap = (v: unknown, field: string, hint: string) => {
    if (v === undefined || v === null) return;
    if (typeof v !== 'object' || Array.isArray(v)) return fail(`${field} must be a mapping of strings`, hint);
    for (const [k, x] of Object.entries(v)) if (typeof x !== 'string') fail(`${field}.${k} must be a string`, hint);
  };
  stringMap(template['data'], 'data', 'each template is a Go template string');
  const meta = template['metadata'] as Record<string, unknown> | undefined;
  if (meta !== undefined && meta !== null) {
    if (typeof meta !== 'object' || Array.isArray(meta)) fail('metadata must be a mapping', 'give spec.template.metadata as `cloak seal` writes it');
    stringMap(meta['labels'], 'metadata.labels', 'quote the values');
    stringMap(meta['annotations'], 'metadata.annotations', 'quote the values');
  }
  if (template['type'] !== undefined && typeof template['type'] !== 'string') fail('type must be a string', 'e.g. type: Opaque');
  if (template['immutable'] !== undefined && typeof template['immutable'] !== 'boolean') fail('immutable must be true or false', 'write immutable: true');
}

/** What hybridDecrypt throws for a ciphertext this key cannot open (as opposed to an internal failure). */
function isDecryptFailure(e: unknown): boolean {
  return isCloakError(e) && (e.code === 'DecryptFailed' || e.code === 'TooShort');
}

function syncDecrypt(key: DecryptKey, blob: Buffer, label: Buffer): Buffer {
  return hybridDecrypt(key.privateKey, blob, label);
}

function hintsOf(annotations: Record<string, string> | undefined): { all?: string; perItem: Record<string, string> } {
  const all = annotations?.[ANNOTATION_SEALING_KEY];
  let perItem: Record<string, string> = {};
  const raw = annotations?.[ANNOTATION_SEALING_KEYS];
  if (raw) {
    try { perItem = JSON.parse(raw) as Record<string, string>; } catch { perItem = {}; }
  }
  return { ...(all ? { all } : {}), perItem };
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function subjectOf(ss: SealedSecretObject): string {
  const m = (ss.metadata ?? {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v)?.slice(0, 63));
  return `SealedSecret ${m['namespace'] ? `${text(m['namespace'])}/` : ''}${m['name'] ? text(m['name']) : '(unnamed)'}`;
}
