// Which SealedSecrets a controller watches: --all-namespaces=false, --additional-namespaces, --label-selector;
// SIGUSR1; and `--version` / bad flags as Bitnami's controller answers them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  CONTROLLER_MAIN, decoded, ensureNamespace, fetchCert, getOrUndefined, seal, secretPath, ssPath, startCluster, startController, waitFor,
} from '../support/controller/harness.js';

const run = promisify(execFile);

test('--version and a bad flag', async () => {
  const v = await run(process.execPath, [CONTROLLER_MAIN, '--version']);
  assert.match(v.stdout, /^controller version: \d+\.\d+\.\d+/);
  await assert.rejects(run(process.execPath, [CONTROLLER_MAIN, '--key-renew-period=soon']), (e: { code?: number; stderr?: string }) => e.code === 1 && /--key-renew-period/.test(e.stderr ?? ''));
});

test('only the controller namespace, the additional namespaces and matching labels are unsealed', async () => {
  const cluster = await startCluster();
  const ctl = await startController(cluster, ['--all-namespaces=false', '--additional-namespaces=extra', '--label-selector=team=a']);
  try {
    for (const ns of ['extra', 'ignored']) await ensureNamespace(cluster.client, ns);
    const cert = await waitFor('key', () => fetchCert(ctl.api), 30_000, ctl.logs);
    const put = (ns: string, name: string, labels?: Record<string, string>) => {
      const o = seal(cert, { name, namespace: ns, data: { v: name } });
      if (labels) o.metadata.labels = labels;
      return cluster.client.request('POST', ssPath(ns), { body: o });
    };
    await put('ignored', 'outside', { team: 'a' });
    await put('extra', 'unlabelled');
    await put('extra', 'labelled', { team: 'a' });
    await put('kube-system', 'home', { team: 'a' });
    await waitFor('extra/labelled', async () => decoded(await getOrUndefined(cluster.client, secretPath('extra', 'labelled'))).v === 'labelled', 30_000, ctl.logs);
    await waitFor('kube-system/home', async () => decoded(await getOrUndefined(cluster.client, secretPath('kube-system', 'home'))).v === 'home', 30_000, ctl.logs);
    assert.equal(await getOrUndefined(cluster.client, secretPath('ignored', 'outside')), undefined);
    assert.equal(await getOrUndefined(cluster.client, secretPath('extra', 'unlabelled')), undefined);
    const outside = await cluster.client.request<{ status?: unknown }>('GET', ssPath('ignored', 'outside'));
    assert.equal(outside.status, undefined, 'not touched at all');

    // SIGUSR1 makes a new sealing key, as in Bitnami.
    ctl.proc.kill('SIGUSR1');
    const fresh = await waitFor('a second key', async () => { const c = await fetchCert(ctl.api); return c.fingerprint !== cert.fingerprint ? c : undefined; }, 30_000, ctl.logs);
    const keys = await cluster.client.request<{ items: unknown[] }>('GET', secretPath('kube-system'), { query: { labelSelector: 'sealedsecrets.bitnami.com/sealed-secrets-key=active' } });
    assert.equal(keys.items.length, 2);
    assert.ok(fresh.notAfter > new Date());
  } finally {
    await ctl.stop();
    await cluster.close();
  }
});
