// Where the sealing certificate comes from: --cert (file, file:// or http(s):// URL), else
// $CLOAK_CERT, else $SEALED_SECRETS_CERT (kubeseal's env twin), else the controller in the cluster.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCertificate, assertNotExpired, type SealingCertificate } from '../../src/crypto/certificate.js';
import { clusterError, cryptoError, inputError } from '../../src/errors.js';
import type { CliIo } from '../io.js';
import { CERT_MAX_BYTES, seconds, timeoutMs } from './net-limits.js';

export interface CertOptions {
  cert?: string;
  /** Fetches from the controller when no certificate source is given; undefined offline. */
  fetchFromCluster?: () => Promise<{ pem: string; source: string }>;
  now?: Date;
  allowExpired?: boolean;
}

export async function loadCertificate(io: CliIo, o: CertOptions): Promise<SealingCertificate> {
  const ref = o.cert || io.env['CLOAK_CERT'] || io.env['SEALED_SECRETS_CERT'];
  const { pem, source } = ref ? await readCertRef(io, ref) : await fromCluster(o);
  const c = readCertificate(pem, source);
  assertStrongKey(c, source);
  if (!o.allowExpired) assertNotExpired(c, source, o.now);
  return c;
}

export async function readCertRef(io: CliIo, ref: string): Promise<{ pem: string; source: string }> {
  if (/^https?:\/\//i.test(ref)) return { pem: await fetchCertUrl(ref, timeoutMs(io.env)), source: ref };
  const path = ref.startsWith('file://') ? fileURLToPath(ref) : resolve(io.cwd, ref);
  const pem = await readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw inputError('UnreadableCert', e.code === 'ENOENT' ? 'certificate file not found' : `cannot read certificate (${e.code ?? e.message})`, {
      subject: ref,
      hint: 'pass the controller certificate with --cert FILE|URL',
    });
  });
  return { pem, source: ref };
}

async function fromCluster(o: CertOptions): Promise<{ pem: string; source: string }> {
  if (!o.fetchFromCluster) {
    throw inputError('NoCertificate', 'no sealing certificate given', { hint: 'pass --cert FILE|URL or set CLOAK_CERT (get one with `cloak cert --fetch > cert.pem`)' });
  }
  return o.fetchFromCluster();
}

/** Bitnami's controller makes 4096-bit keys; below 2048 bits RSA-OAEP cannot carry a session key and is weak. */
export const MIN_KEY_BITS = 2048;

export function assertStrongKey(c: SealingCertificate, source: string): void {
  if (c.bits < MIN_KEY_BITS) {
    throw cryptoError('WeakCertificate', `certificate key is ${c.bits} bits, below the minimum of ${MIN_KEY_BITS}`, {
      subject: source,
      hint: 'use the controller certificate (`cloak cert --fetch`) or one with an RSA key of at least 2048 bits',
    });
  }
}

/** GET of a certificate URL under a deadline (connect, headers and body alike) and a size cap. */
async function fetchCertUrl(url: string, ms: number): Promise<string> {
  const signal = AbortSignal.timeout(ms);
  const fail = (cause: unknown): never => {
    const timedOut = signal.aborted;
    throw clusterError('CertFetchFailed', timedOut
      ? `no answer within ${seconds(ms)} fetching the certificate`
      : `cannot fetch certificate: ${describeFetchError(cause)}`, {
      subject: url, cause,
      hint: timedOut ? 'check the URL and that the server answers, or raise CLOAK_TIMEOUT, e.g. CLOAK_TIMEOUT=2m' : 'check the URL and your network',
    });
  };
  let res: Response;
  try {
    res = await fetch(url, { signal });
  } catch (cause) {
    return fail(cause);
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    throw clusterError('CertFetchFailed', `cannot fetch certificate: HTTP ${res.status}`, { subject: url, hint: 'check the URL' });
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of res.body ?? []) {
      size += chunk.byteLength;
      if (size > CERT_MAX_BYTES) {
        await res.body?.cancel().catch(() => undefined);
        throw clusterError('CertTooLarge', `certificate response exceeds ${CERT_MAX_BYTES / 1024 / 1024} MiB`, {
          subject: url, hint: 'check that the URL serves a PEM certificate (cert.pem)',
        });
      }
      chunks.push(chunk);
    }
  } catch (cause) {
    if (cause instanceof Error && (cause as { code?: string }).code === 'CertTooLarge') throw cause;
    return fail(cause);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function describeFetchError(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } })?.cause;
  if ((cause as { code?: string } | undefined)?.code === 'ERR_INVALID_URL' || (e as { code?: string })?.code === 'ERR_INVALID_URL') return 'not a valid URL';
  return cause?.code ?? cause?.message ?? (e as Error)?.message ?? String(e);
}
