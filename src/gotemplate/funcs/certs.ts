// Sprig's certificate generators (genCA, genSelfSignedCert, genSignedCert, their WithKey variants and
// buildCustomCert). Keys come from node:crypto; node-forge builds and signs the certificates
// (RSA keys only, as forge signs with RSA).
import { generateKeyPairSync, randomBytes, X509Certificate, createPrivateKey } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';
import { goTypeName, type GoFunc, type GoObject, type Value } from '../value.js';
import { pemDecode } from './pem.js';

export class SprigCertificate implements GoObject {
  readonly goType = 'sprig.certificate';
  constructor(readonly cert: string, readonly key: string) {}
  format(): string {
    return `{${this.cert} ${this.key}}`;
  }
  method(name: string): GoFunc | undefined {
    if (name === 'Cert') return { params: [], fn: () => this.cert };
    if (name === 'Key') return { params: [], fn: () => this.key };
    return undefined;
  }
}

function rsaKeyPem(): string {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
}

function forgeKey(pem: string): forge.pki.rsa.PrivateKey {
  let key;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new Error('error parsing private key: no PEM data found');
  }
  if (key.asymmetricKeyType !== 'rsa') throw new Error('error parsing private key: only RSA keys are supported here');
  return forge.pki.privateKeyFromPem(key.export({ type: 'pkcs1', format: 'pem' }) as string);
}

function strings(list: Value[], what: string): string[] {
  return list.map((v) => {
    if (typeof v !== 'string') throw new Error(`error parsing ${what}: ${String(v)} is not a string`);
    return v;
  });
}

interface Options {
  cn: string;
  ips: Value[];
  dns: Value[];
  days: number;
  isCA: boolean;
  keyPem: string;
  signer?: SprigCertificate;
}

function generate(o: Options): SprigCertificate {
  const ips = strings(o.ips, 'ip');
  for (const ip of ips) if (!isIP(ip)) throw new Error('error parsing ip');
  const dns = strings(o.dns, 'alternate DNS');
  const key = forgeKey(o.keyPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  const serial = randomBytes(16);
  serial[0]! &= 0x7f;
  cert.serialNumber = serial.toString('hex');
  const now = new Date();
  cert.validity.notBefore = now;
  cert.validity.notAfter = new Date(now.getTime() + o.days * 86_400_000);
  cert.setSubject([{ name: 'commonName', value: o.cn }]);
  let signKey = key;
  if (o.signer) {
    const [block] = pemDecode(o.signer.cert);
    if (!block) throw new Error('unable to decode certificate');
    let parent: forge.pki.Certificate;
    try {
      new X509Certificate(block.bytes);
      parent = forge.pki.certificateFromAsn1(forge.asn1.fromDer(block.bytes.toString('binary')));
    } catch {
      throw new Error('error parsing certificate');
    }
    cert.setIssuer(parent.subject.attributes);
    signKey = forgeKey(o.signer.key);
  } else cert.setIssuer(cert.subject.attributes);
  const exts: object[] = [
    { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true, ...(o.isCA ? { keyCertSign: true } : {}) },
    { name: 'extKeyUsage', serverAuth: true, clientAuth: true },
    { name: 'basicConstraints', critical: true, cA: o.isCA },
  ];
  const alt = [...dns.map((value) => ({ type: 2, value })), ...ips.map((ip) => ({ type: 7, ip }))];
  if (alt.length > 0) exts.push({ name: 'subjectAltName', altNames: alt });
  if (o.isCA) exts.push({ name: 'subjectKeyIdentifier' });
  cert.setExtensions(exts);
  cert.sign(signKey, forge.md.sha256.create());
  return new SprigCertificate(forge.pki.certificateToPem(cert).replaceAll('\r\n', '\n'), o.keyPem);
}

function ca(v: Value): SprigCertificate {
  if (!(v instanceof SprigCertificate)) throw new Error(`wrong type for value; expected sprig.certificate; got ${goTypeName(v)}`);
  return v;
}

function buildCustomCert(b64cert: string, b64key: string): SprigCertificate {
  const dec = (s: string, what: string) => {
    if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) throw new Error(`unable to decode base64 ${what}`);
    return Buffer.from(s, 'base64').toString('latin1');
  };
  const cert = dec(b64cert, 'certificate');
  const key = dec(b64key, 'private key');
  const [block] = pemDecode(cert);
  if (!block) throw new Error('unable to decode certificate');
  try {
    new X509Certificate(block.bytes);
  } catch {
    throw new Error('error parsing certificate');
  }
  try {
    createPrivateKey(key);
  } catch {
    throw new Error('error parsing private key');
  }
  return new SprigCertificate(cert, key);
}

const n = (v: Value) => Number(v as bigint);

export const certFuncs: Record<string, GoFunc> = {
  genCA: { params: ['string', 'int'], fn: (a) => generate({ cn: a[0] as string, ips: [], dns: [], days: n(a[1]), isCA: true, keyPem: rsaKeyPem() }) },
  genCAWithKey: { params: ['string', 'int', 'string'], fn: (a) => generate({ cn: a[0] as string, ips: [], dns: [], days: n(a[1]), isCA: true, keyPem: a[2] as string }) },
  genSelfSignedCert: {
    params: ['string', 'list', 'list', 'int'],
    fn: (a) => generate({ cn: a[0] as string, ips: a[1] as Value[], dns: a[2] as Value[], days: n(a[3]), isCA: false, keyPem: rsaKeyPem() }),
  },
  genSelfSignedCertWithKey: {
    params: ['string', 'list', 'list', 'int', 'string'],
    fn: (a) => generate({ cn: a[0] as string, ips: a[1] as Value[], dns: a[2] as Value[], days: n(a[3]), isCA: false, keyPem: a[4] as string }),
  },
  genSignedCert: {
    params: ['string', 'list', 'list', 'int', 'certificate'],
    fn: (a) => generate({ cn: a[0] as string, ips: a[1] as Value[], dns: a[2] as Value[], days: n(a[3]), isCA: false, keyPem: rsaKeyPem(), signer: ca(a[4]) }),
  },
  genSignedCertWithKey: {
    params: ['string', 'list', 'list', 'int', 'certificate', 'string'],
    fn: (a) => generate({ cn: a[0] as string, ips: a[1] as Value[], dns: a[2] as Value[], days: n(a[3]), isCA: false, keyPem: a[5] as string, signer: ca(a[4]) }),
  },
  buildCustomCert: { params: ['string', 'string'], fn: (a) => buildCustomCert(a[0] as string, a[1] as string) },
};
