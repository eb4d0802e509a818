// The controller's metrics: Bitnami's names (sealed_secrets_controller_*) and ours (cloak_*).
import { MetricsRegistry } from './registry.js';

export function createControllerMetrics(version: string) {
  const r = new MetricsRegistry();
  const buildInfo = r.gauge('sealed_secrets_controller_build_info', 'Build information.');
  buildInfo.set({ revision: version }, 1);
  const unsealRequests = r.counter('sealed_secrets_controller_unseal_requests_total', 'Total number of sealed secret unseal requests');
  unsealRequests.inc({}, 0); // exposed from the start, as Prometheus clients do for label-less counters
  const readsCoalesced = r.counter('cloak_provider_reads_coalesced_total', 'Provider reads saved by the shared read cache (served from a fresh entry or joined to one in flight)');
  readsCoalesced.inc({}, 0);
  return {
    registry: r,
    unsealRequests,
    unsealErrors: r.counter('sealed_secrets_controller_unseal_errors_total', 'Total number of sealed secret unseal errors by reason'),
    conditionInfo: r.gauge('sealed_secrets_controller_condition_info', 'Current SealedSecret condition status. Values are -1 (false), 0 (unknown or absent), 1 (true)'),
    httpRequests: r.counter('sealed_secrets_controller_http_requests_total', 'Total number of HTTP requests by path, code and method'),
    httpDuration: r.histogram('sealed_secrets_controller_http_request_duration_seconds', 'HTTP request duration by path and method'),
    reconcileDuration: r.histogram('cloak_sealedsecret_reconcile_duration_seconds', 'Time to reconcile one SealedSecret'),
    secretWrites: r.counter('cloak_sealedsecret_secret_writes_total', 'Secrets written by the controller by action (create, update)'),
    watchRestarts: r.counter('cloak_informer_restarts_total', 'Informer list/watch failures that led to a restart, by resource'),
    // ExternalSecrets: ESO's names, types, help and labels (esmetrics.go); reconcile_duration is a gauge in nanoseconds, as in ESO.
    esSyncCalls: r.counter('externalsecret_sync_calls_total', 'Total number of the External Secret sync calls'),
    esSyncErrors: r.counter('externalsecret_sync_calls_error', 'Total number of the External Secret sync errors'),
    esCondition: r.gauge('externalsecret_status_condition', 'The status condition of a specific External Secret'),
    esReconcileDuration: r.gauge('externalsecret_reconcile_duration', 'The duration time to reconcile the External Secret'),
    providerRequests: r.counter('cloak_provider_requests_total', 'Provider calls that reached a store (not served by the shared read cache), by store and op (get, map, find)'),
    readsCoalesced,
    // SecretStores / ClusterSecretStores: ESO's gauges (ssmetrics.go, cssmetrics.go), labels name, namespace, condition, status.
    ssCondition: r.gauge('secretstore_status_condition', 'The status condition of a specific Secret Store'),
    cssCondition: r.gauge('clustersecretstore_status_condition', 'The status condition of a specific Cluster Secret Store'),
  };
}

export type ControllerMetrics = ReturnType<typeof createControllerMetrics>;
