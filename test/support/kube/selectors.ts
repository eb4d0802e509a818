// Label selectors (equality- and set-based) and field selectors, as the apiserver parses them.
import type { KObject, ResourceDef } from './types.js';
import { badRequest } from './status.js';

type Req = { key: string; op: 'in' | 'notin' | 'exists' | '!' | '=' | '!=' | 'gt' | 'lt'; values: string[] };
export type LabelSelector = Req[];

export function parseLabelSelector(s: string | null | undefined): LabelSelector {
  const out: Req[] = [];
  if (!s) return out;
  // split on commas not inside parentheses
  const terms: string[] = [];
  let depth = 0, cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) { terms.push(cur); cur = ''; } else cur += ch;
  }
  terms.push(cur);
  for (const raw of terms) {
    const t = raw.trim();
    if (!t) continue;
    let m: RegExpMatchArray | null;
    if ((m = t.match(/^([^\s!=<>(),]+)\s+(in|notin)\s*\(([^)]*)\)$/))) out.push({ key: m[1]!, op: m[2] as 'in' | 'notin', values: m[3]!.split(',').map((v) => v.trim()).filter((v) => v !== '' || m![3]!.trim() === '') });
    else if ((m = t.match(/^!\s*([^\s!=<>(),]+)$/))) out.push({ key: m[1]!, op: '!', values: [] });
    else if ((m = t.match(/^([^\s!=<>(),]+)\s*(==|=|!=)\s*([^\s!=<>(),]*)$/))) out.push({ key: m[1]!, op: m[2] === '!=' ? '!=' : '=', values: [m[3]!] });
    else if ((m = t.match(/^([^\s!=<>(),]+)\s*(>|<)\s*(\d+)$/))) out.push({ key: m[1]!, op: m[2] === '>' ? 'gt' : 'lt', values: [m[3]!] });
    else if ((m = t.match(/^([^\s!=<>(),]+)$/))) out.push({ key: m[1]!, op: 'exists', values: [] });
    else throw badRequest(`unable to parse requirement: found '${t}', expected: in, notin, =, ==, !=, gt, lt`);
  }
  return out;
}

export function matchLabels(sel: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return sel.every((r) => {
    const has = Object.hasOwn(l, r.key);
    const v = l[r.key];
    switch (r.op) {
      case 'exists': return has;
      case '!': return !has;
      case '=': return has && v === r.values[0];
      case '!=': return !has || v !== r.values[0];
      case 'in': return has && r.values.includes(v!);
      case 'notin': return !has || !r.values.includes(v!);
      case 'gt': return has && Number(v) > Number(r.values[0]);
      case 'lt': return has && Number(v) < Number(r.values[0]);
    }
  });
}

/** metav1.LabelSelector (matchLabels + matchExpressions) as used by Deployments and friends. */
export function matchLabelSelectorObject(sel: { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> }, labels: Record<string, string> | undefined): boolean {
  const reqs: Req[] = Object.entries(sel.matchLabels ?? {}).map(([key, v]) => ({ key, op: '=' as const, values: [v] }));
  for (const e of sel.matchExpressions ?? []) {
    const op = ({ In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' } as const)[e.operator as 'In'];
    if (op) reqs.push({ key: e.key, op, values: e.values ?? [] });
  }
  return matchLabels(reqs, labels);
}

type FieldReq = { field: string; value: string; neg: boolean };
export type FieldSelector = FieldReq[];

export function parseFieldSelector(s: string | null | undefined, def: ResourceDef): FieldSelector {
  const out: FieldReq[] = [];
  if (!s) return out;
  for (const raw of s.split(',')) {
    const t = raw.trim();
    if (!t) continue;
    const m = t.match(/^([^=!]+?)\s*(==|=|!=)\s*(.*)$/);
    if (!m) throw badRequest(`invalid selector: '${s}'; can't understand '${t}'`);
    const field = m[1]!;
    const allowed = ['metadata.name', 'metadata.namespace', ...def.fieldLabels, ...(def.crd?.selectableFields ?? [])];
    if (!allowed.includes(field)) throw badRequest(`field label not supported: ${field}`);
    out.push({ field, value: m[3]!, neg: m[2] === '!=' });
  }
  return out;
}

function fieldValue(o: KObject, field: string): string {
  let cur: unknown = o;
  for (const p of field.split('.')) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[p] : undefined;
  if (field === 'source' && o.kind === 'Event') cur = (o['source'] as { component?: string } | undefined)?.component;
  if (cur === undefined || cur === null) return '';
  return String(cur);
}

export function matchFields(sel: FieldSelector, o: KObject): boolean {
  return sel.every((r) => (fieldValue(o, r.field) === r.value) !== r.neg);
}
