// The resolution engine over the fake provider: order and precedence, deletion policy, store
// resolution and conditions, credentials, conversions and one-line errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  desiredSecret, memorySources, resolveExternalSecret, findCredentialRefs, resolveCredentials, dataHash,
} from '../../src/external/index.js';
import type { ExternalSecretObject, KeyValueObject, SecretStoreObject } from '../../src/manifests/external-types.js';
import { isCloakError } from '../../src/errors.js';

const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : Buffer.from(b).toString('utf8'));
const strings = (m: Record<string, Uint8Array>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, text(v)]));

function fakeStore(kind: 'SecretStore' | 'ClusterSecretStore' = 'ClusterSecretStore', extra: Partial<SecretStoreObject['spec']> = {}): SecretStoreObject {
  return {
    apiVersion: 'external-secrets.io/v1', kind, metadata: { name: 'fake', ...(kind === 'SecretStore' ? { namespace: 'apps' } : {}) },
    spec: {
      provider: {
        fake: {
          data: [
            { key: '/db', value: '{"user":"admin","pass":"s3cr3t","port":5432,"opts":{"ssl":true}}', version: 'v1' },
            { key: '/db', value: '{"user":"admin2","pass":"newer"}', version: 'v2' },
            { key: '/plain', value: 'hello' },
            { key: '/b64', value: 'aGVsbG8=' },
            { key: 'dev/app/one', value: '1', version: 'a' },
            { key: 'dev/app/one', value: '2', version: 'b' },
            { key: 'dev/app/two', value: 'two' },
          ],
        },
      },
      ...extra,
    },
  };
}

function es(spec: ExternalSecretObject['spec'], ns = 'apps'): ExternalSecretObject {
  return { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'app', namespace: ns }, spec };
}

const ref = { name: 'fake', kind: 'ClusterSecretStore' as const };

test('dataFrom runs first in order, data last; later entries win', async () => {
  const sources = memorySources({ stores: [fakeStore()], objects: [], defaultNamespace: 'apps' });
  const { data } = await resolveExternalSecret(es({
    secretStoreRef: ref,
    dataFrom: [{ extract: { key: '/db', version: 'v1' } }, { extract: { key: '/db', version: 'v2' } }],
    data: [{ secretKey: 'user', remoteRef: { key: '/plain' } }, { secretKey: 'port', remoteRef: { key: '/db', version: 'v1', property: 'port' } }],
  }), { sources });
  assert.deepEqual(strings(data), { user: 'hello', pass: 'newer', port: '5432', opts: '{"ssl":true}' });
});

test('find by name returns the newest version per key, converted by the fake provider itself (as ESO)', async () => {
  const sources = memorySources({ stores: [fakeStore()], objects: [], defaultNamespace: 'apps' });
  const plain = await resolveExternalSecret(es({ secretStoreRef: ref, dataFrom: [{ find: { name: { regexp: '^dev/' } } }] }), { sources });
  assert.deepEqual(strings(plain.data), { dev_app_one: '2', dev_app_two: 'two' });
  const rewritten = await resolveExternalSecret(es({
    secretStoreRef: ref,
    dataFrom: [{ find: { name: { regexp: '^dev/' } }, rewrite: [{ regexp: { source: 'dev_app_(.*)', target: 'app-$1' } }] }],
  }), { sources });
  assert.deepEqual(strings(rewritten.data), { 'app-one': '2', 'app-two': 'two' });
});

test('decodingStrategy applies to data and dataFrom values', async () => {
  const sources = memorySources({ stores: [fakeStore()], objects: [], defaultNamespace: 'apps' });
  const { data } = await resolveExternalSecret(es({
    secretStoreRef: ref, data: [{ secretKey: 'x', remoteRef: { key: '/b64', decodingStrategy: 'Base64' } }],
  }), { sources });
  assert.equal(text(data.x), 'hello');
});

