// ESO's refresh decision (externalsecret_controller.go shouldRefresh, shouldRefreshPeriodic,
// isSecretValid) and the requeue delay after a sync. Unlike ESO the periodic interval is jittered
// (±10 %, jitter.ts) both for "is a refresh due" and for the requeue, so the two always agree. When
// the last sync's data came from shared reads, the periodic due time counts from the oldest read's
// fetch instead (read-age.ts): given `heldFetchedAt`, both functions use it; without it they are ESO's.
import { dataHash, LABEL_MANAGED, ANNOTATION_DATA_HASH } from '../../src/external/index.js';
import type { ExternalSecretObject } from '../../src/manifests/external-types.js';
import { parseDuration } from '../config/duration.js';
import type { Json } from '../kube/index.js';
import { jitteredIntervalMs } from './jitter.js';
import { intervalFromFetchMs } from './read-age.js';
import { syncedResourceVersion } from './meta-hash.js';

export interface EsStatus {
  refreshTime?: string | null;
  syncedResourceVersion?: string;
  conditions?: Array<{ type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }>;
  binding?: { name?: string };
}

export const DEFAULT_REFRESH_INTERVAL = '1h';

/** spec.refreshInterval in ms (ESO's CRD default is 1h); throws on an unparseable value. */
export function refreshIntervalMs(es: ExternalSecretObject): number {
  const text = es.spec.refreshInterval ?? DEFAULT_REFRESH_INTERVAL;
  const ms = parseDuration(String(text));
  if (ms === undefined) throw new Error(`spec.refreshInterval ${JSON.stringify(text)} is not a duration`);
  return ms;
}

function statusOf(es: ExternalSecretObject): EsStatus { return (es.status ?? {}) as EsStatus; }
function refreshTimeMs(s: EsStatus): number | undefined {
  if (!s.refreshTime) return undefined;
  const t = Date.parse(s.refreshTime);
  return Number.isNaN(t) || t <= 0 ? undefined : t;
}

/** Synced before, and the spec or metadata changed since (a forced sync, e.g. the force-sync annotation). */
export function changedSinceSync(es: ExternalSecretObject): boolean {
  const synced = statusOf(es).syncedResourceVersion ?? '';
  return synced !== '' && synced !== syncedResourceVersion(es.metadata);
}

export function shouldRefresh(es: ExternalSecretObject, now: number, heldFetchedAt?: number): boolean {
  const s = statusOf(es);
  const synced = s.syncedResourceVersion ?? '';
  const refreshed = refreshTimeMs(s);
  const policy = es.spec.refreshPolicy;
  if (policy === 'CreatedOnce') return synced === '' || refreshed === undefined;
  if (policy === 'OnChange') return synced === '' || refreshed === undefined || changedSinceSync(es);
  const interval = refreshIntervalMs(es);
  if (interval <= 0 && synced !== '') return false;
  if (synced !== syncedResourceVersion(es.metadata)) return true;
  if (refreshed === undefined) return true;
  if (refreshed > now) return true;
  if (heldFetchedAt !== undefined) return heldFetchedAt + intervalFromFetchMs(interval, heldFetchedAt) <= now;
  return refreshed + jitteredIntervalMs(interval, es.metadata.uid, refreshed) <= now;
}

export function isSecretValid(secret: Readonly<Json> | undefined, es: ExternalSecretObject): boolean {
  if (es.spec.target?.creationPolicy === 'Orphan') return true;
  const m = (secret?.metadata ?? {}) as { uid?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  if (!secret || !m.uid) return false;
  if (m.labels?.[LABEL_MANAGED] !== 'true') return false;
  return m.annotations?.[ANNOTATION_DATA_HASH] === dataHash(decodeData(secret));
}

export function decodeData(secret: Readonly<Json>): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries((secret.data ?? {}) as Record<string, string>)) out[k] = new Uint8Array(Buffer.from(v, 'base64'));
  return out;
}

/**
 * Periodic refresh only: ms until refreshTime + jittered interval (ESO's getRequeueResult, plus
 * jitter); undefined means no requeue. `refreshTime` is the status value the next pass will see
 * (the sync's start, at second precision), so the requeue lands when shouldRefresh says "due".
 */
export function requeueAfterMs(es: ExternalSecretObject, refreshTime: number | undefined, now: number, heldFetchedAt?: number): number | undefined {
  const policy = es.spec.refreshPolicy;
  if (policy === 'CreatedOnce' || policy === 'OnChange') return undefined;
  const interval = refreshIntervalMs(es);
  if (interval <= 0) return undefined;
  if (heldFetchedAt !== undefined) return Math.max(0, heldFetchedAt + intervalFromFetchMs(interval, heldFetchedAt) - now);
  const since = refreshTime === undefined ? 0 : now - refreshTime;
  return Math.max(0, jitteredIntervalMs(interval, es.metadata.uid, refreshTime) - since);
}

export { refreshTimeMs, statusOf };
