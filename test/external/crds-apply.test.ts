// Cloak's external-secrets.io CRDs against ESO's own example manifests: every vendored example
// (test/fixtures/eso-examples, except the illustrative full-external-secret.yaml) is applied with the
// real kubectl 1.32 (default --validate, i.e. server-side strict field validation) as v1 and as v1beta1,
// is created with nothing pruned, is listed with ESO's printer columns; wrongly typed manifests are refused.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { Kubectl, startKubeApiServer, type KubeTestServer } from '../support/kube/index.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ROOT = new URL('../../../', import.meta.url);
const EXAMPLES = new URL('test/fixtures/eso-examples/', ROOT);
const CRDS = ['secretstores', 'clustersecretstores', 'externalsecrets', 'clusterexternalsecrets'].map((p) => new URL(`crds/external-secrets.io_${p}.yaml`, ROOT));
const ILLUSTRATIVE = new Set(['full-external-secret.yaml']); // several objects merged into one, per its README row
const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml') && !ILLUSTRATIVE.has(f)).sort();
const docs = (f: string): Obj[] => parseAllDocuments(readFileSync(new URL(f, EXAMPLES), 'utf8')).map((d) => d.toJS() as Obj).filter((d) => d && d.kind && d.apiVersion); // webhook's "will create a secret with" block has no apiVersion: an illustration, not a manifest
const ESO = /^external-secrets\.io\//;
const CLUSTER_KINDS = new Set(['ClusterSecretStore', 'ClusterExternalSecret']);
const PLURAL: Record<string, string> = { SecretStore: 'secretstores', ClusterSecretStore: 'clustersecretstores', ExternalSecret: 'externalsecrets', ClusterExternalSecret: 'clusterexternalsecrets', Secret: 'secrets', ConfigMap: 'configmaps' };
// The API server drops null values of non-nullable fields (kubernetes-provider's `server:` with only a comment).
const dropNulls = (v: unknown): unknown => (Array.isArray(v) ? v.map(dropNulls) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, dropNulls(x)])) : v);
// Several examples reuse names (example, vault-backend, …): each file's namespaced objects go to a namespace of its own.
const nsOf = (f: string): string => f.replace(/\.yaml$/, '').replace(/[^a-z0-9]+/g, '-');

