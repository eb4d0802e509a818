// AWS Signature Version 4 verification as Secrets Manager and STS perform it: the signature is
// recomputed from the headers the client says it signed, compared in constant time, and the
// request time must be within the allowed skew of the server's (injectable) clock.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface SignedRequest {
  method: string;
  url: string;
  /** Lower-case header names, as node:http gives them. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface SigV4Failure {
  ok: false;
  status: number;
  type: string;
  message: string;
}

export interface SigV4Success {
  ok: true;
  accessKeyId: string;
  region: string;
  service: string;
  signedHeaders: string[];
}

export type SigV4Result = SigV4Success | SigV4Failure;

export interface VerifyOptions {
  /** Secret key for an access key id, or undefined when the key is unknown. */
  lookupSecret: (accessKeyId: string) => string | undefined;
  /** Services this endpoint answers for (`secretsmanager`, `sts`). */
  services: readonly string[];
  now: () => number;
  maxSkewMs?: number;
}

const AUTH_RE =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();
export const sha256hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const rfc3986 = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

function fail(status: number, type: string, message: string): SigV4Failure {
  return { ok: false, status, type, message };
}

export function header(req: Pick<SignedRequest, 'headers'>, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** `20261122T051800Z` → epoch ms, or NaN when malformed. */
export function parseAmzDate(s: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return Number.NaN;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}

export function formatAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function canonicalQuery(search: string): string {
  if (!search) return '';
  const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
  return search
    .replace(/^\?/, '')
    .split('&')
    .filter(Boolean)
    .map((p) => {
      const i = p.indexOf('=');
      const k = i < 0 ? p : p.slice(0, i);
      const v = i < 0 ? '' : p.slice(i + 1);
      return [rfc3986(decode(k)), rfc3986(decode(v))] as const;
    })
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

function canonicalUri(pathname: string): string {
  // Non-S3 services encode each path segment twice (once by the client, once for signing).
  return pathname.split('/').map((s) => rfc3986(rfc3986(decodeURIComponent(s)))).join('/') || '/';
}

export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac('AWS4' + secret, date), region), service), 'aws4_request');
}

export function verifySigV4(req: SignedRequest, o: VerifyOptions): SigV4Result {
  const auth = header(req, 'authorization');
  if (!auth) return fail(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
  const m = AUTH_RE.exec(auth);
  if (!m) {
    return fail(400, 'IncompleteSignatureException',
      'Authorization header requires \'Credential\', \'SignedHeaders\' and \'Signature\' parameters.');
  }
  const [, accessKeyId, date, region, service, signed, signature] = m as unknown as [string, string, string, string, string, string, string];
  const secret = o.lookupSecret(accessKeyId);
  if (secret === undefined) {
    return fail(400, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
  }
  const amzDate = header(req, 'x-amz-date') ?? '';
  const t = parseAmzDate(amzDate);
  if (Number.isNaN(t)) {
    return fail(400, 'IncompleteSignatureException', 'Authorization header requires existence of either a \'X-Amz-Date\' or a \'Date\' header.');
  }
  if (!o.services.includes(service) || amzDate.slice(0, 8) !== date) {
    return fail(400, 'InvalidSignatureException', `Credential should be scoped to correct service: '${o.services[0]}'. `);
  }
  const now = o.now();
  const maxSkew = o.maxSkewMs ?? 5 * 60_000;
  if (now - t > maxSkew) {
    return fail(400, 'InvalidSignatureException',
      `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(now - maxSkew)} (${formatAmzDate(now)} - 5 min.)`);
  }
  if (t - now > maxSkew) {
    return fail(400, 'InvalidSignatureException',
      `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(now + maxSkew)} (${formatAmzDate(now)} + 5 min.)`);
  }
  const names = signed.split(';');
  if (!names.includes('host')) {
    return fail(400, 'InvalidSignatureException', '\'Host\' must be a \'SignedHeader\' in the AWS Authorization.');
  }
  const payloadHash = sha256hex(req.body);
  const claimed = header(req, 'x-amz-content-sha256');
  if (claimed !== undefined && claimed !== 'UNSIGNED-PAYLOAD' && claimed !== payloadHash) {
    return fail(400, 'InvalidSignatureException', 'The provided \'x-amz-content-sha256\' header does not match what was computed.');
  }
  const canonHeaders = names
    .map((h) => `${h}:${(header(req, h) ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const u = new URL(req.url, 'http://localhost');
  const creq = [req.method, canonicalUri(u.pathname), canonicalQuery(u.search), canonHeaders, signed, payloadHash].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, `${date}/${region}/${service}/aws4_request`, sha256hex(creq)].join('\n');
  const expected = createHmac('sha256', signingKey(secret, date, region, service)).update(stringToSign).digest();
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(expected, given)) {
    return fail(400, 'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.');
  }
  return { ok: true, accessKeyId, region, service, signedHeaders: names };
}
