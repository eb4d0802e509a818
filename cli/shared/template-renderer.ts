// spec.template.data rendering for offline unseal: Go text/template with Bitnami's Sprig set,
// exactly as the controller renders it. The engine is imported only when a template needs it.
export type Renderer = (name: string, source: string, values: Record<string, Uint8Array>) => Uint8Array | string;

export async function bitnamiTemplateRenderer(): Promise<Renderer> {
  await import('../../src/regexp-guard.js');
  const { renderTemplate } = await import('../../src/gotemplate/index.js');
  return (name, source, values) => renderTemplate(source, values, { funcs: 'sprigBitnami', name });
}
