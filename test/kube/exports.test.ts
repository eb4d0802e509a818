// The public surface of test/support/kube (other helpers' tests build on it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as kube from '../support/kube/index.js';

test('index exports exactly the documented helpers', () => {
  assert.deepEqual(Object.keys(kube).sort(), ['Kubectl', 'client', 'eventually', 'kubectlPath', 'readManifests', 'startKubeApiServer']);
});

test('the KubeTestServer contract fields are present', async () => {
  const s = await kube.startKubeApiServer();
  try {
    for (const k of ['url', 'adminToken', 'kubeconfig', 'writeKubeconfig', 'registerServiceProxy', 'hooks', 'close'] as const) assert.ok(s[k] !== undefined, k);
    for (const k of ['requests', 'recorder', 'inject', 'closeWatches', 'compact', 'pauseWatches', 'resumeWatches', 'runGc'] as const) assert.ok(s.hooks[k] !== undefined, k);
    assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  } finally { await s.close(); }
});
