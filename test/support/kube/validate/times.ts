// Typed decoding rewrites timestamps of built-in kinds: metav1.Time to RFC 3339 seconds,
// metav1.MicroTime to six fractional digits. Custom resources keep what was sent.
import type { KObject, ResourceDef } from '../types.js';
import { isMap } from '../types.js';
import { badRequest } from '../status.js';

type Kind = 'time' | 'micro';
const FIELDS: Record<string, Array<[string, Kind]>> = {
  'coordination.k8s.io/Lease': [['spec.acquireTime', 'micro'], ['spec.renewTime', 'micro']],
  '/Event': [['firstTimestamp', 'time'], ['lastTimestamp', 'time'], ['eventTime', 'micro'], ['series.lastObservedTime', 'micro']],
  'events.k8s.io/Event': [['eventTime', 'micro'], ['series.lastObservedTime', 'micro'], ['deprecatedFirstTimestamp', 'time'], ['deprecatedLastTimestamp', 'time']],
};

const RE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/;

export function formatTime(value: string, kind: Kind): string | undefined {
  const m = value.match(RE);
  if (!m) return undefined;
  const d = new Date(`${m[1]}${m[3]}`);
  if (Number.isNaN(d.getTime())) return undefined;
  const secs = d.toISOString().slice(0, 19);
  return kind === 'time' ? `${secs}Z` : `${secs}.${(m[2] ?? '').padEnd(6, '0').slice(0, 6)}Z`;
}

export function normalizeTimes(def: ResourceDef, o: KObject): void {
  if (def.custom) return;
  for (const [path, kind] of FIELDS[`${def.group}/${def.kind}`] ?? []) {
    const parts = path.split('.');
    let parent: unknown = o;
    for (const p of parts.slice(0, -1)) parent = isMap(parent) ? parent[p] : undefined;
    const last = parts[parts.length - 1]!;
    if (!isMap(parent) || parent[last] === undefined || parent[last] === null) continue;
    const v = parent[last];
    const out = typeof v === 'string' ? formatTime(v, kind) : undefined;
    if (!out) throw badRequest(`${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: parsing time ${JSON.stringify(String(v))} as "${kind === 'micro' ? '2006-01-02T15:04:05.000000Z07:00' : '2006-01-02T15:04:05Z07:00'}": cannot parse ${JSON.stringify(String(v))}`);
    parent[last] = out;
  }
}
