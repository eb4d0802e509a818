// Sprig's hash, password, random and AES functions on node:crypto.
import { createCipheriv, createDecipheriv, createHash, createHmac, generateKeyPairSync, scryptSync } from 'node:crypto';
import { GoNum, bytesToGoString, goStringToBytes, type GoFunc } from '../value.js';
import { bcryptHash } from './bcrypt.js';

const hash = (alg: string): GoFunc => ({ params: ['string'], fn: (a) => createHash(alg).update(goStringToBytes(a[0] as string)).digest('hex') });

function adler32(b: Uint8Array): number {
  let a = 1;
  let s = 0;
  for (const x of b) {
    a = (a + x) % 65521;
    s = (s + a) % 65521;
  }
  return ((s << 16) | a) >>> 0;
}

function aesKey(password: string): Buffer {
  const key = Buffer.alloc(32);
  goStringToBytes(password).copy(key, 0, 0, 32);
  return key;
}

function encryptAES(password: string, plaintext: string, iv: Uint8Array): string {
  if (plaintext === '') return '';
  const c = createCipheriv('aes-256-cbc', aesKey(password), iv);
  return Buffer.concat([iv, c.update(goStringToBytes(plaintext)), c.final()]).toString('base64');
}

function decryptAES(password: string, b64: string): string {
  if (b64 === '') return '';
  const crypt = Buffer.from(b64, 'base64');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0) throw new Error('illegal base64 data');
  if (crypt.length < 16 || (crypt.length - 16) % 16 !== 0) throw new Error('crypto/cipher: input not full blocks');
  const d = createDecipheriv('aes-256-cbc', aesKey(password), crypt.subarray(0, 16));
  d.setAutoPadding(false);
  const out = Buffer.concat([d.update(crypt.subarray(16)), d.final()]);
  const pad = out[out.length - 1] ?? 0;
  if (pad > out.length) throw new Error('runtime error: slice bounds out of range');
  return bytesToGoString(out.subarray(0, out.length - pad));
}

function genPrivateKey(typ: string): string {
  switch (typ) {
    case '': case 'rsa':
      return generateKeyPairSync('rsa', { modulusLength: 4096 }).privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
    case 'ecdsa':
      return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'sec1', format: 'pem' }) as string;
    case 'ed25519':
      return generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    case 'dsa':
      return generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  }
  return `Unknown type ${typ}`;
}

// Master Password (lyndir) templates, as sprig's derivePassword has them
const passwordTemplates: Record<string, string[]> = {
  maximum: ['anoxxxxxxxxxxxxxxxxx', 'axxxxxxxxxxxxxxxxxno'],
  long: ['CvcvnoCvcvCvcv', 'CvcvCvcvnoCvcv', 'CvcvCvcvCvcvno', 'CvccnoCvcvCvcv', 'CvccCvcvnoCvcv', 'CvccCvcvCvcvno', 'CvcvnoCvccCvcv',
    'CvcvCvccnoCvcv', 'CvcvCvccCvcvno', 'CvcvnoCvcvCvcc', 'CvcvCvcvnoCvcc', 'CvcvCvcvCvccno', 'CvccnoCvccCvcv', 'CvccCvccnoCvcv',
    'CvccCvccCvcvno', 'CvcvnoCvccCvcc', 'CvcvCvccnoCvcc', 'CvcvCvccCvccno', 'CvccnoCvcvCvcc', 'CvccCvcvnoCvcc', 'CvccCvcvCvccno'],
  medium: ['CvcnoCvc', 'CvcCvcno'],
  short: ['Cvcn'],
  basic: ['aaanaaan', 'aannaaan', 'aaannaaa'],
  pin: ['nnnn'],
};
const templateChars: Record<string, string> = {
  V: 'AEIOU', C: 'BCDFGHJKLMNPQRSTVWXYZ', v: 'aeiou', c: 'bcdfghjklmnpqrstvwxyz', A: 'AEIOUBCDFGHJKLMNPQRSTVWXYZ',
  a: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz', n: '0123456789', o: "@&%?,=[]_:-+*$#!'^~;()/.",
  x: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()',
};

function derivePassword(counter: number, type: string, password: string, user: string, site: string): string {
  const templates = Object.hasOwn(passwordTemplates, type) ? passwordTemplates[type] : undefined;
  if (!templates) return `cannot find password template ${type}`;
  const seed = Buffer.from('com.lyndir.masterpassword');
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n >>> 0);
    return b;
  };
  const userBytes = goStringToBytes(user);
  const siteBytes = goStringToBytes(site);
  const key = scryptSync(goStringToBytes(password), Buffer.concat([seed, u32(userBytes.length), userBytes]), 64, { N: 32768, r: 8, p: 2, maxmem: 128 << 20 });
  const mac = createHmac('sha256', key).update(Buffer.concat([seed, u32(siteBytes.length), siteBytes, u32(counter)])).digest();
  const temp = templates[mac[0]! % templates.length]!;
  let out = '';
  for (let i = 0; i < temp.length; i++) {
    const chars = templateChars[temp[i]!]!;
    out += chars[mac[i + 1]! % chars.length];
  }
  return out;
}

export const cryptoFuncs: Record<string, GoFunc> = {
  derivePassword: {
    params: ['uint32', 'string', 'string', 'string', 'string'],
    fn: (a) => derivePassword(Number((a[0] as GoNum).v), a[1] as string, a[2] as string, a[3] as string, a[4] as string),
  },
  sha1sum: hash('sha1'),
  sha256sum: hash('sha256'),
  sha512sum: hash('sha512'),
  adler32sum: { params: ['string'], fn: (a) => String(adler32(goStringToBytes(a[0] as string))) },
  bcrypt: { params: ['string'], fn: (a, ctx) => bcryptHash(goStringToBytes(a[0] as string), ctx.randomBytes(16)) },
  htpasswd: {
    params: ['string', 'string'],
    fn: (a, ctx) => {
      const user = a[0] as string;
      if (user.includes(':')) return `invalid username: ${user}`;
      return `${user}:${bcryptHash(goStringToBytes(a[1] as string), ctx.randomBytes(16))}`;
    },
  },
  randBytes: {
    params: ['int'],
    fn: (a, ctx) => {
      const n = Number(a[0]);
      if (n < 0) throw new Error('runtime error: makeslice: len out of range');
      ctx.checkSize(n, 'randBytes');
      return Buffer.from(ctx.randomBytes(n)).toString('base64');
    },
  },
  uuidv4: {
    params: [],
    fn: (_a, ctx) => {
      const b = Buffer.from(ctx.randomBytes(16));
      b[6] = (b[6]! & 0x0f) | 0x40;
      b[8] = (b[8]! & 0x3f) | 0x80;
      const h = b.toString('hex');
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    },
  },
  encryptAES: { params: ['string', 'string'], fn: (a, ctx) => encryptAES(a[0] as string, a[1] as string, ctx.randomBytes(16)) },
  decryptAES: { params: ['string', 'string'], fn: (a) => decryptAES(a[0] as string, a[1] as string) },
  genPrivateKey: { params: ['string'], fn: (a) => genPrivateKey(a[0] as string) },
};
