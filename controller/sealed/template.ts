// spec.template.data rendering: Go text/template with Bitnami's function set (Sprig minus env,
// expandenv, getHostByName). The context is the decrypted items, as Go's map[string]string.
// The engine is loaded once at start-up (loadTemplateEngine) so rendering stays synchronous.
import { templateError } from '../../src/errors.js';

type Render = typeof import('../../src/gotemplate/index.js').renderTemplate;
let render: Render | undefined;

export async function loadTemplateEngine(): Promise<void> {
  render = (await import('../../src/gotemplate/index.js')).renderTemplate;
}

export function renderSecretTemplate(name: string, source: string, values: Record<string, Uint8Array>): Uint8Array {
  if (!render) throw templateError('TemplateEngineMissing', `cannot render spec.template.data.${name}: the template engine is not loaded`);
  return render(source, values, { funcs: 'sprigBitnami', name });
}
