import { cryptoError, usageError } from '../../../src/errors.js';
import { readCertificate } from '../../../src/crypto/certificate.js';
import { assertStrongKey, MIN_KEY_BITS, readCertRef } from '../../shared/cert-source.js';
import { clusterCertFetcher } from '../../shared/cluster-cert.js';
import type { CliIo } from '../../io.js';
import type { CertFlags } from './index.js';

export async function runCert(io: CliIo, ref: string | undefined, f: CertFlags, now: Date = new Date()): Promise<void> {
  if (f.fetch) {
    if (ref) throw usageError('FetchWithFile', '--fetch takes no file argument', { hint: 'use `cloak cert FILE` to describe a file' });
    const { pem } = await clusterCertFetcher(io, f)();
    io.stdout(pem.endsWith('\n') ? pem : `${pem}\n`);
    return;
  }
  const source = ref || io.env['CLOAK_CERT'] || io.env['SEALED_SECRETS_CERT'];
  if (!source) throw usageError('NoCertificate', 'no certificate given', { hint: 'pass a file or URL, or use --fetch' });
  const { pem } = await readCertRef(io, source);
  const c = readCertificate(pem, source);
  const days = Math.floor((c.notAfter.getTime() - now.getTime()) / 86_400_000);
  const expired = c.notAfter.getTime() < now.getTime();
  const rows: Array<[string, string]> = [
    ['fingerprint', c.fingerprint],
    ['key', `RSA ${c.bits} bits`],
    ['subject', c.cert.subject?.trim() ? c.cert.subject.replace(/\n/g, ', ') : '(empty)'],
    ['valid from', c.notBefore.toISOString()],
    ['valid until', `${c.notAfter.toISOString()} (${expired ? `expired ${-days} days ago` : `${days} days left`})`],
    ['status', c.bits < MIN_KEY_BITS ? `TOO WEAK: cloak seal refuses keys below ${MIN_KEY_BITS} bits` : expired ? 'EXPIRED: cloak seal refuses this certificate' : c.notBefore.getTime() > now.getTime() ? 'not yet valid' : 'valid'],
  ];
  io.stdout(rows.map(([k, v]) => `${`${k}:`.padEnd(13)}${v}\n`).join(''));
  assertStrongKey(c, source);
  if (expired) throw cryptoError('CertificateExpired', 'the certificate has expired', { subject: source, hint: 'fetch the current certificate with `cloak cert --fetch`' });
}
