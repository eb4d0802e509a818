// spec.template.data rendering for offline unseal: Go text/template with Bitnami's Sprig set.
import { inputError } from '../../src/errors.js';

export type Renderer = (name: string, source: string, values: Record<string, Uint8Array>) => Uint8Array | string;

export async function bitnamiTemplateRenderer(): Promise<Renderer> {
  return (name) => {
    throw inputError('NoTemplateEngine', `spec.template.data.${name} needs the template engine, which is not built yet`);
  };
}
