// Tampered and malformed SealedSecrets through `cloak validate -f` against the
// real cloak-controller (through the test API server's service proxy): the controller's verdict
// matches offline unseal (or Bitnami's /v1/verify where it differs), every refusal is one line, and
// the controller keeps answering after all of them.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { ensureNamespace, fetchCert, startCluster, startController, waitFor, type Cluster, type ControllerProc } from '../support/controller/harness.js';
import { tempDir } from '../support/temp-dir.js';
import { corpus, MARKER } from './harness.js';
import { sealedCases } from './sealed-variants.js';

const dir = tempDir('cloak-bad-ctl-');
let cluster: Cluster | undefined;
let ctl: ControllerProc | undefined;
after(async () => { await ctl?.stop(); await cluster?.close(); });

corpus('bad SealedSecrets: validate against the controller', async () => {
  cluster = await startCluster();
  await ensureNamespace(cluster.client, 'ns1');
  ctl = await startController(cluster, ['--key-renew-period=0']);
  const c = ctl;
  await waitFor('the first key', () => fetchCert(c.api), 60_000, c.logs);
  await cluster.client.request('POST', '/api/v1/namespaces/kube-system/services', {
    body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'cloak-controller', namespace: 'kube-system' }, spec: { ports: [{ name: 'http', port: 8080 }], selector: { name: 'cloak-controller' } } },
  });
  await cluster.server.registerServiceProxy('kube-system', 'cloak-controller', c.api);
  const cert = join(dir, 'cert.pem');
  writeFileSync(cert, await (await fetch(`${c.api}/v1/cert.pem`)).text());
  return sealedCases('online', { cert, env: { KUBECONFIG: cluster.kubeconfig } });
});

it('the controller is still healthy and logged no planted value', async () => {
  assert.ok(ctl);
  assert.equal((await fetch(`${ctl.api}/healthz`)).status, 200);
  assert.ok(!ctl.logs.join('\n').includes(MARKER), 'a planted value reached the controller log');
});
