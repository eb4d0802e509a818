// Sealing test SealedSecrets with the real library, as YAML text ready to write to a file.
import { readCertificate } from '../../../src/crypto/index.js';
import { readDocuments, toYaml } from '../../../src/manifests/index.js';
import { sealSecret, validateSecret, type SealedSecretObject } from '../../../src/sealed/index.js';

export function sealFor(certPem: string, o: { name: string; namespace: string; data: Record<string, string> }): SealedSecretObject {
  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: o.name, namespace: o.namespace }, stringData: o.data };
  const [doc] = readDocuments(JSON.stringify(secret), 'test');
  return sealSecret(validateSecret(doc!), readCertificate(certPem, 'test cert'));
}

export function yamlOf(...objects: unknown[]): string {
  return objects.map((o) => `---\n${toYaml(o)}`).join('');
}
