// The template renderer the engine uses for rewrite.transform and target templates: Go text/template
// with ESO's function set and missingkey=error, from src/gotemplate (loaded only when a template exists).
export type Render = (source: string, data: Record<string, unknown>, name: string) => Promise<Uint8Array>;

export const goRender: Render = async (source, data, name) => {
  const { renderTemplate } = await import('../gotemplate/index.js');
  return renderTemplate(source, data, { funcs: 'eso', name, missingKey: 'error' });
};

export const renderText = async (render: Render, source: string, data: Record<string, unknown>, name: string): Promise<string> =>
  Buffer.from(await render(source, data, name)).toString('utf8');
