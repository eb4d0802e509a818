// ESO's syncedResourceVersion: `<generation>-<HashMeta>`, where HashMeta is hex SHA3-224 of Go's
// `fmt.Sprintf("%+v", meta{annotations, labels})` (pkg/controllers/util/util.go), i.e.
// `{annotations:map[k:v ...] labels:map[k:v ...]}` with map keys sorted bytewise.
import { createHash } from 'node:crypto';

function goMap(m: Record<string, string> | undefined): string {
  const keys = Object.keys(m ?? {}).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return `map[${keys.map((k) => `${k}:${m![k]}`).join(' ')}]`;
}

export function hashMeta(meta: { annotations?: Record<string, string>; labels?: Record<string, string> }): string {
  return createHash('sha3-224').update(`{annotations:${goMap(meta.annotations)} labels:${goMap(meta.labels)}}`).digest('hex');
}

export function syncedResourceVersion(meta: { generation?: number; annotations?: Record<string, string>; labels?: Record<string, string> }): string {
  return `${meta.generation ?? 0}-${hashMeta(meta)}`;
}
