// Reads one Bitnami key Secret (tls.key PKCS#1/PKCS#8, tls.crt PEM) into a controller key. A Secret
// that cannot be read is reported, never half-registered (Bitnami indexed it anyway).
import { createPublicKey, type KeyObject } from 'node:crypto';
import { decodeBase64Strict, parsePrivateKeyPem, readCertificate, sealingKeyFrom } from '../../src/crypto/index.js';
import { cryptoError } from '../../src/errors.js';
import { ANNOTATION_ROTATE_HANDLED } from '../../src/sealed/index.js';
import type { Json } from '../kube/index.js';

export interface ControllerKey {
  /** Name of the key Secret. */
  name: string;
  fingerprint: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  certPem: string;
  notBefore: Date;
  notAfter: Date;
  /** Secret creationTimestamp (or the cert's NotBefore when absent). */
  created: Date;
  /** What decides the newest key (Bitnami's --key-order-priority). */
  orderingTime: Date;
  /** The `cloak keys rotate` request this key was made for, if any. */
  rotateRequest?: string;
}

export type KeyOrderPriority = 'CertNotBefore' | 'SecretCreationTimestamp';

export function parseKeySecret(secret: Readonly<Json>, order: KeyOrderPriority): ControllerKey {
  const meta = (secret.metadata ?? {}) as { name?: string; namespace?: string; creationTimestamp?: string; annotations?: Record<string, string> };
  const subject = `key Secret ${meta.namespace ?? ''}/${meta.name ?? ''}`;
  const data = (secret.data ?? {}) as Record<string, string>;
  const keyPem = data['tls.key'] ? decodeBase64Strict(data['tls.key'])?.toString('utf8') : undefined;
  if (!keyPem) throw cryptoError('KeySecretUnreadable', 'has no readable tls.key', { subject, hint: 'store a PEM RSA private key under data.tls.key' });
  const [entry] = parsePrivateKeyPem(keyPem, subject);
  if (!entry) throw cryptoError('KeySecretUnreadable', 'tls.key holds no RSA private key', { subject });
  const certText = data['tls.crt'] ? decodeBase64Strict(data['tls.crt'])?.toString('utf8') : undefined;
  let certPem: string;
  let notBefore: Date;
  let notAfter: Date;
  if (certText) {
    const cert = readCertificate(certText, subject);
    if (cert.fingerprint !== entry.fingerprint) {
      throw cryptoError('KeyCertMismatch', 'tls.crt does not belong to tls.key', { subject, hint: 'put the certificate of this private key in tls.crt' });
    }
    certPem = cert.pem; notBefore = cert.notBefore; notAfter = cert.notAfter;
  } else {
    // A bare key (hand-made Secret): make the certificate Bitnami would have made for it.
    const made = sealingKeyFrom(entry.privateKey, { now: meta.creationTimestamp ? new Date(meta.creationTimestamp) : new Date(0) });
    certPem = made.certPem; notBefore = made.notBefore; notAfter = made.notAfter;
  }
  const created = meta.creationTimestamp ? new Date(meta.creationTimestamp) : notBefore;
  return {
    name: meta.name ?? '',
    fingerprint: entry.fingerprint,
    privateKey: entry.privateKey,
    publicKey: createPublicKey(entry.privateKey),
    certPem,
    notBefore,
    notAfter,
    created,
    orderingTime: order === 'SecretCreationTimestamp' ? created : notBefore,
    ...(meta.annotations?.[ANNOTATION_ROTATE_HANDLED] ? { rotateRequest: meta.annotations[ANNOTATION_ROTATE_HANDLED] } : {}),
  };
}
