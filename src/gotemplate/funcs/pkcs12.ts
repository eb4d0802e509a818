// PKCS#12 container reading and writing. node:crypto has no PKCS#12 support, so node-forge (already a
// dependency) handles the container; keys are handed to node:crypto as PKCS#8/PKCS#1 DER.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import forge from 'node-forge';

export interface Pkcs12Contents {
  key: KeyObject;
  certs: Buffer[];
}

function tryDecode(der: forge.asn1.Asn1, password: string | undefined): forge.pkcs12.Pkcs12Pfx {
  return forge.pkcs12.pkcs12FromAsn1(der, false, password as string);
}

/** Decodes a PFX (binary string) with a password; "" also tries the no-password convention. */
export function pkcs12Decode(binary: string, password: string): Pkcs12Contents {
  let asn1: forge.asn1.Asn1;
  try {
    asn1 = forge.asn1.fromDer(binary);
  } catch {
    throw new Error('pkcs12: error reading P12 data: malformed DER');
  }
  let p12: forge.pkcs12.Pkcs12Pfx | undefined;
  const attempts = password === '' ? ['', undefined] : [password];
  for (const p of attempts) {
    try {
      p12 = tryDecode(asn1, p);
      break;
    } catch {
      /* next */
    }
  }
  if (!p12) throw new Error('pkcs12: decryption password incorrect');
  const keyBags = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[forge.pki.oids.pkcs8ShroudedKeyBag!] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag! })[forge.pki.oids.keyBag!] ?? []),
  ];
  const bag = keyBags[0] as (forge.pkcs12.Bag & { asn1?: forge.asn1.Asn1 }) | undefined;
  if (!bag) throw new Error('pkcs12: expected exactly one key bag');
  let key: KeyObject;
  if (bag.key) {
    const pkcs8 = forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key as forge.pki.rsa.PrivateKey));
    key = createPrivateKey({ key: Buffer.from(forge.asn1.toDer(pkcs8).getBytes(), 'binary'), format: 'der', type: 'pkcs8' });
  } else if (bag.asn1) {
    key = createPrivateKey({ key: Buffer.from(forge.asn1.toDer(bag.asn1).getBytes(), 'binary'), format: 'der', type: 'pkcs8' });
  } else throw new Error('pkcs12: unsupported key bag');
  const certBags = p12.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!] ?? [];
  const certs = (certBags as Array<forge.pkcs12.Bag & { asn1?: forge.asn1.Asn1 }>).flatMap((b) => {
    // forge parses RSA certificates only; others come back as their ASN.1
    const asn1 = b.cert ? forge.pki.certificateToAsn1(b.cert) : b.asn1;
    return asn1 ? [Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary')] : [];
  });
  if (certs.length === 0) throw new Error('pkcs12: certificate missing');
  return { key, certs };
}

/** Encodes key + certificates (leaf first) as a PFX with AES-256 (PBES2) key and cert encryption. */
export function pkcs12Encode(key: KeyObject, certs: Buffer[], password: string): Buffer {
  if (key.asymmetricKeyType !== 'rsa') throw new Error('pkcs12: only RSA keys can be encoded');
  const forgeKey = forge.pki.privateKeyFromPem(key.export({ type: 'pkcs1', format: 'pem' }) as string);
  const forgeCerts = certs.map((c) => forge.pki.certificateFromAsn1(forge.asn1.fromDer(c.toString('binary'))));
  const asn1 = forge.pkcs12.toPkcs12Asn1(forgeKey, forgeCerts, password, { algorithm: 'aes256', generateLocalKeyId: true, count: 2048 });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}
