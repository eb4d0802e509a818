// The controller's Kubernetes client bounds every request by a timeout (a server that stops answering
// must not hold a Lease renewal or an informer LIST forever); watches are excluded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKubeApiServer } from '../support/kube/index.js';
import { createKubeClient, KubeApiError, loadKubeConfig } from '../../controller/kube/index.js';

async function withServer(fn: (s: Awaited<ReturnType<typeof startKubeApiServer>>, kubeconfig: string) => Promise<void>): Promise<void> {
  const server = await startKubeApiServer({});
  const dir = mkdtempSync(join(tmpdir(), 'cloak-rel-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, server.kubeconfig());
  try { await fn(server, kubeconfig); } finally { await server.close(); rmSync(dir, { recursive: true, force: true }); }
}

test('a request the API server does not answer fails with a Timeout error after timeoutMs', async () => {
  await withServer(async (server, kubeconfig) => {
    const client = createKubeClient(loadKubeConfig(kubeconfig), { qps: 0, burst: 1, timeoutMs: 300 });
    await client.request('GET', '/api/v1/namespaces/default'); // answered: the timer does not fire later
    server.hooks.inject({ method: 'GET', path: '/api/v1/namespaces/default', delayMs: 3_000 });
    const t0 = Date.now();
    await assert.rejects(client.request('GET', '/api/v1/namespaces/default'), (e: unknown) => {
      assert.ok(e instanceof KubeApiError);
      assert.equal(e.reason, 'Timeout');
      assert.match(e.message, /no answer within 300 ms/);
      return true;
    });
    const took = Date.now() - t0;
    assert.ok(took >= 250 && took < 2_000, `timed out after ${took} ms`);
    // The client still works afterwards.
    const ns = await client.request<{ metadata: { name: string } }>('GET', '/api/v1/namespaces/default');
    assert.equal(ns.metadata.name, 'default');
  });
});

test('watches outlive the request timeout', async () => {
  await withServer(async (server, kubeconfig) => {
    const client = createKubeClient(loadKubeConfig(kubeconfig), { qps: 0, burst: 1, timeoutMs: 300 });
    let ended: unknown = 'open';
    const events: string[] = [];
    const w = await client.watch('/api/v1/namespaces/default/configmaps', {}, (type, obj) => {
      events.push(`${type} ${(obj.metadata as { name: string }).name}`);
    }, (err) => { ended = err ?? 'closed'; });
    await new Promise((r) => setTimeout(r, 800));
    await client.request('POST', '/api/v1/namespaces/default/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late' } } });
    const deadline = Date.now() + 3_000;
    while (!events.includes('ADDED late') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(events, ['ADDED late'], 'the watch still delivers events after the request timeout');
    assert.equal(ended, 'open');
    w.abort();
    void server;
  });
});
