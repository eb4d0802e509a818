// `--key FILE…` for offline commands: PEM keys, key Secrets or `v1 List` backups, all read up front
// so a wrong file fails before any work starts.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { cryptoError, usageError } from '../../../src/errors.js';
import { readPrivateKeys, type DecryptKey } from '../../../src/sealed/index.js';

export async function readKeyFiles(files: string[], cwd: string): Promise<DecryptKey[]> {
  if (files.length === 0) throw usageError('NoKey', 'at least one private key is needed', { hint: 'pass --key FILE (a PEM key or a key backup)' });
  const keys = (await Promise.all(files.map(async (k) => {
    const text = await readFile(resolve(cwd, k), 'utf8').catch(() => {
      throw cryptoError('UnreadableKey', 'cannot read the private key file', { subject: k, hint: 'check the path given with --key' });
    });
    if (/-----BEGIN CERTIFICATE-----/.test(text) && !/PRIVATE KEY-----|tls\.key/.test(text)) {
      throw cryptoError('CertNotKey', 'this is a certificate; pass the private key', { subject: k, hint: 'e.g. --key tls.key next to it, or a key backup from `cloak keys backup`' });
    }
    return readPrivateKeys(text, k);
  }))).flat();
  const seen = new Set<string>();
  return keys.filter((k) => !seen.has(k.fingerprint) && seen.add(k.fingerprint));
}
