// Outbound HTTP(S) for the Vault test server (TokenReview, JWKS), with an optional custom CA.
import http from 'node:http';
import https from 'node:https';

export function httpJson(url: string, o: { method?: string; body?: unknown; headers?: Record<string, string>; ca?: string; insecure?: boolean } = {}): Promise<{ status: number; json: unknown }> {
  const u = new URL(url);
  const mod = u.protocol === 'https:' ? https : http;
  const payload = o.body === undefined ? undefined : Buffer.from(JSON.stringify(o.body));
  return new Promise((resolve, reject) => {
    const req = mod.request(u, {
      method: o.method ?? (payload ? 'POST' : 'GET'),
      headers: { Accept: 'application/json', ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {}), ...(o.headers ?? {}) },
      ...(o.ca ? { ca: o.ca } : {}),
      ...(o.insecure ? { rejectUnauthorized: false } : {}),
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown = undefined;
        try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
        resolve({ status: res.statusCode ?? 0, json });
      });
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    if (payload) req.write(payload);
    req.end();
  });
}
