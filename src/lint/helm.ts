// Helm templates are not YAML until rendered. To lint what is literal in them, every `{{ }}` action
// becomes a same-length placeholder (positions stay exact): an action alone on its line becomes
// blanks, one inside a line becomes PLACEHOLDER characters, so `password: {{ .Values.pw }}` still
// reads as a key whose value is not in the file.
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
  return typeof v === 'string' && v.includes(PLACEHOLDER) && v.replace(new RegExp(`[${PLACEHOLDER}\\s"']`, 'g'), '') === '';
}

/** A string that holds at least one action (its full value is not known from the file). */
export function hasPlaceholder(v: unknown): boolean {
  return typeof v === 'string' && v.includes(PLACEHOLDER);
}
