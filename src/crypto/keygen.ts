// Controller key generation like Bitnami's GeneratePrivateKeyAndCert: RSA-4096, self-signed,
// empty subject by default, 10 years, CA:TRUE, KeyUsage EncipherOnly (both critical).
// node-forge only assembles the certificate; node:crypto generates the key and signs.
import { createPublicKey, generateKeyPair, randomBytes, sign, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';
import { keyFingerprint } from './fingerprint.js';

export interface SealingKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** PKCS#1 `RSA PRIVATE KEY` PEM, Bitnami's tls.key. */
  keyPem: string;
  certPem: string;
  fingerprint: string;
  notBefore: Date;
  notAfter: Date;
}

export interface KeyOptions {
  bits?: number;
  commonName?: string;
  now?: Date;
  validityDays?: number;
}

const generate = promisify(generateKeyPair);

export async function generateSealingKey(o: KeyOptions = {}): Promise<SealingKey> {
  const { privateKey, publicKey } = await generate('rsa', { modulusLength: o.bits ?? 4096, publicExponent: 0x10001 });
  return sealingKeyFrom(privateKey, o);
}

/** Builds the self-signed certificate for an existing private key (also used to import bare PEM keys). */
export function sealingKeyFrom(privateKey: KeyObject, o: Omit<KeyOptions, 'bits'> = {}): SealingKey {
  const publicKey = createPublicFrom(privateKey);
  const notBefore = o.now ?? new Date();
  const notAfter = new Date(notBefore.getTime() + (o.validityDays ?? 3650) * 86_400_000);
  const certPem = selfSignedCertificate(privateKey, publicKey, notBefore, notAfter, o.commonName ?? '');
  return {
    privateKey,
    publicKey,
    keyPem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    certPem,
    fingerprint: keyFingerprint(publicKey),
    notBefore,
    notAfter,
  };
}

function createPublicFrom(privateKey: KeyObject): KeyObject {
  if (privateKey.asymmetricKeyType !== 'rsa') throw new Error('private key is not an RSA key');
  return createPublicKey(privateKey);
}

function selfSignedCertificate(privateKey: KeyObject, publicKey: KeyObject, notBefore: Date, notAfter: Date, cn: string): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f; // positive, < 2^128
  cert.serialNumber = serial.toString('hex');
  cert.validity.notBefore = new Date(Math.floor(notBefore.getTime() / 1000) * 1000);
  cert.validity.notAfter = new Date(Math.floor(notAfter.getTime() / 1000) * 1000);
  const dn = cn ? [{ name: 'commonName', value: cn }] : [];
  cert.setSubject(dn);
  cert.setIssuer(dn);
  cert.setExtensions([
    { name: 'keyUsage', critical: true, encipherOnly: true },
    { name: 'basicConstraints', critical: true, cA: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.siginfo.algorithmOid = forge.pki.oids['sha256WithRSAEncryption'] as string;
  (cert as unknown as { signatureOid: string }).signatureOid = forge.pki.oids['sha256WithRSAEncryption'] as string;
  const tbs = Buffer.from(forge.asn1.toDer((forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate(cert)).getBytes(), 'binary');
  cert.signature = sign('sha256', tbs, privateKey).toString('binary');
  return forge.pki.certificateToPem(cert).replace(/\r\n/g, '\n');
}