test('a missing remote secret fails under Retain and is skipped under Delete/Merge', async () => {
  const sources = memorySources({ stores: [fakeStore()], objects: [], defaultNamespace: 'apps' });
  const spec = { secretStoreRef: ref, data: [{ secretKey: 'a', remoteRef: { key: '/plain' } }, { secretKey: 'b', remoteRef: { key: '/gone' } }] };
  await assert.rejects(resolveExternalSecret(es(spec), { sources }), (e: unknown) => {
    assert.ok(isCloakError(e));
    assert.equal(e.code, 'SecretNotFound');
    assert.equal(e.line, 'ExternalSecret apps/app spec.data[1] (secretKey "b", key "/gone"): fake ClusterSecretStore "fake" key "/gone": secret does not exist');
    return true;
  });
  const r = await resolveExternalSecret(es({ ...spec, target: { deletionPolicy: 'Delete' } }), { sources });
  assert.deepEqual(strings(r.data), { a: 'hello' });
  assert.deepEqual(r.missing, ['spec.data[1] (secretKey "b", key "/gone")']);
});

test('property misses on the fake provider are SecretNotFound; invalid keys are rejected', async () => {
  const sources = memorySources({ stores: [fakeStore()], objects: [], defaultNamespace: 'apps' });
  await assert.rejects(resolveExternalSecret(es({ secretStoreRef: ref, data: [{ secretKey: 'a', remoteRef: { key: '/db', version: 'v1', property: 'nope' } }] }), { sources }),
    /property "nope": secret does not exist/);
  await assert.rejects(resolveExternalSecret(es({ secretStoreRef: ref, data: [{ secretKey: 'bad/key', remoteRef: { key: '/plain' } }] }), { sources }),
    /secretKey "bad\/key" is not a valid Secret key/);
});

test('SecretStores are namespaced; ClusterSecretStore conditions gate namespaces', async () => {
  const nsStore = fakeStore('SecretStore');
  const sources = memorySources({ stores: [nsStore], objects: [], defaultNamespace: 'apps' });
  const ok = await resolveExternalSecret(es({ secretStoreRef: { name: 'fake' }, data: [{ secretKey: 'p', remoteRef: { key: '/plain' } }] }), { sources });
  assert.equal(text(ok.data.p), 'hello');
  await assert.rejects(resolveExternalSecret(es({ secretStoreRef: { name: 'fake' }, data: [{ secretKey: 'p', remoteRef: { key: '/plain' } }] }, 'other'), { sources }),
    /SecretStore other\/fake not found/);

  const gated = fakeStore('ClusterSecretStore', { conditions: [{ namespaces: ['team-a'] }, { namespaceRegexes: ['^ci-'] }] });
  const s2 = memorySources({ stores: [gated], objects: [], defaultNamespace: 'apps' });
  const spec = { secretStoreRef: ref, data: [{ secretKey: 'p', remoteRef: { key: '/plain' } }] };
  await assert.rejects(resolveExternalSecret(es(spec, 'apps'), { sources: s2 }), /not allowed from namespace "apps": denied by spec.condition/);
  assert.equal(text((await resolveExternalSecret(es(spec, 'team-a'), { sources: s2 })).data.p), 'hello');
  assert.equal(text((await resolveExternalSecret(es(spec, 'ci-42'), { sources: s2 })).data.p), 'hello');
});

test('credential references resolve by path with ESO namespace rules', async () => {
  const block = {
    auth: { secretRef: { accessKeyIDSecretRef: { name: 'aws', key: 'id' }, secretAccessKeySecretRef: { name: 'aws', key: 'secret', namespace: 'ops' } } },
    caProvider: { type: 'ConfigMap', name: 'ca', key: 'ca.crt' },
  };
  assert.deepEqual(findCredentialRefs(block).map((r) => r.path), ['auth.secretRef.accessKeyIDSecretRef', 'auth.secretRef.secretAccessKeySecretRef', 'caProvider']);
  const objects: KeyValueObject[] = [
    { kind: 'Secret', metadata: { name: 'aws', namespace: 'apps' }, data: { id: Buffer.from('AKID').toString('base64') } },
    { kind: 'Secret', metadata: { name: 'aws', namespace: 'ops' }, data: { secret: Buffer.from('SK').toString('base64') } },
    { kind: 'ConfigMap', metadata: { name: 'ca', namespace: 'apps' }, data: { 'ca.crt': 'PEM' } },
  ];
  const reader = memorySources({ stores: [], objects, defaultNamespace: 'apps' });
  const got = await resolveCredentials(block, { storeKind: 'ClusterSecretStore', storeName: 'aws', esNamespace: 'apps', providerName: 'aws', reader });
  assert.deepEqual(strings(got), { 'auth.secretRef.accessKeyIDSecretRef': 'AKID', 'auth.secretRef.secretAccessKeySecretRef': 'SK', caProvider: 'PEM' });
  await assert.rejects(resolveCredentials(block, { storeKind: 'SecretStore', storeName: 'aws', storeNamespace: 'apps', providerName: 'aws', reader }),
    /points to namespace "ops"/);
  await assert.rejects(resolveCredentials({ tokenSecretRef: { name: 'nope', key: 't' } }, { storeKind: 'SecretStore', storeName: 'v', storeNamespace: 'apps', providerName: 'vault', reader }),
    /Secret apps\/nope \(from spec.provider.vault.tokenSecretRef\) not found/);
});

