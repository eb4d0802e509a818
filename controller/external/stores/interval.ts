// How often a store is re-validated: ESO's `spec.refreshInterval` (int seconds, or since #2977 a Go
// duration string); 0 or empty means the controller default (`--store-requeue-interval`, 5m).
import type { SecretStoreObject } from '../../../src/manifests/external-types.js';
import { parseDuration } from '../../config/duration.js';

export const DEFAULT_STORE_REQUEUE_MS = 5 * 60_000;

/** ms until the next validation; an unparseable value falls back to the default (the CRD rejects it at admission). */
export function storeRefreshMs(store: SecretStoreObject, defaultMs = DEFAULT_STORE_REQUEUE_MS): number {
  const v = store.spec?.refreshInterval;
  let ms: number | undefined;
  if (typeof v === 'number') ms = Number.isFinite(v) && v > 0 ? v * 1000 : 0;
  else if (typeof v === 'string' && v.trim() !== '') ms = /^\d+$/.test(v.trim()) ? Number(v.trim()) * 1000 : parseDuration(v);
  return ms === undefined || ms <= 0 ? defaultMs : ms;
}
