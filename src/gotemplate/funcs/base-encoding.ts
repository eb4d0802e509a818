// Sprig's base64/base32 decoding, which returns Go's error text instead of failing.
import { bytesToGoString, goStringToBinary, goStringToBytes } from '../value.js';

export function b64decode(s: string): string {
  const bin = goStringToBinary(s);
  if (bin.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(bin)) {
    const bad = firstBadBase64(bin, 'A-Za-z0-9+/', 4);
    return `illegal base64 data at input byte ${bad}`;
  }
  return bytesToGoString(Buffer.from(bin, 'base64'));
}

function firstBadBase64(s: string, alphabet: string, block: number): number {
  const re = new RegExp(`[^${alphabet}]`);
  const m = re.exec(s.replace(/=+$/, (p) => '\0'.repeat(p.length)));
  if (m) {
    // padding in the right place is fine; Go reports the position where decoding failed
    let i = m.index;
    const padStart = s.search(/=+$/);
    if (padStart >= 0 && i >= padStart) {
      const groupStart = padStart - (padStart % block);
      if (s.length % block !== 0) return s.length - (s.length % block) >= padStart ? padStart : groupStart;
      i = padStart;
    }
    return i;
  }
  return s.length - (s.length % block);
}

export function b32decode(s: string): string {
  const bin = goStringToBinary(s);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  if (bin.length % 8 !== 0 || !/^[A-Z2-7]*=*$/.test(bin)) return `illegal base64 data at input byte ${firstBadBase64(bin, 'A-Z2-7', 8)}`.replace('base64', 'base32');
  const body = bin.replace(/=+$/, '');
  const pad = bin.length - body.length;
  if (![0, 1, 3, 4, 6].includes(pad)) return `illegal base32 data at input byte ${body.length}`;
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const c of body) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return bytesToGoString(Uint8Array.from(out));
}

export function b32encode(s: string): string {
  const b = goStringToBytes(s);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let out = '';
  let bits = 0;
  let value = 0;
  for (const x of b) {
    value = (value << 8) | x;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  while (out.length % 8 !== 0) out += '=';
  return out;
}

