// ESO's own template functions (engine v2): PEM filtering, certificate chains and SANs, PKCS#12,
// JWK, RSA-OAEP decryption (all on node:crypto; node-forge only reads/writes the PKCS#12 container),
// and toYaml/fromYaml.
import { constants, createPrivateKey, createPublicKey, privateDecrypt, type KeyObject } from 'node:crypto';
import { binaryToGoString, goStringToBinary, goStringToBytes, bytesToGoString, typedArray, type GoFunc } from '../value.js';
import { parseCertificate, pemDecode, pemEncode, type ParsedCert } from './pem.js';
import { pkcs12Decode, pkcs12Encode } from './pkcs12.js';
import { fromYaml, toYaml } from './yaml.js';

const errJunk = 'error filtering pem: found junk';

function filterPEM(pemType: string, input: string): string {
  let data = goStringToBinary(input);
  let blocks = '';
  let rest = data;
  for (;;) {
    const [block, r] = pemDecode(data);
    rest = r;
    data = r;
    if (!block) break;
    if (block.type.toLowerCase() !== pemType.toLowerCase()) continue;
    blocks += pemEncode(block);
  }
  if (blocks.length === 0 && rest.length !== 0) throw new Error(errJunk);
  return binaryToGoString(blocks);
}

function certsFromPem(input: string): ParsedCert[] {
  let data = goStringToBinary(input);
  const out: ParsedCert[] = [];
  for (;;) {
    const [block, rest] = pemDecode(data);
    data = rest;
    if (!block) break;
    out.push(parseCertificate(block.bytes));
  }
  return out;
}

const sameId = (a?: Buffer, b?: Buffer) => (a === undefined && b === undefined) || (a !== undefined && b !== undefined && a.equals(b));

/** ESO's fetchX509CertChains: order leaf → intermediates → root by key identifiers. */
function orderChain(certs: ParsedCert[]): ParsedCert[] {
  const parent = new Map<number, number>();
  const isParent = new Set<number>();
  for (let i = 0; i < certs.length; i++) {
    for (let j = 0; j < certs.length; j++) {
      if (i === j) continue;
      if (sameId(certs[i]!.authorityKeyId, certs[j]!.subjectKeyId)) {
        isParent.add(j);
        parent.set(i, j);
        break;
      }
    }
  }
  let leaf: number | undefined;
  for (let i = 0; i < certs.length; i++) {
    if (!isParent.has(i)) {
      if (leaf !== undefined) throw new Error('found multiple leaf or disjunct certificates');
      leaf = i;
    }
  }
  if (leaf === undefined) throw new Error('no leaf certificate found');
  const out: ParsedCert[] = [];
  for (let n: number | undefined = leaf; n !== undefined; n = parent.get(n)) {
    if (out.length >= certs.length) throw new Error('constructing chain resulted in cycle');
    out.push(certs[n]!);
  }
  return out;
}

const isRoot = (c: ParsedCert) => c.authorityKeyId === undefined || sameId(c.authorityKeyId, c.subjectKeyId);
const certPem = (c: ParsedCert) => pemEncode({ type: 'CERTIFICATE', bytes: c.raw });

function filterCertChain(certType: string, input: string): string {
  const ordered = orderChain(certsFromPem(input));
  switch (certType) {
    case 'leaf': {
      const c = ordered[0]!;
      if (c.authorityKeyId !== undefined && !sameId(c.authorityKeyId, c.subjectKeyId)) return certPem(c);
      break;
    }
    case 'intermediate': {
      if (ordered.length < 2) return '';
      let out = '';
      for (const c of ordered.slice(1)) {
        if (isRoot(c)) break;
        out += certPem(c);
      }
      return out;
    }
    case 'root': {
      const c = ordered[ordered.length - 1]!;
      if (isRoot(c)) return certPem(c);
    }
  }
  return '';
}

function certSANs(input: string): string[] {
  const certs = certsFromPem(input);
  if (certs.length === 0) throw new Error('failed to decode PEM certificate');
  const san = certs[0]!.x509.subjectAltName ?? '';
  const dns: string[] = [];
  const ips: string[] = [];
  const emails: string[] = [];
  const uris: string[] = [];
  for (const part of san.split(/, (?=[A-Za-z ]+:)/)) {
    const i = part.indexOf(':');
    if (i < 0) continue;
    const kind = part.slice(0, i);
    const value = part.slice(i + 1).replace(/^"(.*)"$/, '$1');
    if (kind === 'DNS') dns.push(value);
    else if (kind === 'IP Address') ips.push(value);
    else if (kind === 'email') emails.push(value);
    else if (kind === 'URI') uris.push(value);
  }
  return typedArray([...dns, ...ips, ...emails, ...uris], 'string');
}

function pemOf(key: KeyObject, kind: 'private' | 'public'): string {
  const der = kind === 'private' ? key.export({ type: 'pkcs8', format: 'der' }) : key.export({ type: 'spki', format: 'der' });
  return pemEncode({ type: kind === 'private' ? 'PRIVATE KEY' : 'PUBLIC KEY', bytes: der });
}

function parseJwk(json: string): Record<string, unknown> {
  let jwk: unknown;
  try {
    jwk = JSON.parse(json);
  } catch {
    throw new Error('failed to unmarshal JSON into key hint');
  }
  if (typeof jwk !== 'object' || jwk === null) throw new Error('invalid JWK');
  return jwk as Record<string, unknown>;
}

