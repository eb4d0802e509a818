// Offline re-encryption of one SealedSecret: every item decrypted with the given private keys and
// sealed again for the new certificate, with the same label (scope from the top-level metadata, as
// Bitnami unseals). Only the ciphertexts and our key-hint annotations differ in the result.
import { decodeBase64Strict, encodeBase64 } from '../crypto/base64.js';
import type { SealingCertificate } from '../crypto/certificate.js';
import { hybridDecrypt, hybridEncrypt } from '../crypto/hybrid.js';
import { cryptoError, inputError, isCloakError } from '../errors.js';
import { encryptionLabel, scopeFromAnnotations, Scope } from './scope.js';
import { ANNOTATION_SEALING_KEY, ANNOTATION_SEALING_KEYS, type SealedSecretObject } from './types.js';
import { subjectOf, type DecryptKey } from './unseal.js';

export type NewCertificate = Pick<SealingCertificate, 'publicKey' | 'fingerprint'>;

/** Code of errors caused by `{{ }}` template expressions where a plain value is needed. */
export const TEMPLATED = 'Templated';

export function resealOffline(ss: SealedSecretObject, where: string, keys: DecryptKey[], cert: NewCertificate): SealedSecretObject {
  const meta = ss.metadata ?? {};
  const annotations = (meta.annotations ?? {}) as Record<string, unknown>;
  const scope = scopeFromAnnotations(annotations);
  const subject = `${where} ${subjectOf(ss)}`;
  const name = plain(meta.name, 'metadata.name', subject, scope === Scope.Strict);
  const namespace = plain(meta.namespace, 'metadata.namespace', subject, scope !== Scope.ClusterWide);
  if (ss.spec?.data !== undefined && ss.spec.data !== null) {
    throw inputError('LegacyFormat', 'uses the deprecated spec.data format, which cannot be re-encrypted item by item', { subject, hint: 're-seal it from the Secret with `cloak seal`' });
  }
  const encrypted = ss.spec?.encryptedData;
  if (typeof encrypted !== 'object' || encrypted === null || Array.isArray(encrypted)) {
    throw inputError('InvalidManifest', 'spec.encryptedData is not a mapping of key to ciphertext', { subject, hint: 'give a SealedSecret as `cloak seal` or kubeseal writes it' });
  }
  const label = encryptionLabel(namespace, name, scope);
  const hinted = typeof annotations[ANNOTATION_SEALING_KEY] === 'string' ? annotations[ANNOTATION_SEALING_KEY] : undefined;
  const perItem = perItemHints(annotations[ANNOTATION_SEALING_KEYS]);
  let last: DecryptKey | undefined;
  const out: Record<string, string> = {};
  for (const [item, text] of Object.entries(encrypted)) {
    const at = `${subject} item "${item}"`;
    if (typeof text !== 'string') {
      throw inputError(/\{\{/.test(JSON.stringify(text)) ? TEMPLATED : 'NotCiphertext', 'is not a string of base64 ciphertext', { subject: at, hint: 're-seal this item with `cloak set`' });
    }
    if (text.includes('{{')) throw inputError(TEMPLATED, 'is a template expression ({{ }}), not a ciphertext', { subject: at, hint: 'render the chart first' });
    const blob = decodeBase64Strict(text);
    if (!blob) throw inputError('IllegalBase64', 'is not valid base64, so not a Bitnami ciphertext', { subject: at, hint: 're-seal this item with `cloak set`' });
    const first = perItem[item] ?? hinted;
    const ordered = [...keys.filter((k) => k.fingerprint === first), ...(last && last.fingerprint !== first ? [last] : []), ...keys.filter((k) => k.fingerprint !== first && k !== last)];
    let plainText: Buffer | undefined;
    for (const key of ordered) {
      try {
        plainText = hybridDecrypt(key.privateKey, blob, label);
        last = key;
        break;
      } catch (e) {
        if (isCloakError(e) && e.code === 'TooShort') throw cryptoError('TooShort', 'is too short to be a Bitnami ciphertext (damaged)', { subject: at, hint: 're-seal this item with `cloak set`' });
      }
    }
    if (!plainText) {
      throw cryptoError('UnsealFailed', 'no --key could decrypt it', {
        subject: at,
        hint: 'pass the key that sealed it with --key, e.g. a `cloak keys backup`; check its name, namespace and scope are unchanged since sealing',
      });
    }
    out[item] = encodeBase64(hybridEncrypt(cert.publicKey, plainText, label));
    plainText.fill(0);
  }
  return { ...ss, metadata: { ...meta, annotations: newHints(annotations, Object.keys(out), cert.fingerprint) }, spec: { ...ss.spec, encryptedData: out } } as SealedSecretObject;
}

/** The name or namespace the label needs, as a plain string; template expressions cannot be bound. */
function plain(v: unknown, field: string, subject: string, needed: boolean): string {
  if (!needed) return typeof v === 'string' ? v : '';
  if (typeof v !== 'string' || v === '') {
    if (v !== undefined && v !== null && v !== '') throw inputError(TEMPLATED, `${field} is not a plain string (a template expression?)`, { subject, hint: 'render the chart first' });
    throw inputError('MissingField', `${field} is missing, and this scope's label needs it`, { subject, hint: `add ${field} as it is applied in the cluster` });
  }
  if (v.includes('{{')) throw inputError(TEMPLATED, `${field} is a template expression ({{ }})`, { subject, hint: 'render the chart first' });
  return v;
}

function perItemHints(raw: unknown): Record<string, string> {
  if (typeof raw !== 'string') return {};
  try {
    const m = JSON.parse(raw) as unknown;
    return m && typeof m === 'object' && !Array.isArray(m) ? (m as Record<string, string>) : {};
  } catch {
    return {};
  }
}

/** Existing hint annotations now name the new key; none are added or removed. */
function newHints(annotations: Record<string, unknown>, items: string[], fingerprint: string): Record<string, string> {
  const out = { ...annotations } as Record<string, string>;
  if (ANNOTATION_SEALING_KEY in out) out[ANNOTATION_SEALING_KEY] = fingerprint;
  if (ANNOTATION_SEALING_KEYS in out) out[ANNOTATION_SEALING_KEYS] = JSON.stringify(Object.fromEntries([...items].sort().map((k) => [k, fingerprint])));
  return out;
}