test('ServiceAccount token audiences: Vault jwt defaults to "vault" as in ESO; kubernetes auth uses the API default', () => {
  const jwt = (k: Record<string, unknown>) => findCredentialRefs({ auth: { jwt: { kubernetesServiceAccountToken: k } } })[0]?.audiences;
  assert.deepEqual(jwt({ serviceAccountRef: { name: 'ci' } }), ['vault']);
  assert.deepEqual(jwt({ serviceAccountRef: { name: 'ci', audiences: ['extra'] } }), ['vault', 'extra']);
  assert.deepEqual(jwt({ audiences: ['mine'], serviceAccountRef: { name: 'ci' } }), ['mine']);
  assert.equal(findCredentialRefs({ auth: { kubernetes: { role: 'r', serviceAccountRef: { name: 'ci' } } } })[0]?.audiences, undefined);
  assert.deepEqual(findCredentialRefs({ auth: { kubernetes: { serviceAccountRef: { name: 'ci', audiences: ['a'] } } } })[0]?.audiences, ['a']);
});

test('desiredSecret: name, ESO labels/annotations, data hash like Go %+v', async () => {
  const e = es({ target: { name: 'out', immutable: true } });
  e.metadata.labels = { team: 'a' };
  const s = await desiredSecret(e, { b: new Uint8Array([1, 2]), a: new TextEncoder().encode('x') });
  assert.equal(s.metadata.name, 'out');
  assert.equal(s.metadata.labels?.team, 'a');
  assert.equal(s.metadata.labels?.['reconcile.external-secrets.io/managed'], 'true');
  assert.deepEqual(s.data, { a: 'eA==', b: 'AQI=' });
  assert.equal(s.immutable, true);
  // sha3-224("map[a:[120] b:[1 2]]")
  assert.equal(s.metadata.annotations?.['reconcile.external-secrets.io/data-hash'], 'f76abd3e943ade2d88cad69efffd93f3ca9893558f6336de690f8255');
  assert.equal(dataHash({ b: new Uint8Array([1, 2]), a: new Uint8Array([120]) }), 'f76abd3e943ade2d88cad69efffd93f3ca9893558f6336de690f8255');
});