function jwkPublicKeyPem(json: string): string {
  const jwk = parseJwk(json);
  try {
    const key = jwk.d !== undefined ? createPublicKey(createPrivateKey({ key: jwk as never, format: 'jwk' })) : createPublicKey({ key: jwk as never, format: 'jwk' });
    return pemOf(key, 'public');
  } catch {
    throw new Error('failed to parse JWK public key');
  }
}

function jwkPrivateKeyPem(json: string): string {
  const jwk = parseJwk(json);
  try {
    return pemOf(createPrivateKey({ key: jwk as never, format: 'jwk' }), 'private');
  } catch {
    throw new Error('failed to parse JWK private key');
  }
}

/** Parses the first PEM block of a private key (PKCS#1, PKCS#8 or SEC1), as ESO's parsePrivateKey. */
function privateKeyFromPem(pem: string): KeyObject {
  const [block] = pemDecode(goStringToBinary(pem));
  if (!block) throw new Error('failed to decode PEM block');
  for (const type of ['pkcs1', 'pkcs8', 'sec1'] as const) {
    try {
      return createPrivateKey({ key: block.bytes, format: 'der', type });
    } catch {
      /* next */
    }
  }
  throw new Error('unable to parse private key type');
}

function rsaDecrypt(scheme: string, hash: string, input: string, privateKey: string): string {
  if (scheme === 'None') return input;
  if (scheme !== 'RSA-OAEP') throw new Error(`decrypting strategy ${scheme} is not supported`);
  const key = privateKeyFromPem(privateKey);
  if (key.asymmetricKeyType !== 'rsa') throw new Error('could not apply parse of private key type to PKCS8 in RSA');
  const oaepHash = hash === 'SHA1' ? 'sha1' : hash === 'SHA512' ? 'sha512' : 'sha256';
  try {
    return bytesToGoString(privateDecrypt({ key, oaepHash, padding: constants.RSA_PKCS1_OAEP_PADDING }, goStringToBytes(input)));
  } catch {
    throw new Error('crypto/rsa: decryption error');
  }
}

function firstCert(pem: string): { cert: ParsedCert; rest: string } {
  const [block, rest] = pemDecode(goStringToBinary(pem));
  if (!block) throw new Error('failed to decode PEM certificate');
  return { cert: parseCertificate(block.bytes), rest };
}

function caCerts(rest: string): ParsedCert[] {
  const out: ParsedCert[] = [];
  while (rest.length > 0) {
    const [block, r] = pemDecode(rest);
    if (!block) throw new Error('failed to decode PEM certificate');
    out.push(parseCertificate(block.bytes));
    rest = r;
  }
  return out;
}

function pemToPkcs12(cert: string, key: string, pass: string, full: boolean): string {
  const { cert: leaf, rest } = firstCert(cert);
  const cas = full ? caCerts(rest) : [];
  const pfx = pkcs12Encode(privateKeyFromPem(key), [leaf.raw, ...cas.map((c) => c.raw)], goStringToBinary(pass));
  return pfx.toString('base64');
}

function pkcs12cert(pass: string, input: string): string {
  const { certs } = pkcs12Decode(goStringToBinary(input), goStringToBinary(pass));
  const pem = certs.map((c) => pemEncode({ type: 'CERTIFICATE', bytes: c })).join('');
  try {
    return binaryToGoString(orderChain(certs.map(parseCertificate)).map(certPem).join(''));
  } catch {
    return binaryToGoString(pem);
  }
}

function pkcs12key(pass: string, input: string): string {
  const { key } = pkcs12Decode(goStringToBinary(input), goStringToBinary(pass));
  return pemOf(key, 'private');
}

const s = (n: number, f: (...a: string[]) => unknown): GoFunc => ({ params: Array(n).fill('string'), fn: (a) => f(...(a as string[])) });

export const esoFuncs: Record<string, GoFunc> = {
  pkcs12key: s(1, (i) => pkcs12key('', i)),
  pkcs12keyPass: s(2, (p, i) => pkcs12key(p, i)),
  pkcs12cert: s(1, (i) => pkcs12cert('', i)),
  pkcs12certPass: s(2, (p, i) => pkcs12cert(p, i)),
  pemToPkcs12: s(2, (c, k) => pemToPkcs12(c, k, '', false)),
  pemToPkcs12Pass: s(3, (c, k, p) => pemToPkcs12(c, k, p, false)),
  fullPemToPkcs12: s(2, (c, k) => pemToPkcs12(c, k, '', true)),
  fullPemToPkcs12Pass: s(3, (c, k, p) => pemToPkcs12(c, k, p, true)),
  filterPEM: s(2, filterPEM),
  filterCertChain: s(2, filterCertChain),
  certSANs: s(1, certSANs),
  jwkPublicKeyPem: s(1, jwkPublicKeyPem),
  jwkPrivateKeyPem: s(1, jwkPrivateKeyPem),
  rsaDecrypt: s(4, rsaDecrypt),
  toYaml: { params: ['any'], fn: (a) => toYaml(a[0]) },
  fromYaml: s(1, fromYaml),
};
