// The kubernetes provider through the engine against the Kubernetes test server (HTTPS, RBAC,
// TokenRequest): ESO's kubernetes examples, ServiceAccount auth with a CA from a ConfigMap,
// 403s and store validation.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { memorySources, openStore, resolveExternalSecret, type EngineSources } from '../../src/external/index.js';
import { readExternalDocuments } from '../../src/manifests/external-read.js';
import type { ExternalSecretObject, KeyValueObject, SecretStoreObject } from '../../src/manifests/external-types.js';
import { ClientCache } from '../../src/providers/shared/client-cache.js';
import { KubeHttp } from '../../src/providers/kubernetes/http.js';
import { startKubeApiServer, type KubeTestServer } from '../support/kube/index.js';

const dir = new URL('../../../test/fixtures/eso-examples/', import.meta.url);
const load = (f: string) => readExternalDocuments(readFileSync(new URL(f, dir), 'utf8'), f);
const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : Buffer.from(b).toString('utf8'));
const strings = (m: Record<string, Uint8Array>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, text(v)]));
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('kubernetes provider', () => {
  let kube: KubeTestServer;
  before(async () => {
    kube = await startKubeApiServer({ https: true });
    const secret = (namespace: string, name: string, data: Record<string, string>, labels?: Record<string, string>, annotations?: Record<string, string>) => ({
      apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace, ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) },
      data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])),
    });
    kube.seed([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'eso-fanout-source' } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } },
      secret('default', 'database-credentials', { username: 'admin', password: 'p<&>w', 'cfg.json': '{"a":{"b":"deep"}}' }, { dev: 'seth', tier: 'db' }, { owner: 'team-a' }),
      secret('default', 'tls-a', { 'tls.crt': 'A' }),
      secret('default', 'tls-b', { 'tls.crt': 'B' }),
      secret('default', 'nginx-conf', { conf: 'server {}' }, { app: 'nginx' }),
      secret('eso-fanout-source', 'shared-credentials', { user: 'shared', token: 't0k' }),
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'eso-fanout-reader', namespace: 'eso-fanout-source' } },
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'nobody', namespace: 'apps' } },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'read-secrets', namespace: 'eso-fanout-source' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }] },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'read-secrets', namespace: 'eso-fanout-source' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'read-secrets' }, subjects: [{ kind: 'ServiceAccount', name: 'eso-fanout-reader', namespace: 'eso-fanout-source' }] },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt', namespace: 'eso-fanout-source' }, data: { 'ca.crt': kube.caPem! } },
    ]);
  });
  after(() => kube.close());

  /** Reader over the test cluster: Secrets/ConfigMaps as stored, tokens via the TokenRequest API. */
  function clusterSources(stores: SecretStoreObject[], extra: KeyValueObject[] = []): EngineSources {
    const mem = memorySources({ stores, objects: extra, defaultNamespace: 'default' });
    return {
      ...mem,
      async getConfigMap(ns, name) {
        return (kube.stored({ resource: 'configmaps', namespace: ns, name }) as KeyValueObject | undefined) ?? mem.getConfigMap(ns, name);
      },
      async serviceAccountToken(ns, name, o) {
        const api = new KubeHttp({ server: kube.url, ca: kube.caPem, token: kube.adminToken });
        try {
          const r = await api.request('POST', `/api/v1/namespaces/${ns}/serviceaccounts/${name}/token`, {
            apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { audiences: o.audiences ?? [], expirationSeconds: o.expirationSeconds ?? 600 },
          });
          assert.equal(r.status, 201);
          return (r.body as { status: { token: string } }).status.token;
        } finally {
          api.close();
        }
      },
    };
  }

  function tokenStore(): { store: SecretStoreObject; token: KeyValueObject } {
    const s = structuredClone(load('kubernetes-provider.inline.yaml').stores[0]!.object);
    s.metadata.name = 'k8s-store';
    (s.spec.provider.kubernetes as { server: unknown }).server = { url: kube.url, caBundle: b64(kube.caPem!) };
    return { store: s, token: { kind: 'Secret', metadata: { name: 'my-token', namespace: 'default' }, data: { token: b64(kube.adminToken) } } };
  }

  it('kubernetes-provider.inline.yaml: properties and metadataPolicy Fetch', async () => {
    const { store, token } = tokenStore();
    const es = structuredClone(load('kubernetes-provider.inline.yaml').externalSecrets[0]!.object) as ExternalSecretObject;
    es.spec.data!.push({ secretKey: 'deep', remoteRef: { key: 'database-credentials', property: 'cfg.json' } });
    const { data } = await resolveExternalSecret(es, { sources: clusterSources([store], [token]) });
    assert.deepEqual(strings(data), {
      username: 'admin', password: 'p<&>w', deep: '{"a":{"b":"deep"}}',
      tags: '{"annotations":{"owner":"team-a"},"labels":{"dev":"seth","tier":"db"}}',
      labels: '{"dev":"seth","tier":"db"}', developer: 'seth',
    });
  });

  it('kubernetes-provider.inline.yaml: find by name regexp and by labels', async () => {
    const { store, token } = tokenStore();
    const es = structuredClone(load('kubernetes-provider.inline.yaml').externalSecrets[1]!.object) as ExternalSecretObject;
    const { data } = await resolveExternalSecret(es, { sources: clusterSources([store], [token]) });
    assert.deepEqual(strings(data), { 'tls-a': '{"tls.crt":"A"}', 'tls-b': '{"tls.crt":"B"}', 'nginx-conf': '{"conf":"server {}"}' });
  });

  it('cluster-external-secret-fanout.yaml: ClusterSecretStore with serviceAccount auth and a CA ConfigMap', async () => {
    const docs = load('cluster-external-secret-fanout.yaml');
    const store = structuredClone(docs.stores[0]!.object);
    (store.spec.provider.kubernetes as { server: { url?: string } }).server.url = kube.url;
    // the example's child ExternalSecret (from the ClusterExternalSecret) in a labelled namespace
    const es: ExternalSecretObject = {
      apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'shared-credentials', namespace: 'apps' },
      spec: { secretStoreRef: { name: 'shared-credentials-store', kind: 'ClusterSecretStore' }, target: { name: 'shared-credentials' }, dataFrom: [{ extract: { key: 'shared-credentials' } }] },
    };
    const { data } = await resolveExternalSecret(es, { sources: clusterSources([store]) });
    assert.deepEqual(strings(data), { user: 'shared', token: 't0k' });
  });

  it('a ServiceAccount without RBAC gets a one-line 403; validate() reports Error; NotFound only counts as missing for dataFrom', async () => {
    const store: SecretStoreObject = {
      apiVersion: 'external-secrets.io/v1', kind: 'SecretStore', metadata: { name: 'nobody', namespace: 'apps' },
      spec: { provider: { kubernetes: { remoteNamespace: 'default', server: { url: kube.url, caBundle: b64(kube.caPem!) }, auth: { serviceAccount: { name: 'nobody' } } } } },
    };
    const sources = clusterSources([store]);
    const es: ExternalSecretObject = {
      apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'x', namespace: 'apps' },
      spec: { secretStoreRef: { name: 'nobody' }, data: [{ secretKey: 'u', remoteRef: { key: 'database-credentials', property: 'username' } }] },
    };
    await assert.rejects(resolveExternalSecret(es, { sources }), (e: { line?: string; code?: string }) => {
      assert.equal(e.code, 'Forbidden');
      assert.match(e.line!, /^ExternalSecret apps\/x spec.data\[0\] \(secretKey "u", key "database-credentials", property "username"\): cannot read Secret default\/database-credentials: .*forbidden.* \(grant get\/list on secrets in namespace default\)$/);
      return true;
    });
    const clients = new ClientCache();
    const handle = await openStore(store, 'apps', { sources }, clients);
    assert.equal(await handle.validate(), 'Error');
    await clients.close();

    const { store: admin, token } = tokenStore();
    const s2 = clusterSources([admin], [token]);
    const missing = (spec: ExternalSecretObject['spec']) => resolveExternalSecret({ ...es, metadata: { name: 'm', namespace: 'default' }, spec }, { sources: s2 });
    await assert.rejects(missing({ secretStoreRef: { name: 'k8s-store' }, target: { deletionPolicy: 'Delete' }, data: [{ secretKey: 'a', remoteRef: { key: 'gone' } }] }),
      (e: { code?: string; line?: string }) => e.code === 'NotFound' && /secrets "gone" not found/.test(e.line ?? ''));
    const r = await missing({ secretStoreRef: { name: 'k8s-store' }, target: { deletionPolicy: 'Delete' }, dataFrom: [{ extract: { key: 'gone' } }] });
    assert.deepEqual(r.missing, ['spec.dataFrom[0] (extract key "gone")']);
    const h2 = await openStore(admin, 'default', { sources: s2 }, clients);
    assert.equal(await h2.validate(), 'Ready');
    await clients.close();
  });

  it('authRef: a kubeconfig in a Secret (server, CA and token from the kubeconfig)', async () => {
    const store: SecretStoreObject = {
      apiVersion: 'external-secrets.io/v1', kind: 'SecretStore', metadata: { name: 'kc', namespace: 'default' },
      spec: { provider: { kubernetes: { remoteNamespace: 'default', authRef: { name: 'kubeconfig', key: 'config' } } } },
    };
    const kc: KeyValueObject = { kind: 'Secret', metadata: { name: 'kubeconfig', namespace: 'default' }, data: { config: b64(kube.kubeconfig()) } };
    const es: ExternalSecretObject = {
      apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'kc', namespace: 'default' },
      spec: { secretStoreRef: { name: 'kc' }, data: [{ secretKey: 'u', remoteRef: { key: 'database-credentials', property: 'username' } }] },
    };
    const { data } = await resolveExternalSecret(es, { sources: clusterSources([store], [kc]) });
    assert.deepEqual(strings(data), { u: 'admin' });
  });
});
