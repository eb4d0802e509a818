// Each encryptedData value must be Bitnami's hybrid format: strict base64 of
// u16be(k) || RSA-OAEP block of k bytes || AES-GCM ciphertext || 16-byte tag, with k the modulus
// size of the sealing key (512 for RSA-4096) when that key is known from --cert.
import { decodeBase64Strict } from '../../crypto/base64.js';
import type { Rule } from '../types.js';
import { describeObject } from './object-name.js';
import { keyHints, sealedItems } from './sealed-items.js';

const TAG_BYTES = 16;
const MIN_RSA_BYTES = 128;
const MAX_RSA_BYTES = 2048;

export const ciphertextFormat: Rule = {
  id: 'ciphertext-format',
  severity: 'error',
  description: 'a SealedSecret item is not valid Bitnami ciphertext',
  check(doc, ctx) {
    if (doc.value.kind !== 'SealedSecret') return [];
    const what = describeObject(doc.value);
    const items = sealedItems(doc);
    const hints = keyHints(doc, items);
    const certSizes = new Set([...ctx.keys.values()].map((k) => k.cert.bits / 8));
    const out: ReturnType<Rule['check']> = [];
    const spec = doc.value.spec as Record<string, unknown> | undefined;
    if (typeof spec?.data === 'string' && !doc.templated(spec.data)) {
      // The deprecated v1 format: the whole Secret as one blob (Bitnami refuses it next to encryptedData).
      if (items.length > 0) out.push({ ...doc.at(['spec', 'data']), message: `${what}: spec.data (deprecated) and spec.encryptedData cannot be used together: remove spec.data` });
      items.push({ key: 'spec.data', value: spec.data, path: ['spec', 'data'] });
    }
    for (const it of items) {
      if (typeof it.value !== 'string' || doc.templated(it.value)) continue;
      const bad = (why: string) => out.push({ ...doc.at(it.path), message: `${what}: ${it.key === 'spec.data' && it.path.length === 2 ? 'spec.data' : `item ${it.key}`} ${why}: re-seal it with \`cloak seal\`` });
      const blob = decodeBase64Strict(it.value);
      if (!blob) { bad('is not valid base64'); continue; }
      if (blob.length < 2) { bad(`is too short (${blob.length} bytes)`); continue; }
      const k = blob.readUInt16BE(0);
      if (k < MIN_RSA_BYTES || k > MAX_RSA_BYTES) { bad(`has a length prefix of ${k}, not an RSA block size (256 for RSA-2048, 512 for RSA-4096)`); continue; }
      if (blob.length < 2 + k + TAG_BYTES) { bad(`is truncated (${blob.length} bytes; at least ${2 + k + TAG_BYTES} for a ${k * 8}-bit key)`); continue; }
      const hinted = hints.byItem.get(it.key);
      const hintedKey = hinted ? ctx.keys.get(hinted) : undefined;
      if (hintedKey && hintedKey.cert.bits / 8 !== k) {
        bad(`has a ${k * 8}-bit RSA block but its key ${hinted} (${hintedKey.source}) is ${hintedKey.cert.bits}-bit`);
      } else if (!hintedKey && certSizes.size > 0 && !certSizes.has(k)) {
        bad(`has a ${k * 8}-bit RSA block but no --cert key has that size (${[...certSizes].map((s) => `${s * 8}-bit`).join(', ')})`);
      }
    }
    return out;
  },
};
