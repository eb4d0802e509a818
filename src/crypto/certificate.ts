// Reading the sealing certificate (what kubeseal's ParseKey accepts) and describing it.
import { X509Certificate, type KeyObject } from 'node:crypto';
import { cryptoError, inputError } from '../errors.js';
import { keyFingerprint } from './fingerprint.js';

export interface SealingCertificate {
  cert: X509Certificate;
  publicKey: KeyObject;
  fingerprint: string;
  notBefore: Date;
  notAfter: Date;
  bits: number;
  pem: string;
}

const CERT_PEM = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

/** Parses the first PEM certificate in `text`; `source` names the file or URL in errors. */
export function readCertificate(text: string | Uint8Array, source: string): SealingCertificate {
  const s = typeof text === 'string' ? text : Buffer.from(text).toString('utf8');
  const match = CERT_PEM.exec(s);
  if (!match) {
    const what = /-----BEGIN ([A-Z ]+)-----/.exec(s)?.[1];
    throw inputError(
      'NotACertificate',
      what ? `expected a PEM CERTIFICATE but found a PEM ${what}` : 'no PEM certificate found',
      { subject: source, hint: 'pass the controller certificate, e.g. from `cloak cert --fetch` or the tls.crt of a key Secret' },
    );
  }
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(match[0]);
  } catch (cause) {
    throw inputError('BadCertificate', 'the PEM certificate cannot be parsed', { subject: source, cause, hint: 'check the file is not truncated' });
  }
  const publicKey = cert.publicKey;
  if (publicKey.asymmetricKeyType !== 'rsa') {
    throw cryptoError('NotRSA', `expected RSA public key but found ${publicKey.asymmetricKeyType ?? 'unknown'}`, { subject: source, hint: 'Sealed Secrets certificates are RSA: use the controller certificate (`cloak cert --fetch`)' });
  }
  return {
    cert,
    publicKey,
    fingerprint: keyFingerprint(publicKey),
    notBefore: new Date(cert.validFrom),
    notAfter: new Date(cert.validTo),
    bits: publicKey.asymmetricKeyDetails?.modulusLength ?? 0,
    pem: match[0] + '\n',
  };
}

/** kubeseal refuses to seal with an expired certificate; so do we. */
export function assertNotExpired(c: SealingCertificate, source: string, now: Date = new Date()): void {
  if (c.notAfter.getTime() < now.getTime()) {
    const day = c.notAfter.toLocaleDateString('en-US', { month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
    throw cryptoError('CertificateExpired', `failed to encrypt using an expired certificate on ${day}`, {
      subject: source,
      hint: 'fetch the current certificate with `cloak cert --fetch`',
    });
  }
}