test('shared caches: ExternalSecrets reading the same keys hit the provider once per window', async () => {
  const { fakeProvider } = await import('../../src/providers/fake/index.js');
  const { ClientCache } = await import('../../src/providers/shared/client-cache.js');
  const { ReadCache } = await import('../../src/providers/shared/read-cache.js');
  const { StoreLimiter } = await import('../../src/providers/shared/rate-limit.js');
  let connects = 0;
  let reads = 0;
  const counting = {
    ...fakeProvider,
    async connect(spec: unknown, ctx: Parameters<typeof fakeProvider.connect>[1]) {
      connects++;
      const c = await fakeProvider.connect(spec as Parameters<typeof fakeProvider.connect>[0], ctx);
      return { ...c, getSecret: (r: Parameters<typeof c.getSecret>[0]) => { reads++; return c.getSecret(r); }, getSecretMap: c.getSecretMap.bind(c), getAllSecrets: c.getAllSecrets.bind(c), validate: c.validate.bind(c), close: c.close.bind(c) };
    },
  };
  let now = 0;
  const ctx = {
    sources: memorySources({ stores: [fakeStore()], objects: [], defaultNamespace: 'apps' }),
    clients: new ClientCache(), reads: new ReadCache({ now: () => now }), readMaxAgeMs: 60_000,
    limiter: new StoreLimiter({ concurrency: 2 }), loadProvider: async () => counting as never,
  };
  const spec = (i: number) => es({ secretStoreRef: ref, data: [{ secretKey: 'p', remoteRef: { key: '/plain' } }, { secretKey: 'u', remoteRef: { key: '/db', version: 'v1', property: 'user' } }] }, `ns-${i}`);
  const results = await Promise.all(Array.from({ length: 10 }, (_, i) => resolveExternalSecret(spec(i), ctx)));
  assert.ok(results.every((r) => text(r.data.p) === 'hello' && text(r.data.u) === 'admin'));
  assert.equal(connects, 1);
  assert.equal(reads, 2);
  now += 61_000;
  await resolveExternalSecret(spec(0), ctx);
  assert.equal(reads, 4, 'after the window the next reader refreshes');
  await ctx.clients.close();
});

test('cachingTokens reuses a minted ServiceAccount token for half its lifetime', async () => {
  const { cachingTokens } = await import('../../src/external/index.js');
  let now = 0;
  let minted = 0;
  const base = memorySources({ stores: [], objects: [], defaultNamespace: 'apps' });
  const reader = cachingTokens({ ...base, serviceAccountToken: async () => `t${++minted}` }, { now: () => now });
  assert.equal(await reader.serviceAccountToken!('apps', 'sa', { expirationSeconds: 600 }), 't1');
  now += 299_000;
  assert.equal(await reader.serviceAccountToken!('apps', 'sa', { expirationSeconds: 600 }), 't1');
  assert.equal(await reader.serviceAccountToken!('apps', 'sa', { audiences: ['vault'], expirationSeconds: 600 }), 't2', 'other audiences, other token');
  now += 2_000;
  assert.equal(await reader.serviceAccountToken!('apps', 'sa', { expirationSeconds: 600 }), 't3');
});

test('a cached client is reused across re-minted ServiceAccount tokens and logs in again with the fresh one', async () => {
  const { openStore } = await import('../../src/external/index.js');
  const { ClientCache } = await import('../../src/providers/shared/client-cache.js');
  let connects = 0;
  const seen: string[] = [];
  const recording = {
    name: 'vault',
    validateStore: () => [],
    async connect(_spec: unknown, c: { secrets: Record<string, Uint8Array> }) {
      connects++;
      // Like a provider that logs in lazily: the credential is read at login time, from what it was given.
      const login = () => seen.push(Buffer.from(c.secrets['auth.kubernetes.serviceAccountRef']!).toString('utf8'));
      return { getSecret: async () => { login(); return new Uint8Array(); }, getSecretMap: async () => ({}), getAllSecrets: async () => ({}), validate: async () => 'Ready', close: async () => {} };
    },
  };
  let minted = 0;
  const sources = { ...memorySources({ stores: [], objects: [], defaultNamespace: 'apps' }), serviceAccountToken: async () => `jwt-${++minted}` };
  const store: SecretStoreObject = {
    apiVersion: 'external-secrets.io/v1', kind: 'SecretStore', metadata: { name: 'v', namespace: 'apps', resourceVersion: '1' },
    spec: { provider: { vault: { server: 'http://vault', auth: { kubernetes: { role: 'r', serviceAccountRef: { name: 'eso' } } } } } },
  } as never;
  const ctx = { sources, clients: new ClientCache(), loadProvider: async () => recording as never };
  for (let i = 0; i < 3; i++) {
    const h = await openStore(store, 'apps', ctx as never, ctx.clients);
    await h.getSecret({ key: 'k' });
    h.release();
  }
  assert.equal(connects, 1, 'one client for the store, whatever the token');
  assert.deepEqual(seen, ['jwt-1', 'jwt-2', 'jwt-3'], 'each login uses the newest token');
  await ctx.clients.close();
});
