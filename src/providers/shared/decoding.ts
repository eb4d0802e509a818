// ESO's decodingStrategy (runtime Decode) with Go's base64 rules, and nullBytePolicy.
import { inputError } from '../../errors.js';
import type { SecretMap } from '../types.js';

export type DecodingStrategy = 'Auto' | 'Base64' | 'Base64URL' | 'None';
export type NullBytePolicy = 'Ignore' | 'Fail';

const std = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const url = /^(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-]{2}==|[A-Za-z0-9_-]{3}=)?$/;

/** Go `base64.StdEncoding`/`URLEncoding.DecodeString`: padded, CR/LF ignored, anything else fails. */
export function goBase64Decode(input: Uint8Array, urlSafe: boolean): Uint8Array | undefined {
  const text = Buffer.from(input).toString('latin1').replace(/[\r\n]/g, '');
  if (!(urlSafe ? url : std).test(text)) return undefined;
  return new Uint8Array(Buffer.from(text, urlSafe ? 'base64url' : 'base64'));
}

/** Returns the decoded value; `subject` names the entry in the error (never the value). */
export function decodeValue(v: Uint8Array, strategy: DecodingStrategy | undefined, subject: string): Uint8Array {
  switch (strategy) {
    case undefined: case 'None': return v;
    case 'Base64': case 'Base64URL': {
      const out = goBase64Decode(v, strategy === 'Base64URL');
      if (!out) {
        throw inputError('DecodeFailed', `value is not valid ${strategy === 'Base64' ? 'base64' : 'base64url'}`, {
          subject, hint: 'set decodingStrategy to None or Auto',
        });
      }
      return out;
    }
    case 'Auto':
      return goBase64Decode(v, false) ?? goBase64Decode(v, true) ?? v;
    default:
      throw inputError('UnsupportedDecoding', `decoding strategy ${String(strategy)} is not supported`, {
        subject, hint: 'use Auto, Base64, Base64URL or None',
      });
  }
}

export function decodeMap(map: SecretMap, strategy: DecodingStrategy | undefined, subject: string): SecretMap {
  const out: SecretMap = Object.create(null);
  for (const [k, v] of Object.entries(map)) out[k] = decodeValue(v, strategy, `${subject} key ${JSON.stringify(k)}`);
  return out;
}

export function checkNullBytes(v: Uint8Array, policy: NullBytePolicy | undefined, subject: string): void {
  if (policy === 'Fail' && v.includes(0)) {
    throw inputError('NullByte', 'value contains a NUL byte', { subject, hint: 'nullBytePolicy is Fail' });
  }
}
