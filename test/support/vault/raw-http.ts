// A minimal HTTP/1.1 listener on `net`/`tls` that accepts any method token, including Vault's
// `LIST`, which Node's http parser rejects. Keep-alive, Content-Length and chunked bodies.
import net from 'node:net';
import tls from 'node:tls';
import { STATUS_CODES } from 'node:http';

export interface RawRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Buffer;
  /** DER of the TLS client certificate chain (leaf first), when the client sent one. */
  peerCertificates?: Buffer[];
}
export interface RawResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}
export type RawHandler = (req: RawRequest) => Promise<RawResponse> | RawResponse;

const MAX_BODY = 32 * 1024 * 1024;

export function createRawServer(handler: RawHandler, tlsOptions?: tls.TlsOptions): net.Server {
  const onSocket = (sock: net.Socket) => {
    let buf = Buffer.alloc(0);
    let busy = false;
    const pump = (): void => {
      if (busy) return;
      const he = buf.indexOf('\r\n\r\n');
      if (he < 0) return;
      const lines = buf.subarray(0, he).toString('latin1').split('\r\n');
      const [method = '', url = '', version = ''] = lines[0]!.split(' ');
      const headers: Record<string, string> = {};
      for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
      }
      let body: Buffer;
      let used: number;
      const s = he + 4;
      if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
        const parts: Buffer[] = [];
        let p = s;
        for (;;) {
          const e = buf.indexOf('\r\n', p);
          if (e < 0) return;
          const n = parseInt(buf.subarray(p, e).toString(), 16);
          if (buf.length < e + 4 + n) return;
          if (n === 0) { used = e + 4; break; }
          parts.push(buf.subarray(e + 2, e + 2 + n));
          p = e + 4 + n;
        }
        body = Buffer.concat(parts);
      } else {
        const len = Number(headers['content-length'] ?? 0);
        if (len > MAX_BODY) { sock.destroy(); return; }
        if (buf.length < s + len) return;
        body = Buffer.from(buf.subarray(s, s + len));
        used = s + len;
      }
      buf = buf.subarray(used);
      busy = true;
      const keep = version === 'HTTP/1.1' && !/close/i.test(headers.connection ?? '');
      let peerCertificates: Buffer[] | undefined;
      if (sock instanceof tls.TLSSocket) {
        const chain: Buffer[] = [];
        let c = sock.getPeerCertificate(true) as tls.DetailedPeerCertificate | undefined;
        const seen = new Set<string>();
        while (c && c.raw && !seen.has(c.fingerprint256)) {
          seen.add(c.fingerprint256);
          chain.push(c.raw);
          c = c.issuerCertificate;
        }
        if (chain.length > 0) peerCertificates = chain;
      }
      Promise.resolve()
        .then(() => handler({ method, url, headers, body, peerCertificates }))
        .catch((e: unknown): RawResponse => ({ status: 500, body: JSON.stringify({ errors: [String((e as Error)?.message ?? e)] }), headers: { 'Content-Type': 'application/json' } }))
        .then((res) => {
          if (sock.destroyed) return;
          const out = res.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(res.body) ? res.body : Buffer.from(res.body);
          const h: Record<string, string | number> = {
            ...(res.headers ?? {}),
            'Content-Length': method === 'HEAD' ? 0 : out.length,
            Date: new Date().toUTCString(),
            Connection: keep ? 'keep-alive' : 'close',
          };
          const head = `HTTP/1.1 ${res.status} ${STATUS_CODES[res.status] ?? ''}\r\n${Object.entries(h).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`;
          sock.write(method === 'HEAD' ? head : Buffer.concat([Buffer.from(head, 'latin1'), out]));
          busy = false;
          if (!keep) sock.end();
          else pump();
        });
    };
    sock.on('data', (d: Buffer) => { buf = Buffer.concat([buf, d]); pump(); });
    sock.on('error', () => {});
  };
  return tlsOptions
    ? tls.createServer({ ...tlsOptions, requestCert: true, rejectUnauthorized: false }, onSocket)
    : net.createServer(onSocket);
}
