// Private keys from PEM text: PKCS#1 (`RSA PRIVATE KEY`, Bitnami's tls.key) or PKCS#8 (`PRIVATE KEY`).
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { cryptoError } from '../errors.js';
import { keyFingerprint } from './fingerprint.js';

export interface PrivateKeyEntry {
  privateKey: KeyObject;
  fingerprint: string;
  certPem?: string;
  /** Name of the key Secret it came from, when read from a backup. */
  secretName?: string;
  created?: Date;
}

const KEY_PEM = /-----BEGIN (RSA PRIVATE KEY|PRIVATE KEY|EC PRIVATE KEY|ENCRYPTED PRIVATE KEY)-----[\s\S]+?-----END \1-----/g;

/** Every private key in the PEM text. `source` names the file in errors. */
export function parsePrivateKeyPem(text: string, source: string): PrivateKeyEntry[] {
  const out: PrivateKeyEntry[] = [];
  for (const m of text.matchAll(KEY_PEM)) {
    if (m[1] === 'ENCRYPTED PRIVATE KEY') {
      throw cryptoError('EncryptedKey', 'the private key is passphrase-protected', { subject: source, hint: 'decrypt it first with `openssl pkey -in KEY -out PLAIN`' });
    }
    let privateKey: KeyObject;
    try {
      privateKey = createPrivateKey(m[0]);
    } catch (cause) {
      throw cryptoError('BadPrivateKey', 'the PEM private key cannot be parsed', { subject: source, cause, hint: 'check the file is not truncated' });
    }
    if (privateKey.asymmetricKeyType !== 'rsa') {
      throw cryptoError('NotRSA', 'private key is not an RSA key', { subject: source, hint: 'sealing keys are RSA: pass the tls.key of a sealing key Secret' });
    }
    out.push({ privateKey, fingerprint: keyFingerprint(createPublicKey(privateKey)) });
  }
  return out;
}
