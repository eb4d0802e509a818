// encoding/pem Decode/Encode with Go's exact rules, and the few DER fields ESO's chain helpers read.
import { X509Certificate } from 'node:crypto';

export interface PemBlock {
  type: string;
  headers: Map<string, string>;
  bytes: Buffer;
}

const pemStart = '\n-----BEGIN ';
const pemEnd = '\n-----END ';
const pemEndOfLine = '-----';

/** getLine: the line without its \n / \r\n and trailing spaces/tabs, and the rest. */
function getLine(s: string): [string, string] {
  const i = s.indexOf('\n');
  let line: string;
  let rest: string;
  if (i < 0) {
    line = s;
    rest = '';
  } else {
    line = s.slice(0, i);
    rest = s.slice(i + 1);
  }
  line = line.replace(/[ \t\r]+$/, '');
  // Go trims " \t" after removing "\r\n" or "\n"; a lone \r at the end is part of "\r\n"
  return [line, rest];
}

/** pem.Decode over a binary (latin1) string. */
export function pemDecode(data: string): [PemBlock | undefined, string] {
  let rest = data;
  for (;;) {
    if (rest.startsWith(pemStart.slice(1))) rest = rest.slice(pemStart.length - 1);
    else {
      const i = rest.indexOf(pemStart);
      if (i < 0) return [undefined, data];
      rest = rest.slice(i + pemStart.length);
    }
    let typeLine: string;
    [typeLine, rest] = getLine(rest);
    if (!typeLine.endsWith(pemEndOfLine)) continue;
    typeLine = typeLine.slice(0, -pemEndOfLine.length);
    const headers = new Map<string, string>();
    let truncated = false;
    for (;;) {
      if (rest.length === 0) {
        truncated = true;
        break;
      }
      const [line, next] = getLine(rest);
      const c = line.indexOf(':');
      if (c < 0) break;
      headers.set(line.slice(0, c).trim(), line.slice(c + 1).trim());
      rest = next;
    }
    if (truncated) return [undefined, data];
    let endIndex: number;
    let endTrailerIndex: number;
    if (headers.size === 0 && rest.startsWith(pemEnd.slice(1))) {
      endIndex = 0;
      endTrailerIndex = pemEnd.length - 1;
    } else {
      endIndex = rest.indexOf(pemEnd);
      endTrailerIndex = endIndex + pemEnd.length;
    }
    if (endIndex < 0) continue;
    let endTrailer = rest.slice(endTrailerIndex);
    const endTrailerLen = typeLine.length + pemEndOfLine.length;
    if (endTrailer.length < endTrailerLen) continue;
    const restOfEndLine = endTrailer.slice(endTrailerLen);
    endTrailer = endTrailer.slice(0, endTrailerLen);
    if (!endTrailer.startsWith(typeLine) || !endTrailer.endsWith(pemEndOfLine)) continue;
    if (getLine(restOfEndLine)[0].length !== 0) continue;
    const b64 = rest.slice(0, endIndex).replace(/[ \t\r\n]/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0) continue;
    const bytes = Buffer.from(b64, 'base64');
    rest = getLine(rest.slice(endIndex + pemEnd.length - 1))[1];
    return [{ type: typeLine, headers, bytes }, rest];
  }
}

export function pemEncode(b: { type: string; bytes: Uint8Array; headers?: Map<string, string> }): string {
  let out = `-----BEGIN ${b.type}-----\n`;
  const h = b.headers ?? new Map<string, string>();
  if (h.size > 0) {
    const keys = [...h.keys()].filter((k) => k !== 'Proc-Type').sort();
    if (h.has('Proc-Type')) out += `Proc-Type: ${h.get('Proc-Type')}\n`;
    for (const k of keys) out += `${k}: ${h.get(k)}\n`;
    out += '\n';
  }
  const b64 = Buffer.from(b.bytes).toString('base64');
  for (let i = 0; i < b64.length; i += 64) out += `${b64.slice(i, i + 64)}\n`;
  return `${out}-----END ${b.type}-----\n`;
}

// ---- minimal DER reading for SubjectKeyId / AuthorityKeyId ----
interface Tlv { tag: number; start: number; end: number; hdr: number }

function readTlv(b: Buffer, at: number): Tlv {
  const tag = b[at]!;
  let len = b[at + 1]!;
  let hdr = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[at + 2 + i]!;
    hdr += n;
  }
  return { tag, start: at + hdr, end: at + hdr + len, hdr };
}

function children(b: Buffer, t: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = t.start; at < t.end; ) {
    const c = readTlv(b, at);
    out.push(c);
    at = c.end;
  }
  return out;
}

const OID_SKI = Buffer.from([0x55, 0x1d, 0x0e]);
const OID_AKI = Buffer.from([0x55, 0x1d, 0x23]);

export interface ParsedCert {
  raw: Buffer;
  x509: X509Certificate;
  subjectKeyId?: Buffer;
  authorityKeyId?: Buffer;
}

/** x509.ParseCertificate (validity via node) plus the key identifiers. */
export function parseCertificate(der: Buffer): ParsedCert {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(der);
  } catch {
    throw new Error('x509: malformed certificate');
  }
  const cert: ParsedCert = { raw: der, x509 };
  const top = readTlv(der, 0);
  const tbs = children(der, top)[0]!;
  for (const f of children(der, tbs)) {
    if (f.tag !== 0xa3) continue;
    const exts = children(der, children(der, f)[0]!);
    for (const ext of exts) {
      const parts = children(der, ext);
      const oid = der.subarray(parts[0]!.start, parts[0]!.end);
      const value = parts[parts.length - 1]!;
      if (oid.equals(OID_SKI)) {
        const inner = readTlv(der, value.start);
        cert.subjectKeyId = der.subarray(inner.start, inner.end);
      } else if (oid.equals(OID_AKI)) {
        const seq = readTlv(der, value.start);
        for (const c of children(der, seq)) if (c.tag === 0x80) cert.authorityKeyId = der.subarray(c.start, c.end);
      }
    }
  }
  return cert;
}
