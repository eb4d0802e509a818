// Go text/template with the Sprig and ESO function sets, interpreted (no eval, Function or vm).
export {
  executeTemplate, parseTemplate, renderTemplate, renderTemplateText, toTemplateData,
  type ExecuteOptions, type FuncSetName, type Limits, type MissingKey, type ParseOptions, type Template, type TemplateData,
} from './template.js';
export { defaultLimits } from './exec.js';
export { funcSet } from './funcs/index.js';
