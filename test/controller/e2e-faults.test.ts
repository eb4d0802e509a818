// Watch and API faults: 410 after compaction, dropped watches, API 500s on writes, lists and watches,
// half-open watches.
// No Secret is lost: every SealedSecret ends up with its Secret, without a periodic resync to help.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decoded, ensureNamespace, fetchCert, getOrUndefined, seal, secretPath, ssPath, startCluster, startController, waitFor,
} from '../support/controller/harness.js';

const NS = 'faults';

test('410, dropped watches and API 500s lose no Secret', async () => {
  const cluster = await startCluster();
  const ctl = await startController(cluster, ['--resync-period=0', '--watch-idle-timeout=3s', '--max-unseal-retries=20']);
  try {
    await ensureNamespace(cluster.client, NS);
    const cert = await waitFor('key', () => fetchCert(ctl.api), 30_000, ctl.logs);
    const hooks = cluster.server.hooks;
    const want = new Map<string, string>();
    const create = async (name: string) => {
      want.set(name, `v-${name}`);
      await cluster.client.request('POST', ssPath(NS), { body: seal(cert, { name, namespace: NS, data: { v: `v-${name}` } }) });
    };
    await create('before');
    await waitFor('first Secret', async () => decoded(await getOrUndefined(cluster.client, secretPath(NS, 'before'))).v === 'v-before', 30_000, ctl.logs);

    // 1. Compaction: resuming watches get 410 Expired and must relist.
    hooks.compact();
    for (let i = 0; i < 3; i++) await create(`compact-${i}`);
    hooks.closeWatches();
    for (let i = 0; i < 3; i++) await create(`after-compact-${i}`);

    // 2. Dropped watches, while objects change.
    for (let round = 0; round < 3; round++) {
      hooks.closeWatches();
      await create(`dropped-${round}`);
    }

    // 3. API 500s: Secret writes, status patches, lists and re-watches fail for a while.
    hooks.inject({ method: 'POST', path: `/api/v1/namespaces/${NS}/secrets`, status: 500, count: 4 });
    hooks.inject({ method: 'PATCH', path: new RegExp(`/namespaces/${NS}/sealedsecrets/[^/]+/status`), status: 500, count: 3 });
    hooks.inject({ watch: true, status: 500, count: 4 });
    hooks.inject({ method: 'GET', path: /\/sealedsecrets(\?|$)/, watch: false, status: 503, count: 2 });
    hooks.closeWatches();
    for (let i = 0; i < 4; i++) await create(`flaky-${i}`);

    // 4. A Secret deleted while watches are down is recreated after they come back.
    hooks.inject({ watch: true, status: 500, count: 2 });
    hooks.closeWatches();
    await cluster.client.request('DELETE', secretPath(NS, 'before'));

    // 5. Half-open watches (events held back): the idle watchdog relists.
    hooks.pauseWatches();
    await create('while-paused');
    await waitFor('Secret while-paused', async () => decoded(await getOrUndefined(cluster.client, secretPath(NS, 'while-paused'))).v === 'v-while-paused', 60_000, ctl.logs);
    hooks.resumeWatches();

    for (const [name, v] of want) {
      await waitFor(`Secret ${name}`, async () => decoded(await getOrUndefined(cluster.client, secretPath(NS, name))).v === v, 60_000, ctl.logs);
    }
    const text = await (await fetch(`${ctl.metrics}/metrics`)).text();
    assert.match(text, /cloak_informer_restarts_total\{resource="(sealedsecrets|secrets)"\} [1-9]/);
  } finally {
    await ctl.stop();
    await cluster.close();
  }
});
