// ESO's store condition gauges (secretstore/metrics UpdateStatusCondition): the current Ready
// status is 1 and the opposite one 0; labels name, namespace ("" for a ClusterSecretStore),
// condition, status. A deleted store's series are removed.
import type { SecretStoreObject } from '../../../src/manifests/external-types.js';
import type { ControllerMetrics } from '../../metrics/index.js';

type Gauge = ControllerMetrics['ssCondition'];

function gaugeFor(metrics: Pick<ControllerMetrics, 'ssCondition' | 'cssCondition'>, store: SecretStoreObject): Gauge {
  return store.kind === 'ClusterSecretStore' ? metrics.cssCondition : metrics.ssCondition;
}

function base(store: SecretStoreObject) {
  return { name: store.metadata.name ?? '', namespace: store.kind === 'ClusterSecretStore' ? '' : store.metadata.namespace ?? '' };
}

export function observeStoreCondition(metrics: Pick<ControllerMetrics, 'ssCondition' | 'cssCondition'>, store: SecretStoreObject, ready: boolean): void {
  const g = gaugeFor(metrics, store);
  const b = base(store);
  g.set({ ...b, condition: 'Ready', status: ready ? 'False' : 'True' }, 0);
  g.set({ ...b, condition: 'Ready', status: ready ? 'True' : 'False' }, 1);
}

export function removeStoreMetrics(metrics: Pick<ControllerMetrics, 'ssCondition' | 'cssCondition'>, store: SecretStoreObject): void {
  const b = base(store);
  gaugeFor(metrics, store).remove((l) => l.name === b.name && l.namespace === b.namespace);
}
