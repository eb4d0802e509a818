// spec.template.data rendering: Go text/template with Bitnami's function set (Sprig minus env,
// expandenv, getHostByName). The context is the decrypted items as strings, as in Bitnami.
// The engine is loaded once at start-up (loadTemplateEngine) so rendering stays synchronous.
import { templateError } from '../../src/errors.js';

type Render = (source: string, data: Record<string, string>, o: { funcs: 'sprigBitnami' }) => string;
let render: Render | undefined;

export async function loadTemplateEngine(): Promise<void> {
  const mod = (await import('../../src/gotemplate/index.js')) as { renderTemplate: Render };
  render = mod.renderTemplate;
}

export function renderSecretTemplate(name: string, source: string, values: Record<string, Uint8Array>): string {
  if (!render) throw templateError('TemplateEngineMissing', `cannot render spec.template.data.${name}: the template engine is not loaded`);
  const data: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) data[k] = Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('utf8');
  return render(source, data, { funcs: 'sprigBitnami' });
}
