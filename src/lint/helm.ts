// Helm templates are not YAML until rendered. To lint what is literal in them, every `{{ }}` action
// becomes a same-length placeholder (positions stay exact): an action alone on its line becomes
// blanks, one inside a line becomes PLACEHOLDER characters, so `password: {{ .Values.pw }}` still
// reads as a key whose value is not in the file.
import { parseAllDocuments } from 'yaml';

export const PLACEHOLDER = '\u01c2';

const ACTION = /\{\{[\s\S]*?\}\}/g;

export function hasTemplateActions(text: string): boolean {
  return text.includes('{{');
}

export function blankTemplateActions(text: string): string {
  return text.replace(ACTION, (action, offset: number) => {
    const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
    const nl = text.indexOf('\n', offset + action.length);
    const lineEnd = nl < 0 ? text.length : nl;
    const rest = (text.slice(lineStart, offset) + text.slice(offset + action.length, lineEnd)).replace(ACTION, '');
    const alone = /^[ \t\r]*$/.test(rest);
    return action.replace(/[^\n]/g, (c) => (c === '\r' ? c : alone ? ' ' : PLACEHOLDER));
  });
}

/** A string whose whole content came from actions (its value is supplied at render time). */
export function isTemplated(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  if (v.includes(PLACEHOLDER)) return v.replace(new RegExp(`[${PLACEHOLDER}\\s"']`, 'g'), '') === '';
  return v.includes('{{') && v.replace(ACTION, '').trim() === '';
}

/** A string holding a `{{ }}` action as written (a quoted Helm value or an ESO template). */
export function hasAction(v: unknown): boolean {
  return typeof v === 'string' && v.includes('{{');
}

/** True when the text parses as YAML and every `{{` in it is inside a string scalar (key or value). */
export function actionsOnlyInStrings(text: string): boolean {
  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    docs = parseAllDocuments(text, { version: '1.1', prettyErrors: false, logLevel: 'error' });
  } catch {
    return false;
  }
  let inStrings = 0;
  const count = (s: string) => s.split('{{').length - 1;
  const visit = (v: unknown, depth: number): void => {
    if (depth > 100) return;
    if (typeof v === 'string') inStrings += count(v);
    else if (Array.isArray(v)) v.forEach((x) => visit(x, depth + 1));
    else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) { inStrings += count(k); visit(x, depth + 1); }
  };
  for (const d of Array.isArray(docs) ? docs : [docs]) {
    if (d.errors.length > 0) return false;
    try { visit(d.toJS({ maxAliasCount: 100 }), 0); } catch { return false; }
  }
  return inStrings >= count(text);
}

/** A string that holds at least one action (its full value is not known from the file). */
export function hasPlaceholder(v: unknown): boolean {
  return typeof v === 'string' && v.includes(PLACEHOLDER);
}
