// ExternalSecrets backed by the Vault test server, through the real cloak-controller (under the deploy/
// RBAC, with its ServiceAccount's token) and the test API server with the real CRDs: token, appRole and kubernetes auth (the controller mints a ServiceAccount
// token via TokenRequest; Vault checks it with a TokenReview against the same API server), KV v2 and
// v1, property, version, dataFrom extract and find (path + name regexp, custom_metadata tags), values
// of every JSON type byte for byte as ESO produces them, and Vault going down (Secret kept
// byte-identical, Ready=False names the entry and the reason) and coming back (the ES recovers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startVaultServer } from '../support/vault/index.js';
import {
  bytesOf, createEs, readyOf, createSecret, createServiceAccount, createStore, eventsFor, getSecret, leakedIn, namespaces,
  startExternalEnv, textOf, waitEs, waitFailed, waitSecret, waitSynced,
} from '../support/controller/external-harness.js';

// Every type a JSON decoder can produce. Written raw, so Vault (json.Number) keeps the numbers' text.
const TYPES_JSON = '{"s":"plain","n":42,"f":1.5,"big":12345678901234567890,"tiny":1e-7,"t":true,"nul":null,' +
  '"obj":{"html":"<a&b>","n":1e-7,"big":12345678901234567890},"arr":["x",2],"strs":["a","b"]}';

// What ESO v0.x–v2.x produces for TYPES_JSON (checked with Go's encoding/json + strconv, as in
// esutils.GetByteValue, Vault's UseNumber decoding and gjson's Result.String()):
// data[].remoteRef.property on a top-level key → GetByteValue of the json.Number-decoded value.
const PROPERTY = {
  s: 'plain', n: '42', f: '1.5', big: '12345678901234567890', tiny: '1e-7', t: 'true', nul: '',
  obj: '{"big":12345678901234567890,"html":"\\u003ca\\u0026b\\u003e","n":1e-7}', arr: '["x",2]', strs: '["a","b"]',
};
// gjson paths into nested values: strings unescaped, all-digit numbers raw, others FormatFloat('f').
const NESTED = { 'obj.html': '<a&b>', 'obj.big': '12345678901234567890', 'obj.n': '0.0000001', 'arr.1': '2' };
// No property: json.Marshal of the whole map (sorted keys, HTML-escaped).
const WHOLE = '{"arr":["x",2],"big":12345678901234567890,"f":1.5,"n":42,"nul":null,"obj":{"big":12345678901234567890,"html":"\\u003ca\\u0026b\\u003e","n":1e-7},"s":"plain","strs":["a","b"],"t":true,"tiny":1e-7}';
// dataFrom.extract: json.Unmarshal (float64, no UseNumber) then GetByteValue per top-level key.
const EXTRACT = {
  s: 'plain', n: '42', f: '1.5', big: '12345678901234567000', tiny: '0.0000001', t: 'true', nul: '',
  obj: '{"big":12345678901234567000,"html":"\\u003ca\\u0026b\\u003e","n":1e-7}', arr: '["x",2]', strs: '["a","b"]',
};

const POLICY = 'path "secret/*" { capabilities = ["read", "list"] }\npath "kv1/*" { capabilities = ["read", "list"] }';

