// A throwaway CA and a serving certificate for 127.0.0.1/localhost (keys from Node's crypto, X.509 from node-forge).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface ServingCerts { caPem: string; certPem: string; keyPem: string }

function keyPair(): { priv: forge.pki.rsa.PrivateKey; pub: forge.pki.rsa.PublicKey; pem: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
  const priv = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  return { priv, pub: forge.pki.setRsaPublicKey(priv.n, priv.e), pem };
}

function cert(subjectCn: string, pub: forge.pki.PublicKey, now: Date): forge.pki.Certificate {
  const c = forge.pki.createCertificate();
  c.publicKey = pub;
  c.serialNumber = '01' + randomBytes(8).toString('hex');
  c.validity.notBefore = new Date(now.getTime() - 60_000);
  c.validity.notAfter = new Date(now.getTime() + 365 * 24 * 3600_000);
  c.setSubject([{ name: 'commonName', value: subjectCn }]);
  return c;
}

export function makeServingCerts(now = new Date()): ServingCerts {
  const ca = keyPair();
  const caCert = cert('cloak-test-ca', ca.pub, now);
  caCert.setIssuer(caCert.subject.attributes);
  caCert.setExtensions([{ name: 'basicConstraints', cA: true }, { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true }]);
  caCert.sign(ca.priv, forge.md.sha256.create());
  const srv = keyPair();
  const srvCert = cert('kube-apiserver', srv.pub, now);
  srvCert.setIssuer(caCert.subject.attributes);
  srvCert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }, { type: 2, value: 'kubernetes.default.svc' }] },
  ]);
  srvCert.sign(ca.priv, forge.md.sha256.create());
  return { caPem: forge.pki.certificateToPem(caCert), certPem: forge.pki.certificateToPem(srvCert), keyPem: srv.pem };
}
