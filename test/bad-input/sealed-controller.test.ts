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
import { sealedCases, sealedVariantTexts } from './sealed-variants.js';
import { readDocuments } from '../../src/manifests/index.js';
import { getOrUndefined, seal, secretPath, ssPath, synced } from '../support/controller/harness.js';
import { readCertificate } from '../../src/crypto/index.js';
import { readFileSync } from 'node:fs';

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

it('applied to the cluster, bad SealedSecrets each get a clear condition and a good one applied after them still syncs', { timeout: 120_000 }, async () => {
  assert.ok(cluster && ctl);
  const c = cluster.client;
  const cert = join(dir, 'cert.pem');
  let applied = 0;
  let refused = 0;
  const names: string[] = [];
  for (const [i, v] of sealedVariantTexts(cert).entries()) {
    let docs: ReturnType<typeof readDocuments>;
    try { docs = readDocuments(Buffer.isBuffer(v.text) ? v.text.toString('utf8') : v.text, v.name); } catch { refused++; continue; }
    for (const [j, d] of docs.entries()) {
      const o = d.object as Record<string, unknown>;
      if (o['kind'] !== 'SealedSecret') continue;
      const name = `bad-${i}-${j}`;
      o['metadata'] = { ...(typeof o['metadata'] === 'object' && o['metadata'] && !Array.isArray(o['metadata']) ? o['metadata'] as object : {}), name, namespace: 'ns1' };
      o['apiVersion'] = 'bitnami.com/v1alpha1';
      try { await c.request('POST', ssPath('ns1'), { body: o }); applied++; names.push(name); } catch { refused++; }
    }
  }
  assert.ok(applied > 20, `only ${applied} bad objects applied (${refused} refused by the API server)`);
  const good = seal(readCertificate(readFileSync(cert, 'utf8'), 'controller'), { name: 'after-the-bad-ones', namespace: 'ns1', data: { password: 'fine' } });
  await c.request('POST', ssPath('ns1'), { body: good });
  await waitFor('the good SealedSecret applied after the bad ones', () => getOrUndefined(c, secretPath('ns1', 'after-the-bad-ones')), 60_000, ctl.logs);
  for (const name of names) {
    const cond = await waitFor(`${name} has a Synced condition`, async () => synced(await getOrUndefined(c, ssPath('ns1', name))), 60_000, ctl.logs);
    if (cond.status === 'False') {
      assert.ok(cond.message && !cond.message.includes('\n') && !/\n\s+at |TypeError|is not a function|undefined/.test(cond.message), `${name}: ${cond.message}`);
      assert.ok(!cond.message.includes(MARKER), `${name}: the condition holds the planted value`);
    }
  }
  console.log(`# bad-input applied to the controller: ${applied} applied, ${refused} refused by the API server, all with a Synced condition`);
});

it('the controller is still healthy and logged no planted value', async () => {
  assert.ok(ctl);
  assert.equal((await fetch(`${ctl.api}/healthz`)).status, 200);
  assert.ok(!ctl.logs.join('\n').includes(MARKER), 'a planted value reached the controller log');
});