for (const version of ['v1', 'v1beta1']) {
  describe(`ESO examples as external-secrets.io/${version}`, () => {
    let server: KubeTestServer;
    const k = new Kubectl();
    const run = async (args: string[], input?: string) => k.run(args, input === undefined ? {} : { input });

    before(async () => {
      server = await startKubeApiServer();
      server.writeKubeconfig(k.kubeconfig);
      for (const crd of CRDS) {
        const r = await run(['apply', '-f', crd.pathname]);
        assert.equal(r.code, 0, r.stderr);
      }
      const wait = await run(['wait', '--for=condition=Established', 'crd', '--all', '--timeout=20s']);
      assert.equal(wait.code, 0, wait.stderr);
      for (const f of files) assert.equal((await run(['create', 'namespace', nsOf(f)])).code, 0);
    });
    after(async () => {
      k.dispose();
      await server?.close();
    });

    for (const f of files) {
      it(`${f}: every object is created, unpruned`, async () => {
        const objs: Obj[] = docs(f).map((d) => ({
          ...d,
          apiVersion: ESO.test(d.apiVersion) ? `external-secrets.io/${version}` : d.apiVersion,
          metadata: CLUSTER_KINDS.has(d.kind) ? d.metadata : { ...d.metadata, namespace: nsOf(f) },
        }));
        const path = join(k.dir, f);
        writeFileSync(path, objs.map((o) => stringify(o)).join('---\n'));
        const r = await run(['apply', '-f', path]);
        assert.equal(r.code, 0, `${f}: ${r.stderr}`);
        for (const o of objs) {
          const ns = CLUSTER_KINDS.has(o.kind) ? [] : ['-n', o.metadata.namespace];
          const resource = ESO.test(o.apiVersion) ? `${PLURAL[o.kind]}.${version}.external-secrets.io` : PLURAL[o.kind]!;
          const shown = `${o.kind.toLowerCase()}${ESO.test(o.apiVersion) ? '.external-secrets.io' : ''}/${o.metadata.name} created`;
          assert.ok(r.stdout.split('\n').includes(shown), `${f}: no "${shown}" in ${r.stdout}`);
          const got = await run(['get', resource, o.metadata.name, ...ns, '-o', 'json']);
          assert.equal(got.code, 0, got.stderr);
          const stored = JSON.parse(got.stdout) as Obj;
          assert.equal(stored.apiVersion, o.apiVersion);
          if (o.spec !== undefined) assert.deepEqual(stored.spec, dropNulls(o.spec), `${f}: ${o.kind}/${o.metadata.name} spec changed (pruned or defaulted)`);
        }
      });
    }

    it('kubectl get ss / es / css / ces print ESO\'s columns', async () => {
      const header = async (args: string[]) => {
        const r = await run(['get', ...args]);
        assert.equal(r.code, 0, r.stderr);
        return r.stdout.split('\n')[0]!.trim().split(/\s{2,}/);
      };
      assert.deepEqual(await header(['ss', '-n', nsOf('basic-secret-store.yaml')]), ['NAME', 'AGE', 'STATUS', 'CAPABILITIES', 'READY']);
      assert.deepEqual(await header(['css']), ['NAME', 'AGE', 'STATUS', 'CAPABILITIES', 'READY']);
      assert.deepEqual(await header(['es', '-n', nsOf('basic-external-secret.yaml')]), ['NAME', 'STORETYPE', 'STORE', 'REFRESH INTERVAL', 'STATUS', 'READY', 'LAST SYNC']);
      assert.deepEqual(await header(['ces']), ['NAME', 'STORE', 'REFRESH INTERVAL', 'READY']);
      const row = (await run(['get', 'es', 'example', '-n', nsOf('basic-external-secret.yaml'), '--no-headers'])).stdout.trim().split(/\s+/);
      assert.deepEqual(row.slice(0, 4), ['example', 'SecretStore', 'secretstore-sample', '1h0m0s']);
    });

    const wrong: Array<[string, Obj, RegExp]> = [
      ['refreshInterval as a number', { refreshInterval: 5, secretStoreRef: { name: 's' } }, /spec\.refreshInterval: Invalid value: "integer": spec\.refreshInterval in body must be of type string: "integer"/],
      ['data as a map', { secretStoreRef: { name: 's' }, data: { a: { remoteRef: { key: 'k' } } } }, /strict decoding error: unknown field "spec\.data\.a"/],
      ['an unknown decodingStrategy', { secretStoreRef: { name: 's' }, data: [{ secretKey: 'a', remoteRef: { key: 'k', decodingStrategy: 'Hex' } }] }, /spec\.data\[0\]\.remoteRef\.decodingStrategy: Unsupported value: "Hex"/],
      ['a misspelt field', { secretStoreRef: { name: 's' }, refreshIntervall: '1h' }, /unknown field "spec\.refreshIntervall"/],
    ];
    for (const [what, spec, message] of wrong) {
      it(`an ExternalSecret with ${what} is refused`, async () => {
        const bad = { apiVersion: `external-secrets.io/${version}`, kind: 'ExternalSecret', metadata: { name: 'bad', namespace: 'default' }, spec };
        const r = await run(['apply', '-f', '-'], JSON.stringify(bad));
        assert.notEqual(r.code, 0, r.stdout);
        assert.match(r.stderr, message);
        assert.notEqual((await run(['get', 'es', 'bad', '-n', 'default'])).code, 0);
      });
    }
    it('a SecretStore whose vault server is a number is refused', async () => {
      const bad = { apiVersion: `external-secrets.io/${version}`, kind: 'SecretStore', metadata: { name: 'bad', namespace: 'default' }, spec: { provider: { vault: { server: 8200 } } } };
      const r = await run(['apply', '-f', '-'], JSON.stringify(bad));
      assert.notEqual(r.code, 0, r.stdout);
      assert.match(r.stderr, /spec\.provider\.vault\.server: Invalid value: "integer"/);
    });
    it('Vault auth blocks that omit the mount path (ESO defaults it) apply', async () => {
      const auths: Record<string, unknown> = {
        kubernetes: { role: 'app' },
        appRole: { roleId: 'r', secretRef: { name: 's', key: 'id' } },
        jwt: { role: 'app', secretRef: { name: 's', key: 'jwt' } },
        ldap: { username: 'u', secretRef: { name: 's', key: 'pw' } },
        userPass: { username: 'u', secretRef: { name: 's', key: 'pw' } },
      };
      for (const [method, auth] of Object.entries(auths)) {
        const store = { apiVersion: `external-secrets.io/${version}`, kind: 'SecretStore', metadata: { name: `no-mount-${method.toLowerCase()}`, namespace: 'default' }, spec: { provider: { vault: { server: 'https://vault:8200', auth: { [method]: auth } } } } };
        const r = await run(['apply', '-f', '-'], JSON.stringify(store));
        assert.equal(r.code, 0, `${method}: ${r.stderr}`);
      }
    });
  });
}
