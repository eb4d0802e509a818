// ESO's key post-processing: ConvertKeys (conversionStrategy) and ValidateKeys.
import { inputError } from '../../errors.js';
import type { SecretMap } from '../types.js';

export type ConversionStrategy = 'Default' | 'Unicode';

const allowedRune = /^[\p{L}\p{N}._-]$/u;

/** ESO `convert`: every rune that is not a letter, number, `-`, `.` or `_` becomes `_` or `_Uxxxx_`. */
export function convertKey(key: string, strategy: ConversionStrategy | undefined): string {
  let out = '';
  for (const ch of key) {
    if (allowedRune.test(ch)) { out += ch; continue; }
    out += strategy === 'Unicode' ? `_U${ch.codePointAt(0)!.toString(16).padStart(4, '0')}_` : '_';
  }
  return out;
}

/** ESO `ConvertKeys`; a collision is an error naming the converted key. */
export function convertKeys(map: SecretMap, strategy: ConversionStrategy | undefined, subject: string): SecretMap {
  const out: SecretMap = Object.create(null);
  for (const [k, v] of Object.entries(map)) {
    const key = convertKey(k, strategy);
    if (key in out) {
      throw inputError('KeyCollision', `secret name collision during conversion: ${key}`, {
        subject, hint: 'use rewrite to give the keys distinct names',
      });
    }
    out[key] = v;
  }
  return out;
}

const validKey = /^[-._a-zA-Z0-9]+$/;

/** ESO `ValidateKeys`: drops empty keys; a key longer than 253 bytes or with other characters is an error. */
export function validateKeys(map: SecretMap, subject: string): SecretMap {
  const out: SecretMap = Object.create(null);
  for (const [k, v] of Object.entries(map)) {
    if (k.length === 0) continue;
    if (Buffer.byteLength(k, 'utf8') > 253 || !validKey.test(k)) {
      throw inputError('InvalidSecretKeys', `invalid secret key ${JSON.stringify(k)}`, {
        subject, hint: 'use rewrite or conversionStrategy to change keys',
      });
    }
    out[k] = v;
  }
  return out;
}
