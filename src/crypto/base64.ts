// Go's base64.StdEncoding rules: standard alphabet, padding required, CR and LF ignored.
// Node's Buffer.from(s, 'base64') silently accepts far more, so we check first.
const STD = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decodes strict standard base64; returns undefined when the text is not valid. */
export function decodeBase64Strict(text: string): Buffer | undefined {
  const s = text.replace(/[\r\n]/g, '');
  if (s.length % 4 !== 0 || !STD.test(s)) return undefined;
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  if (s.slice(0, s.length - pad).includes('=')) return undefined;
  const out = Buffer.from(s, 'base64');
  // Non-canonical trailing bits (e.g. "QR==") are rejected by Go's strict decoder too.
  if (out.toString('base64') !== s) return undefined;
  return out;
}

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
