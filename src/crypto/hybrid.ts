// Bitnami Sealed Secrets' hybrid format (pkg/crypto/crypto.go), byte for byte:
// u16be(len(rsa)) || RSA-OAEP(SHA-256, MGF1-SHA-256, label, sessionKey) || AES-256-GCM(sessionKey, zero nonce) || tag
import { constants, createCipheriv, createDecipheriv, createSecretKey, privateDecrypt, publicEncrypt, randomFillSync, type KeyObject } from 'node:crypto';
import { cryptoError } from '../errors.js';

const SESSION_KEY_BYTES = 32;
const TAG_BYTES = 16;
// A fresh session key per value makes the all-zero nonce safe; it is what Bitnami does.
const ZERO_NONCE = Buffer.alloc(12);

// Session keys come from one CSPRNG fill per 128 items: a randomBytes(32) call costs ~4 us of
// binding overhead, 3 % of an item. A key leaves the pool as a copy and its pool bytes are zeroed.
const POOL_BYTES = SESSION_KEY_BYTES * 128;
let pool: Buffer | undefined;
let used = POOL_BYTES;
function sessionKey(n: number): Buffer {
  if (n !== SESSION_KEY_BYTES) throw new Error(`session keys are ${SESSION_KEY_BYTES} bytes`);
  pool ??= Buffer.alloc(POOL_BYTES);
  if (used >= POOL_BYTES) {
    randomFillSync(pool);
    used = 0;
  }
  const key = Buffer.from(pool.subarray(used, used + n));
  pool.fill(0, used, used + n);
  used += n;
  return key;
}

export function hybridEncrypt(
  publicKey: KeyObject,
  plaintext: Uint8Array,
  label: Uint8Array,
  random: (n: number) => Buffer = sessionKey,
): Buffer {
  const sessionKey = random(SESSION_KEY_BYTES);
  // Node 24 tells a key argument's kind by brand checks that throw and catch a TypeError, stack
  // trace included, for anything not a KeyObject: the options object of publicEncrypt and a raw
  // AES key cost ~35 us per item that way, a quarter of the RSA public op. So the AES key is a
  // KeyObject, and no stack traces are captured for the duration of these two synchronous calls
  // (an error from them keeps its message; ours are one line anyway). Same bytes out.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const rsa = publicEncrypt(oaep(publicKey, label), sessionKey);
    const cipher = createCipheriv('aes-256-gcm', createSecretKey(sessionKey), ZERO_NONCE);
    const body = cipher.update(plaintext);
    const tail = cipher.final(); // empty for GCM
    const out = Buffer.allocUnsafe(2 + rsa.length + body.length + tail.length + TAG_BYTES);
    out.writeUInt16BE(rsa.length, 0);
    rsa.copy(out, 2);
    body.copy(out, 2 + rsa.length);
    tail.copy(out, 2 + rsa.length + body.length);
    cipher.getAuthTag().copy(out, 2 + rsa.length + body.length + tail.length);
    return out;
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** Throws a CloakError (code `TooShort` or `DecryptFailed`) when this key and label do not open the blob. */
export function hybridDecrypt(privateKey: KeyObject, blob: Uint8Array, label: Uint8Array): Buffer {
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (buf.length < 2) throw cryptoError('TooShort', 'SealedSecret data is too short');
  const rsaLen = buf.readUInt16BE(0);
  if (buf.length < rsaLen + 2 + TAG_BYTES) throw cryptoError('TooShort', 'SealedSecret data is too short');
  let sessionKey: Buffer;
  try {
    sessionKey = privateDecrypt(oaep(privateKey, label), buf.subarray(2, 2 + rsaLen));
  } catch (cause) {
    throw cryptoError('DecryptFailed', 'no key could decrypt secret', { cause });
  }
  const rest = buf.subarray(2 + rsaLen);
  try {
    const decipher = createDecipheriv('aes-256-gcm', createSecretKey(sessionKey), ZERO_NONCE);
    decipher.setAuthTag(rest.subarray(rest.length - TAG_BYTES));
    return Buffer.concat([decipher.update(rest.subarray(0, rest.length - TAG_BYTES)), decipher.final()]);
  } catch (cause) {
    throw cryptoError('DecryptFailed', 'no key could decrypt secret', { cause });
  }
}

function oaep(key: KeyObject, label: Uint8Array) {
  return { key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: label };
}
