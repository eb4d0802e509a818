// Where the sealing certificate comes from: --cert (file, file:// or http(s):// URL), else
// $CLOAK_CERT, else $SEALED_SECRETS_CERT (kubeseal's env twin), else the controller in the cluster.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCertificate, assertNotExpired, type SealingCertificate } from '../../src/crypto/certificate.js';
import { clusterError, inputError } from '../../src/errors.js';
import type { CliIo } from '../io.js';

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
  if (!o.allowExpired) assertNotExpired(c, source, o.now);
  return c;
}

export async function readCertRef(io: CliIo, ref: string): Promise<{ pem: string; source: string }> {
  if (/^https?:\/\//i.test(ref)) {
    let res: Response;
    try {
      res = await fetch(ref, { signal: AbortSignal.timeout(30_000) });
    } catch (cause) {
      throw clusterError('CertFetchFailed', `cannot fetch certificate: ${(cause as Error).message}`, { subject: ref, cause, hint: 'check the URL and your network' });
    }
    if (!res.ok) throw clusterError('CertFetchFailed', `cannot fetch certificate: HTTP ${res.status}`, { subject: ref, hint: 'check the URL' });
    return { pem: await res.text(), source: ref };
  }
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
