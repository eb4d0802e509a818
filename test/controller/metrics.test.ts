import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createControllerMetrics } from '../../controller/metrics/index.js';

test('renders Bitnami metric names in the Prometheus text format', () => {
  const m = createControllerMetrics('1.2.3');
  m.unsealRequests.inc();
  m.unsealErrors.inc({ reason: 'unseal', namespace: 'ns"1' });
  m.conditionInfo.set({ namespace: 'n', name: 's', condition: 'Synced', ss_app_kubernetes_io_instance: '' }, -1);
  m.httpDuration.observe({ path: '/v1/verify', method: 'POST' }, 0.02);
  const text = m.registry.render();
  assert.match(text, /^# TYPE sealed_secrets_controller_unseal_requests_total counter$/m);
  assert.match(text, /^sealed_secrets_controller_unseal_requests_total 1$/m);
  assert.match(text, /^sealed_secrets_controller_unseal_errors_total\{reason="unseal",namespace="ns\\"1"\} 1$/m);
  assert.match(text, /^sealed_secrets_controller_condition_info\{namespace="n",name="s",condition="Synced",ss_app_kubernetes_io_instance=""\} -1$/m);
  assert.match(text, /^sealed_secrets_controller_http_request_duration_seconds_bucket\{path="\/v1\/verify",method="POST",le="0.025"\} 1$/m);
  assert.match(text, /^sealed_secrets_controller_http_request_duration_seconds_count\{path="\/v1\/verify",method="POST"\} 1$/m);
  assert.match(text, /^sealed_secrets_controller_build_info\{revision="1.2.3"\} 1$/m);
  m.conditionInfo.remove((l) => l.name === 's');
  assert.doesNotMatch(m.registry.render(), /condition_info\{/);
});
