// spec.template.data rendering: Go text/template with Bitnami's function set (Sprig minus env,
// expandenv, getHostByName). The context is the decrypted items as strings, as in Bitnami.
import { renderTemplate } from '../../src/gotemplate/index.js';

export function renderSecretTemplate(name: string, source: string, values: Record<string, Uint8Array>): string {
  const data: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) data[k] = Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('utf8');
  void name;
  return renderTemplate(source, data, { funcs: 'sprigBitnami' });
}
