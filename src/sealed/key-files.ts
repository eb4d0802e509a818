// Private keys for offline unseal: PEM files, a Bitnami key Secret, or a `v1 List` backup of them
// (`kubectl get secret -l sealedsecrets.bitnami.com/sealed-secrets-key -o yaml`).
import { decodeBase64Strict } from '../crypto/base64.js';
import { parsePrivateKeyPem, type PrivateKeyEntry } from '../crypto/private-key.js';
import { cryptoError } from '../errors.js';
import { readDocuments } from '../manifests/documents.js';

export function readPrivateKeys(text: string, source: string): PrivateKeyEntry[] {
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text) && !/^\s*(apiVersion|kind|items|\{)/m.test(text)) {
    const keys = parsePrivateKeyPem(text, source);
    if (keys.length > 0) return keys;
  }
  const out: PrivateKeyEntry[] = [];
  for (const doc of readDocuments(text, source)) {
    const o = doc.object;
    if (o.kind !== 'Secret') continue;
    const data = (o.data ?? {}) as Record<string, string>;
    const stringData = (o.stringData ?? {}) as Record<string, string>;
    const keyPem = stringData['tls.key'] ?? (data['tls.key'] ? decodeBase64Strict(data['tls.key'])?.toString('utf8') : undefined);
    if (!keyPem) continue;
    const meta = (o.metadata ?? {}) as { name?: string; creationTimestamp?: string };
    const subject = meta.name ? `${doc.where} Secret ${meta.name}` : doc.where;
    const certPem = stringData['tls.crt'] ?? (data['tls.crt'] ? decodeBase64Strict(data['tls.crt'])?.toString('utf8') : undefined);
    for (const k of parsePrivateKeyPem(keyPem, subject)) {
      out.push({
        ...k,
        ...(certPem ? { certPem } : {}),
        ...(meta.name ? { secretName: meta.name } : {}),
        ...(meta.creationTimestamp ? { created: new Date(meta.creationTimestamp) } : {}),
      });
    }
  }
  if (out.length === 0) {
    throw cryptoError('NoPrivateKey', 'no RSA private key found (expected a PEM key, a key Secret with tls.key, or a v1 List of them)', {
      subject: source,
      hint: 'back keys up with `cloak keys backup -o FILE` or `kubectl get secret -n NS -l sealedsecrets.bitnami.com/sealed-secrets-key -o yaml`',
    });
  }
  return out;
}
