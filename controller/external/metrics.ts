// ESO's ExternalSecret metrics (pkg/controllers/externalsecret/esmetrics): sync_calls_total and
// sync_calls_error by name/namespace, status_condition as a 1/0 gauge per condition and status
// (the opposite status set to 0, both removed when the ExternalSecret is gone), reconcile_duration
// as a gauge in nanoseconds. Labels are object names only; never values.
type Labels = Record<string, string>;
interface Counter { inc(labels?: Labels, by?: number): void }
interface Gauge { set(labels: Labels, value: number): void; remove(match: (l: Labels) => boolean): void }

export interface ExternalSecretMetrics {
  syncCalls: Counter;
  syncErrors: Counter;
  condition: Gauge;
  duration: Gauge;
}

export function recordReady(m: ExternalSecretMetrics | undefined, namespace: string, name: string, status: string): void {
  if (!m) return;
  const base = { name, namespace, condition: 'Ready' };
  const opposite = status === 'True' ? 'False' : status === 'False' ? 'True' : undefined;
  if (opposite) m.condition.set({ ...base, status: opposite }, 0);
  m.condition.set({ ...base, status }, 1);
}

export function forgetExternalSecret(m: ExternalSecretMetrics | undefined, namespace: string, name: string): void {
  m?.condition.remove((l) => l.namespace === namespace && l.name === name);
}
