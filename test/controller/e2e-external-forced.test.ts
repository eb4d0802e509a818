// A forced sync (any annotation change, ESO's force-sync recipe) reads every value fresh: it must
// never mix a value changed just before with a shared read another ExternalSecret made earlier.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startVaultServer, type VaultTestServer } from '../support/vault/index.js';
import {
  createEs, createSecret, createStore, forceSync, getEs, namespaces, startExternalEnv, textOf, waitSecret, waitSynced, waitFor, type ExternalEnv,
} from '../support/controller/external-harness.js';

const NS = 'forced';
let env: ExternalEnv;
let vault: VaultTestServer;

before(async () => {
  vault = await startVaultServer();
  await vault.seed({ kv: { 'secret/app': { password: 'one' } } });
  env = await startExternalEnv();
  await namespaces(env.c, NS);
  await createSecret(env.c, NS, 'vault-token', { token: vault.rootToken });
  await createStore(env.c, NS, 'vault', { vault: { server: vault.url, path: 'secret', version: 'v2', auth: { tokenSecretRef: { name: 'vault-token', key: 'token' } } } });
});
after(async () => {
  await env?.close();
  await vault?.close();
});

test('a forced sync does not mix a fresh value with an older shared read of the same key', async () => {
  const ref = { kind: 'SecretStore', name: 'vault' };
  await createEs(env.c, NS, 'live', { refreshInterval: '1s', secretStoreRef: ref, data: [{ secretKey: 'password', remoteRef: { key: 'app', property: 'password' } }] });
  await createEs(env.c, NS, 'app', {
    refreshInterval: '1h', secretStoreRef: ref,
    dataFrom: [{ extract: { key: 'app' } }],
    data: [{ secretKey: 'current', remoteRef: { key: 'app', property: 'password' } }],
  });
  await waitSynced(env, NS, 'app');
  await waitSecret(env, NS, 'app', (s) => textOf(s).current === 'one');
  // `live` re-reads the key after `app`'s sync, so the shared cache holds a read newer than app's last one.
  const appSynced = (await getEs(env.c, NS, 'app')).status?.refreshTime ?? '';
  await waitFor('live refreshed after app', async () => ((await getEs(env.c, NS, 'live')).status?.refreshTime ?? '') > appSynced, 30_000, env.ctl.logs);

  await vault.seed({ kv: { 'secret/app': { password: 'two' } } });
  await forceSync(env.c, NS, 'app');
  const s = await waitSecret(env, NS, 'app', (x) => textOf(x).password === 'two' || textOf(x).current === 'two', 'picked up the change');
  await waitSynced(env, NS, 'app');
  assert.deepEqual(textOf(s), { password: 'two', current: 'two' }, 'both entries read the value as of the forced sync');
});
