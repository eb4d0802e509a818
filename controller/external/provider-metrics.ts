// Our provider metrics: cloak_provider_requests_total{store,op} for every call that reaches a store,
// and cloak_provider_reads_coalesced_total, the reads the shared read cache saved (fresh hits plus
// callers joined to a read in flight), taken from its counters after each resolve.
import type { ReadCache } from '../../src/providers/shared/read-cache.js';
import type { StoreIdentity } from '../../src/providers/types.js';
import type { ControllerMetrics } from '../metrics/index.js';

export function storeMetricLabel(s: StoreIdentity): string {
  return `${s.kind}/${s.namespace ? `${s.namespace}/` : ''}${s.name}`;
}

export function providerObservers(reads: ReadCache, metrics: Pick<ControllerMetrics, 'providerRequests' | 'readsCoalesced'>) {
  let counted = 0;
  return {
    onProviderCall: (store: StoreIdentity, op: string) => metrics.providerRequests.inc({ store: storeMetricLabel(store), op }),
    afterResolve: () => {
      const s = reads.stats();
      const saved = s.hits + s.coalesced;
      if (saved > counted) metrics.readsCoalesced.inc({}, saved - counted);
      counted = saved;
    },
  };
}