test('Vault: token, appRole and kubernetes auth; KV v2/v1, property, version, extract, find; provider down and back', async () => {
  let env: Awaited<ReturnType<typeof startExternalEnv>> | undefined;
  let vault: Awaited<ReturnType<typeof startVaultServer>> | undefined;
  try {
    env = await startExternalEnv({ rbac: true,
      beforeController: async (cluster) => {
        vault = await startVaultServer({ rootToken: 'root', kubeApi: { url: cluster.server.url, token: cluster.server.adminToken } });
      },
    });
    const { c } = env;
    const v = vault!;
    const seeded = await v.seed({
      mounts: { 'kv1/': { version: 1 } },
      policies: { read: POLICY },
      kv: {
        'secret/app': [{ password: 'first-pw' }, { password: 'second-pw', user: 'svc' }],
        'secret/team/a/db': { url: 'postgres://a' },
        'secret/team/a/api': { key: 'a-api' },
        'secret/team/b/db': { url: 'postgres://b' },
        'kv1/legacy': { token: 'v1-token', port: 5432 },
      },
      customMetadata: { 'secret/team/a/api': { env: 'prod', team: 'a' }, 'secret/team/b/db': { env: 'prod', team: 'b' }, 'secret/team/a/db': { env: 'dev', team: 'a' } },
      tokens: { reader: { policies: ['read'], ttl: '1h' } },
      auth: {
        approle: { type: 'approle', roles: { ci: { token_policies: ['read'], token_ttl: '1h' } } },
        kubernetes: { type: 'kubernetes', roles: {
          reader: { bound_service_account_names: ['vault-reader'], bound_service_account_namespaces: ['vk8s'], token_policies: ['read'], token_ttl: '1h' },
          // Vault asks the TokenReview for this audience: the token must have been requested for it
          aud: { bound_service_account_names: ['vault-reader'], bound_service_account_namespaces: ['vk8s'], audience: 'vault', token_policies: ['read'], token_ttl: '1h' },
        } },
      },
    });
    const raw = await fetch(`${v.url}/v1/secret/data/types`, { method: 'POST', headers: { 'X-Vault-Token': 'root', 'Content-Type': 'application/json' }, body: `{"data":${TYPES_JSON}}` });
    assert.equal(raw.status, 200, await raw.text());

    await namespaces(c, 'vtoken', 'vapprole', 'vk8s', 'vv1');
    const server = v.url;
    // token auth (a scoped token, not root)
    await createSecret(c, 'vtoken', 'vault-token', { token: seeded.tokens.reader! });
    await createStore(c, 'vtoken', 'vault', { vault: { server, path: 'secret', version: 'v2', auth: { tokenSecretRef: { name: 'vault-token', key: 'token' } } } });
    // no store path: the first key segment is the mount (ESO's buildPath), and find needs a path
    await createStore(c, 'vtoken', 'vault-nopath', { vault: { server, version: 'v2', auth: { tokenSecretRef: { name: 'vault-token', key: 'token' } } } });
    // appRole: roleId inline, secretId from a Secret
    await createSecret(c, 'vapprole', 'approle', { 'secret-id': seeded.approle.ci!.secretId });
    await createStore(c, 'vapprole', 'vault', { vault: { server, path: 'secret', version: 'v2', auth: { appRole: { path: 'approle', roleId: seeded.approle.ci!.roleId, secretRef: { name: 'approle', key: 'secret-id' } } } } });
    // kubernetes auth: the controller asks the API server for a token of vault-reader
    await createServiceAccount(c, 'vk8s', 'vault-reader');
    await createStore(c, 'vk8s', 'vault', { vault: { server, path: 'secret', version: 'v2', auth: { kubernetes: { mountPath: 'kubernetes', role: 'reader', serviceAccountRef: { name: 'vault-reader' } } } } });
    await createStore(c, 'vk8s', 'vault-aud', { vault: { server, path: 'secret', version: 'v2', auth: { kubernetes: { mountPath: 'kubernetes', role: 'aud', serviceAccountRef: { name: 'vault-reader', audiences: ['vault'] } } } } });
    await createServiceAccount(c, 'vk8s', 'intruder');
    await createStore(c, 'vk8s', 'vault-intruder', { vault: { server, path: 'secret', version: 'v2', auth: { kubernetes: { mountPath: 'kubernetes', role: 'reader', serviceAccountRef: { name: 'intruder' } } } } });
    // KV v1 with token auth
    await createSecret(c, 'vv1', 'vault-token', { token: seeded.tokens.reader! });
    await createStore(c, 'vv1', 'vault', { vault: { server, path: 'kv1', version: 'v1', auth: { tokenSecretRef: { name: 'vault-token', key: 'token' } } } });

    const ref = { name: 'vault', kind: 'SecretStore' };
    await createEs(c, 'vtoken', 'app', {
      refreshInterval: '1h', secretStoreRef: ref,
      dataFrom: [{ extract: { key: 'app' } }],
      data: [
        { secretKey: 'current', remoteRef: { key: 'app', property: 'password' } },
        { secretKey: 'v1', remoteRef: { key: 'app', property: 'password', version: '1' } },
        { secretKey: 'whole-v1', remoteRef: { key: 'app', version: '1' } },
      ],
    });
    await createEs(c, 'vtoken', 'nopath', { refreshInterval: '1h', secretStoreRef: { name: 'vault-nopath', kind: 'SecretStore' }, data: [{ secretKey: 'pw', remoteRef: { key: 'secret/app', property: 'password' } }] });
    await createEs(c, 'vtoken', 'nopath-find', { refreshInterval: '1h', secretStoreRef: { name: 'vault-nopath', kind: 'SecretStore' }, dataFrom: [{ find: { name: { regexp: '.*' } } }] });
    await createEs(c, 'vtoken', 'live', { refreshInterval: '1s', secretStoreRef: ref, data: [{ secretKey: 'pw', remoteRef: { key: 'app', property: 'password' } }] });
    await createEs(c, 'vapprole', 'types', {
      refreshInterval: '1h', secretStoreRef: ref, target: { name: 'types-prop' },
      data: [
        ...Object.keys(PROPERTY).map((k) => ({ secretKey: `p.${k}`, remoteRef: { key: 'types', property: k } })),
        ...Object.keys(NESTED).map((k) => ({ secretKey: `g.${k}`, remoteRef: { key: 'types', property: k } })),
        { secretKey: 'whole', remoteRef: { key: 'types' } },
      ],
    });
    await createEs(c, 'vapprole', 'types-extract', { refreshInterval: '1h', secretStoreRef: ref, dataFrom: [{ extract: { key: 'types' } }] });
    await createEs(c, 'vk8s', 'found', {
      refreshInterval: '1h', secretStoreRef: ref,
      dataFrom: [
        { find: { path: 'team', name: { regexp: 'db$' } } },
        { find: { path: 'team', tags: { env: 'prod' } }, rewrite: [{ regexp: { source: '^team/', target: 'prod-' } }, { regexp: { source: '/', target: '.' } }] },
      ],
    });
    await createEs(c, 'vk8s', 'aud', { refreshInterval: '1h', secretStoreRef: { name: 'vault-aud', kind: 'SecretStore' }, data: [{ secretKey: 'db', remoteRef: { key: 'team/a/db', property: 'url' } }] });
    await createEs(c, 'vk8s', 'intruder', { refreshInterval: '1h', secretStoreRef: { name: 'vault-intruder', kind: 'SecretStore' }, data: [{ secretKey: 'db', remoteRef: { key: 'team/a/db', property: 'url' } }] });
    await createEs(c, 'vv1', 'legacy', {
      refreshInterval: '1h', secretStoreRef: ref,
      dataFrom: [{ extract: { key: 'legacy' } }],
      data: [{ secretKey: 'tok', remoteRef: { key: 'legacy', property: 'token' } }, { secretKey: 'all', remoteRef: { key: 'legacy' } }],
    });

    await Promise.all([['vtoken', 'app'], ['vtoken', 'nopath'], ['vtoken', 'live'], ['vapprole', 'types'], ['vapprole', 'types-extract'], ['vk8s', 'found'], ['vk8s', 'aud'], ['vv1', 'legacy']].map(([ns, n]) => waitSynced(env!, ns!, n!)));

    // token auth, KV v2: latest version, an explicit version, extract
    assert.deepEqual(textOf(await getSecret(c, 'vtoken', 'app')), {
      password: 'second-pw', user: 'svc', current: 'second-pw', v1: 'first-pw', 'whole-v1': '{"password":"first-pw"}',
    });

    assert.deepEqual(textOf(await getSecret(c, 'vtoken', 'nopath')), { pw: 'second-pw' });
    const nopathFind = await waitFailed(env, 'vtoken', 'nopath-find', /valid kv v2 path/);
    assert.match(nopathFind.message, /^could not get secret data from provider: .*spec\.dataFrom\[0\] \(find\)/);
    assert.match(nopathFind.message, /provided Path isn't a valid kv v2 path/);

    // appRole: every JSON type, byte for byte
    const props = textOf(await getSecret(c, 'vapprole', 'types-prop'));
    assert.deepEqual(props, {
      ...Object.fromEntries(Object.entries(PROPERTY).map(([k, x]) => [`p.${k}`, x])),
      ...Object.fromEntries(Object.entries(NESTED).map(([k, x]) => [`g.${k}`, x])),
      whole: WHOLE,
    });
    assert.deepEqual(textOf(await getSecret(c, 'vapprole', 'types-extract')), EXTRACT);
    assert.ok(v.count('POST', /^auth\/approle\/login$/) >= 1, 'appRole login');

    // kubernetes auth: a TokenRequest for vault-reader, a Vault login, find by path+name and by tags
    assert.deepEqual(textOf(await getSecret(c, 'vk8s', 'found')), {
      team_a_db: '{"url":"postgres://a"}', team_b_db: '{"url":"postgres://b"}',
      'prod-a.api': '{"key":"a-api"}', 'prod-b.db': '{"url":"postgres://b"}',
    });
    const minted = env.cluster.server.hooks.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/namespaces/vk8s/serviceaccounts/vault-reader/token');
    assert.ok(minted.length >= 1, 'TokenRequest for the ServiceAccount');
    assert.ok(minted.every((r) => r.user === 'system:serviceaccount:kube-system:cloak-controller' && r.status === 201), 'minted under the deploy/ RBAC');
    assert.ok(v.count('POST', /^auth\/kubernetes\/login$/) >= 1, 'kubernetes login');
    assert.ok(env.cluster.server.hooks.requests.some((r) => r.method === 'POST' && r.path === '/apis/authentication.k8s.io/v1/tokenreviews'), 'Vault reviewed the token');
    // serviceAccountRef.audiences reach the TokenRequest, so a role with an audience accepts the token.
    assert.deepEqual(textOf(await getSecret(c, 'vk8s', 'aud')), { db: 'postgres://a' });
    // A ServiceAccount the role does not bind: Ready=False with Vault's reason, naming the entry; no Secret.
    const intruder = await waitFailed(env, 'vk8s', 'intruder', /not authorized/);
    assert.match(intruder.message, /^could not get secret data from provider: /);
    assert.match(intruder.message, /spec\.data\[0\] \(secretKey "db", key "team\/a\/db", property "url"\)/);
    assert.match(intruder.message, /service account name not authorized/);
    assert.equal(await getSecret(c, 'vk8s', 'intruder'), undefined);

    // KV v1: property, whole (numbers as written) and extract (float64 formatting)
    assert.deepEqual(textOf(await getSecret(c, 'vv1', 'legacy')), { token: 'v1-token', port: '5432', tok: 'v1-token', all: '{"port":5432,"token":"v1-token"}' });
    assert.equal(v.count('GET', /^kv1\/legacy$/) >= 1, true, 'KV v1 read path has no /data/');

    // No second write after the first sync (the Secret watch echo and status write change nothing).
    assert.deepEqual((await eventsFor(c, 'vtoken', 'app')).map((e) => e.reason).filter((r) => r === 'Created' || r === 'Updated'), ['Created']);

    // Provider down: Vault sealed answers 503. The periodic refresh (1s) fails: Ready=False names the
    // entry and the reason, the Secret stays byte-identical (same resourceVersion, same bytes).
    const before = await getSecret(c, 'vtoken', 'live');
    v.seal();
    const down = await waitFailed(env, 'vtoken', 'live', /sealed/i);
    assert.equal(down.reason, 'SecretSyncedError');
    assert.match(down.message, /^could not get secret data from provider: /);
    assert.match(down.message, /spec\.data\[0\] \(secretKey "pw", key "app", property "password"\)/, 'names the failing entry');
    assert.match(down.message, /sealed/i, 'says why');
    assert.doesNotMatch(down.message, /second-pw/);
    const kept = await getSecret(c, 'vtoken', 'live');
    assert.equal(kept!.metadata.resourceVersion, before!.metadata.resourceVersion, 'Secret not rewritten');
    assert.deepEqual(bytesOf(kept), bytesOf(before));
    assert.ok((await eventsFor(c, 'vtoken', 'live')).some((e) => e.type === 'Warning' && e.reason === 'UpdateFailed'), 'UpdateFailed event');

    // Vault returns with a changed value: the ES recovers by itself, without any annotation.
    v.unseal();
    await v.seed({ kv: { 'secret/app': { password: 'third-pw', user: 'svc' } } });
    await waitSecret(env, 'vtoken', 'live', (s) => textOf(s).pw === 'third-pw', 'has the new value');
    const back = await waitEs(env, 'vtoken', 'live', (r) => r.status === 'True' && r.reason === 'SecretSynced', 'recovered');
    assert.equal(readyOf(back)!.message, 'secret synced');
    assert.deepEqual(textOf(await getSecret(c, 'vtoken', 'live')), { pw: 'third-pw' });

    assert.equal(leakedIn(env.ctl.logs, ['first-pw', 'second-pw', 'third-pw', 'v1-token', 'postgres://', seeded.tokens.reader!, seeded.approle.ci!.secretId]), undefined, 'no secret value in logs');
  } finally {
    await env?.close();
    await vault?.close();
  }
});
