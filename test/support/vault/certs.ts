// Throwaway PKI for TLS tests: a CA, a serving certificate for 127.0.0.1 and client certificates
// (keys from Node's crypto, X.509 from node-forge).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface Issued { certPem: string; keyPem: string }
export interface TestCa extends Issued { issue(cn: string, usage: 'server' | 'client', o?: { notAfter?: Date }): Issued }

function keyPair() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
  const priv = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  return { priv, pub: forge.pki.setRsaPublicKey(priv.n, priv.e), pem };
}

function base(cn: string, pub: forge.pki.PublicKey, notAfter: Date): forge.pki.Certificate {
  const c = forge.pki.createCertificate();
  c.publicKey = pub;
  c.serialNumber = '01' + randomBytes(8).toString('hex');
  c.validity.notBefore = new Date(Date.now() - 3600_000);
  c.validity.notAfter = notAfter;
  c.setSubject([{ name: 'commonName', value: cn }]);
  return c;
}

export function makeCa(cn = 'cloak-vault-test-ca'): TestCa {
  const ca = keyPair();
  const caCert = base(cn, ca.pub, new Date(Date.now() + 365 * 86400_000));
  caCert.setIssuer(caCert.subject.attributes);
  caCert.setExtensions([{ name: 'basicConstraints', cA: true }, { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true }]);
  caCert.sign(ca.priv, forge.md.sha256.create());
  return {
    certPem: forge.pki.certificateToPem(caCert),
    keyPem: ca.pem,
    issue(name, usage, o = {}) {
      const k = keyPair();
      const c = base(name, k.pub, o.notAfter ?? new Date(Date.now() + 30 * 86400_000));
      c.setIssuer(caCert.subject.attributes);
      c.setExtensions([
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
        { name: 'extKeyUsage', serverAuth: usage === 'server', clientAuth: usage === 'client' },
        ...(usage === 'server' ? [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] }] : []),
      ]);
      c.sign(ca.priv, forge.md.sha256.create());
      return { certPem: forge.pki.certificateToPem(c), keyPem: k.pem };
    },
  };
}
