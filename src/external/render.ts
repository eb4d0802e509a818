// The template renderer the engine uses for rewrite.transform and target templates: Go text/template
// with ESO's function set, from src/gotemplate (loaded lazily; only ExternalSecrets with templates need it).
import { templateError } from '../errors.js';

export type Render = (source: string, data: Record<string, unknown>, name: string) => Promise<string>;

interface GoTemplateModule {
  renderTemplate(source: string, data: unknown, o: { funcs: 'eso'; name?: string }): string | Uint8Array | Promise<string | Uint8Array>;
}

// a computed specifier keeps this module loadable while the template engine is optional
const gotemplatePath = ['..', 'gotemplate', 'index.js'].join('/');

export const goRender: Render = async (source, data, name) => {
  let mod: GoTemplateModule;
  try {
    mod = (await import(gotemplatePath)) as GoTemplateModule;
  } catch (e) {
    throw templateError('TemplateEngineMissing', 'the template engine is not available in this build', {
      subject: name, cause: e, hint: 'remove the template or use a build that includes src/gotemplate',
    });
  }
  const out = await mod.renderTemplate(source, data, { funcs: 'eso', name });
  return typeof out === 'string' ? out : new TextDecoder().decode(out);
};
