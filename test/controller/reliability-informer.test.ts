// Readiness follows the informer: a relist that never answers (or keeps failing) turns hasSynced — what
// /readyz is built from — false after stallMs, and true again once a list succeeds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKubeApiServer } from '../support/kube/index.js';
import { createKubeClient, loadKubeConfig } from '../../controller/kube/index.js';
import { Informer } from '../../controller/runtime/index.js';
import { createLogger } from '../../controller/log.js';

const until = async (what: string, fn: () => boolean, ms: number) => {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

test('a stalled relist makes the informer unready after stallMs; it recovers when the list answers', async () => {
  const server = await startKubeApiServer({});
  const dir = mkdtempSync(join(tmpdir(), 'cloak-rel-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, server.kubeconfig());
  const path = '/api/v1/namespaces/default/configmaps';
  const informer = new Informer({
    name: 'cm', path, client: createKubeClient(loadKubeConfig(kubeconfig), { qps: 0, burst: 1, timeoutMs: 400 }),
    log: createLogger({ level: 'error', format: 'json', infoToStdout: false }), stallMs: 1_500, backoffBaseMs: 100, backoffMaxMs: 200,
  });
  try {
    informer.start();
    await informer.synced;
    assert.equal(informer.hasSynced, true);
    server.hooks.inject({ method: 'GET', path, watch: false, delayMs: 5_000, count: 1_000 });
    informer.relist();
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, 1_000));
    assert.equal(informer.hasSynced, true, 'a short relist does not cost readiness');
    await until('unready', () => !informer.hasSynced, 3_000);
    const took = Date.now() - t0;
    assert.ok(took >= 1_400 && took < 3_000, `unready after ${took} ms`);
    server.hooks.clearInjections();
    await until('ready again', () => informer.hasSynced, 5_000);
  } finally {
    server.hooks.clearInjections();
    await informer.stop();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
