// Target templates and rewrite.transform through src/gotemplate (ESO function set, missingkey=error),
// with ESO's template examples resolved against a fake store.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { desiredSecret, memorySources, resolveExternalSecret } from '../../src/external/index.js';
import { readExternalDocuments } from '../../src/manifests/external-read.js';
import type { ExternalSecretObject, KeyValueObject, SecretStoreObject } from '../../src/manifests/external-types.js';

const dir = new URL('../../../test/fixtures/eso-examples/', import.meta.url);
const es = (f: string) => structuredClone(readExternalDocuments(readFileSync(new URL(f, dir), 'utf8'), f).externalSecrets[0]!.object) as ExternalSecretObject;
const decoded = (d: Record<string, string> | undefined) => Object.fromEntries(Object.entries(d ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));

const store: SecretStoreObject = {
  apiVersion: 'external-secrets.io/v1', kind: 'ClusterSecretStore', metadata: { name: 'fake' },
  spec: {
    provider: {
      fake: {
        data: [
          { key: '/grafana/user', value: 'grafana' },
          { key: '/grafana/password', value: 'g-pass' },
          { key: '/database/url', value: 'postgres://db:5432/app' },
          { key: '/credentials/password', value: Buffer.from('from-b64').toString('base64') },
          { key: '/credentials/username', value: 'alice' },
          { key: 'app/db-url', value: 'x' },
          { key: 'app/db-user', value: 'y' },
        ],
      },
    },
  },
};

async function run(e: ExternalSecretObject, objects: KeyValueObject[] = []) {
  e.metadata.namespace = 'default';
  e.spec.secretStoreRef ??= { name: 'fake', kind: 'ClusterSecretStore' };
  const sources = memorySources({ stores: [store], objects, defaultNamespace: 'default' });
  const { data } = await resolveExternalSecret(e, { sources });
  return desiredSecret(e, data, { reader: sources });
}

describe('target templates', () => {
  it('multiline-template-v2-external-secret.yaml: multi-line config and replace', async () => {
    const s = await run(es('multiline-template-v2-external-secret.yaml'));
    const d = decoded(s.data);
    assert.deepEqual(Object.keys(d).sort(), ['config', 'connection']);
    assert.equal(d.connection, 'postgresql://db:5432/app');
    assert.match(d.config!, /password: "g-pass"\n\s+user: "grafana"\n$/);
  });

  it('merge-template-v2-external-secret.yaml: mergePolicy Merge keeps fetched keys, template wins', async () => {
    const s = await run(es('merge-template-v2-external-secret.yaml'));
    assert.deepEqual(decoded(s.data), { name: 'admin', password: 'from-b64', username: 'alice' });
  });

  it('template type, metadata, templateFrom literal and ConfigMap (KeysAndValues, Annotations)', async () => {
    const e: ExternalSecretObject = {
      apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'reg' },
      spec: {
        target: {
          template: {
            type: 'kubernetes.io/dockerconfigjson',
            metadata: { labels: { user: '{{ .u }}' }, annotations: { note: 'for {{ .u | upper }}' } },
            templateFrom: [
              { literal: 'extra: "{{ .u }}-x"' },
              { configMap: { name: 'tpl', items: [{ key: 'anns', templateAs: 'KeysAndValues' }] }, target: 'Annotations' },
            ],
            data: { '.dockerconfigjson': '{"auths":{"r.io":{"auth":"{{ printf "%s:%s" .u .p | b64enc }}"}}}' },
          },
        },
        data: [{ secretKey: 'u', remoteRef: { key: '/credentials/username' } }, { secretKey: 'p', remoteRef: { key: '/grafana/password' } }],
      },
    };
    const s = await run(e, [{ kind: 'ConfigMap', metadata: { name: 'tpl', namespace: 'default' }, data: { anns: 'owner: "{{ .u }}"' } }]);
    assert.equal(s.type, 'kubernetes.io/dockerconfigjson');
    assert.equal(s.metadata.labels?.user, 'alice');
    assert.equal(s.metadata.annotations?.note, 'for ALICE');
    assert.equal(s.metadata.annotations?.owner, 'alice');
    assert.deepEqual(decoded(s.data), {
      '.dockerconfigjson': `{"auths":{"r.io":{"auth":"${Buffer.from('alice:g-pass').toString('base64')}"}}}`,
      extra: 'alice-x',
    });
  });

  it('a missing key is a template error naming the entry (missingkey=error)', async () => {
    const e: ExternalSecretObject = {
      apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 't' },
      spec: { target: { template: { data: { x: '{{ .nope }}' } } }, data: [{ secretKey: 'u', remoteRef: { key: '/credentials/username' } }] },
    };
    await assert.rejects(run(e), (err: { line?: string; family?: string }) => {
      assert.equal(err.family, 'template');
      assert.match(err.line!, /spec.target.template.data.x/);
      return true;
    });
  });
});

describe('rewrite.transform', () => {
  it('renders each key with .value', async () => {
    const e: ExternalSecretObject = {
      apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'tr' },
      spec: { dataFrom: [{ find: { name: { regexp: '^app/' } }, rewrite: [{ transform: { template: '{{ .value | upper }}' } }, { regexp: { source: '^APP_', target: '' } }] }] },
    };
    const s = await run(e);
    assert.deepEqual(decoded(s.data), { 'DB-URL': 'x', 'DB-USER': 'y' });
  });
});
