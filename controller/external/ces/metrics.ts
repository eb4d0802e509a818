// ESO's ClusterExternalSecret gauges (cesmetrics.go): clusterexternalsecret_status_condition (labels
// name, namespace "" , condition, status; the current Ready status 1, the opposite 0) and
// clusterexternalsecret_reconcile_duration (nanoseconds, as ESO sets it; labels name, namespace).
// A deleted ClusterExternalSecret's series are removed.
import type { MetricsRegistry } from '../../metrics/index.js';

export class CesMetrics {
  private readonly condition;
  private readonly duration;

  constructor(registry: MetricsRegistry) {
    this.condition = registry.gauge('clusterexternalsecret_status_condition', 'The status condition of a specific Cluster External Secret');
    this.duration = registry.gauge('clusterexternalsecret_reconcile_duration', 'The duration time to reconcile the Cluster External Secret');
  }

  observe(name: string, ready: boolean, durationMs: number): void {
    const base = { name, namespace: '' };
    this.condition.set({ ...base, condition: 'Ready', status: ready ? 'False' : 'True' }, 0);
    this.condition.set({ ...base, condition: 'Ready', status: ready ? 'True' : 'False' }, 1);
    this.duration.set(base, Math.round(durationMs * 1e6));
  }

  remove(name: string): void {
    const match = (l: Record<string, string>) => l.name === name && l.namespace === '';
    this.condition.remove(match);
    this.duration.remove(match);
  }
}
