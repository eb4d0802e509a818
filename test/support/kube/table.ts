// Server-side printing (`Accept: application/json;as=Table;g=meta.k8s.io;v=v1`) for custom resources
// that declare additionalPrinterColumns: a meta.k8s.io/v1 Table with Name first, then the CRD's
// columns, each cell evaluated from its JSONPath as the apiextensions table convertor does
// (no match: null; several matches: joined with ","; a date as its age, "5m", like kubectl's AGE:
// cellForJSONValue + ConvertToHumanReadableDateType). Built-ins, and CRs
// without columns, keep answering plain JSON, and kubectl falls back to its own columns.
import type { Json, JsonMap, KObject, ResourceDef } from './types.js';
import { isMap } from './types.js';

/** True when the client asked for a meta.k8s.io Table (kubectl get in human-readable mode). */
export function wantsTable(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((part) => {
    const p = part.split(';').map((s) => s.trim());
    return p.includes('as=Table') && p.includes('g=meta.k8s.io') && (p.includes('v=v1') || p.includes('v=v1beta1'));
  });
}

interface Column { name: string; type: string; format?: string; description?: string; priority?: number; jsonPath: string }

export function tableColumns(def: ResourceDef): Column[] | undefined {
  const cols = def.crd?.printerColumns;
  return cols && cols.length ? (cols as unknown as Column[]) : undefined;
}

/** The Table for one object or a list; includeObject is None, Metadata (default) or Object. */
export function toTable(columns: Column[], body: KObject | { metadata?: JsonMap; items: KObject[] }, includeObject: string | null): JsonMap {
  const items = 'items' in body && Array.isArray(body.items) ? body.items : [body as KObject];
  const listMeta = 'items' in body ? (body.metadata ?? {}) : { resourceVersion: (body as KObject).metadata.resourceVersion };
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta as Json,
    columnDefinitions: [
      { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
      ...columns.map((c) => ({ name: c.name, type: c.type, format: c.format ?? '', description: c.description ?? '', priority: c.priority ?? 0 })),
    ],
    rows: items.map((o) => ({
      cells: [o.metadata.name ?? '', ...columns.map((c) => cell(o, c))] as Json[],
      ...(includeObject === 'None' ? {} : { object: (includeObject === 'Object' ? o : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata }) as unknown as Json }),
    })),
  } as JsonMap;
}

function cell(o: KObject, c: Column): Json {
  const found = evalPath(o as unknown as Json, c.jsonPath);
  if (!found.length) return null;
  if (found.length === 1) {
    const v = found[0]!;
    if (c.type === 'date') return typeof v === 'string' ? humanAge(v) : null;
    if (c.type === 'string') return typeof v === 'string' ? v : JSON.stringify(v);
    return v;
  }
  return found.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(',');
}

/** metatable.ConvertToHumanReadableDateType: the time since an RFC 3339 timestamp, as duration.HumanDuration. */
export function humanAge(timestamp: string, now = Date.now()): string {
  const t = Date.parse(timestamp);
  if (!/^\d{4}-\d\d-\d\dT/.test(timestamp) || Number.isNaN(t)) return '<invalid>';
  if (t <= Date.parse('0001-01-01T00:00:00Z')) return '<unknown>';
  const sec = Math.trunc((now - t) / 1000);
  if (sec < -1) return '<invalid>';
  if (sec < 0) return '0s';
  if (sec < 120) return `${sec}s`;
  const min = Math.trunc(sec / 60);
  if (min < 10) return sec % 60 === 0 ? `${min}m` : `${min}m${sec % 60}s`;
  if (min < 180) return `${min}m`;
  const h = Math.trunc(min / 60);
  if (h < 8) return min % 60 === 0 ? `${h}h` : `${h}h${min % 60}m`;
  if (h < 48) return `${h}h`;
  if (h < 24 * 8) return h % 24 === 0 ? `${h / 24}d` : `${Math.trunc(h / 24)}d${h % 24}h`;
  if (h < 24 * 365 * 2) return `${Math.trunc(h / 24)}d`;
  const days = Math.trunc(h / 24);
  if (h < 24 * 365 * 8) return days % 365 === 0 ? `${Math.trunc(days / 365)}y` : `${Math.trunc(days / 365)}y${days % 365}d`;
  return `${Math.trunc(days / 365)}y`;
}

/** The JSONPath subset printer columns use: .a.b, [n], [*], [?(@.k=="v")] (== and !=). */
function evalPath(root: Json, path: string): Json[] {
  const steps = path.match(/\.[^.[\]]+|\[\?\(@\.[^)]*\)\]|\[[^\]]*\]/g) ?? [];
  let cur: Json[] = [root];
  for (const s of steps) {
    const next: Json[] = [];
    for (const v of cur) {
      if (s.startsWith('.')) { if (isMap(v) && v[s.slice(1)] !== undefined) next.push(v[s.slice(1)]!); }
      else if (s.startsWith('[?(')) {
        const m = /^\[\?\(@\.([\w.-]+)\s*(==|!=)\s*(?:"([^"]*)"|'([^']*)'|([\w.-]+))\)\]$/.exec(s);
        if (m && Array.isArray(v)) {
          const want = m[3] ?? m[4] ?? m[5]!;
          for (const x of v) {
            const got = evalPath(x, `.${m[1]}`)[0];
            const eq = got !== undefined && (typeof got === 'string' ? got : JSON.stringify(got)) === want;
            if (m[2] === '==' ? eq : !eq) next.push(x);
          }
        }
      } else if (Array.isArray(v)) {
        const i = s.slice(1, -1);
        if (i === '*') next.push(...v);
        else if (/^-?\d+$/.test(i)) { const n = Number(i); const x = v[n < 0 ? v.length + n : n]; if (x !== undefined) next.push(x); }
      } else if (isMap(v) && s === '[*]') next.push(...Object.values(v));
    }
    cur = next;
  }
  return cur;
}
