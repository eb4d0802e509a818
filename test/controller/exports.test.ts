// Pins each controller folder's public surface so changes show in review.
import { test } from 'node:test';
import assert from 'node:assert/strict';

const EXPECTED: Record<string, string[]> = {
  config: ['FLAGS', 'formatDuration', 'helpText', 'loadConfig', 'parseDuration', 'parseKeyValues', 'parseListenAddr'],
  kube: ['KubeApiError', 'createKubeClient', 'isAlreadyExists', 'isConflict', 'isNotFound', 'isTransient', 'loadKubeConfig'],
  runtime: ['Informer', 'LeaderElector', 'TokenBucket', 'WorkQueue', 'applyEvent', 'applyList', 'backoff', 'metadataOnly', 'microTime', 'objectKey', 'resourceVersionOf', 'withoutManagedFields'],
  keys: ['KeyManager', 'KeyRegistry', 'derivedSuffix', 'parseKeySecret'],
  sealed: ['ANNOTATION_MANAGED', 'ANNOTATION_PATCH', 'ANNOTATION_UNSEALED_WITH', 'DecryptPool', 'ResultCache', 'SealedSecretController', 'isControlledBy',
    'loadTemplateEngine', 'nextStatus', 'planApply', 'reconcileSealedSecret', 'renderSecretTemplate', 'resealSealedSecret', 'sameContent', 'stableJson',
    'syncedCondition', 'unsealInputHash'],
  http: ['ClientRateLimiter', 'createApiServer', 'isCannotDecrypt', 'parseSealedSecret', 'sealedSecretHandlers'],
  metrics: ['MetricsRegistry', 'createControllerMetrics', 'createMetricsServer'],
  events: ['EventReason', 'createEventRecorder'],
};

for (const [folder, names] of Object.entries(EXPECTED)) {
  test(`controller/${folder} exports`, async () => {
    const mod = (await import(`../../controller/${folder}/index.js`)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(mod).sort(), names);
  });
}
