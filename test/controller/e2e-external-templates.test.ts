// target.template (engine v2 with sprig functions, templateFrom ConfigMap/Secret/literal, mergePolicy
// Replace/Merge, templated metadata, a template error in status) and the kubernetes provider (a
// ServiceAccount token minted via TokenRequest, RBAC enforced by the test API server) through the
// real cloak-controller running under the deploy/ RBAC (its ServiceAccount's token). Expected bytes
// are ESO's (sprig toJson is json.Marshal: <>& escaped).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  createConfigMap, createEs, createSecret, createServiceAccount, createStore, getSecret, leakedIn, namespaces, startExternalEnv,
  textOf, waitFailed, waitSynced,
} from '../support/controller/external-harness.js';

const DB = '{"user":"admin","password":"p@ss<>&","port":5432,"nested":{"a":1},"flag":false}';

test('templates: engine v2 functions, templateFrom ConfigMap/Secret/literal, mergePolicy, metadata; kubernetes provider', async () => {
  const env = await startExternalEnv({ rbac: true });
  try {
    const { c } = env;
    const ns = 'tpl';
    await namespaces(c, ns, 'remote');
    await createStore(c, ns, 'fake', { fake: { data: [{ key: 'db', value: DB }] } });
    await createConfigMap(c, ns, 'tpl-cm', {
      dsn: 'postgres://{{ .user }}@db:{{ .port }}/app',
      'extra.yaml': 'host: db.local\nport: "{{ .port }}"',
      note: 'owner={{ .user | upper }}',
    });
    await createSecret(c, ns, 'tpl-secret', { 'token.tpl': '{{ .password | sha256sum }}' });
    const ref = { name: 'fake', kind: 'SecretStore' };
    const dataFrom = [{ extract: { key: 'db' } }];
    await createEs(c, ns, 'replace', {
      refreshInterval: '1h', secretStoreRef: ref, dataFrom,
      target: { template: {
        engineVersion: 'v2', type: 'example.com/db',
        metadata: { labels: { app: '{{ .user }}' }, annotations: { port: 'p{{ .port }}' } },
        data: {
          auth: '{{ printf "%s:%s" .user .password | b64enc }}',
          'config.json': '{{ dict "user" .user "password" .password | toJson }}',
          decoded: '{{ "aGVsbG8=" | b64dec }}',
        },
      } },
    }, { labels: { 'from-es': 'not-copied-with-a-template' } });
    await createEs(c, ns, 'merge', {
      refreshInterval: '1h', secretStoreRef: ref, dataFrom,
      target: { template: {
        mergePolicy: 'Merge',
        data: { user: '{{ .user | upper }}' },
        templateFrom: [
          { configMap: { name: 'tpl-cm', items: [{ key: 'dsn' }, { key: 'extra.yaml', templateAs: 'KeysAndValues' }] } },
          { secret: { name: 'tpl-secret', items: [{ key: 'token.tpl' }] } },
          { target: 'Annotations', configMap: { name: 'tpl-cm', items: [{ key: 'note' }] } },
          { literal: 'lit: "{{ .user }}-{{ .flag }}"' },
        ],
      } },
    });
    await createEs(c, ns, 'broken', {
      refreshInterval: '1h', secretStoreRef: ref, dataFrom,
      target: { template: { data: { x: '{{ .missing }}' } } },
    });

    // kubernetes provider: Secrets of namespace "remote", read with a ServiceAccount token the
    // controller mints via TokenRequest; the test API server enforces RBAC for it.
    await createSecret(c, 'remote', 'source', { username: 'k-user', password: 'k-pass<>', config: '{"nested":{"x":"y"}}' }, { labels: { app: 'shop' } });
    await createSecret(c, 'remote', 'other', { k: 'v' }, { labels: { app: 'shop' } });
    await createSecret(c, 'remote', 'unlabelled', { z: 'z' });
    await createServiceAccount(c, ns, 'remote-reader');
    await c.request('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/remote/roles', { body: {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'read-secrets', namespace: 'remote' },
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] }],
    } });
    await c.request('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/remote/rolebindings', { body: {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'read-secrets', namespace: 'remote' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'read-secrets' },
      subjects: [{ kind: 'ServiceAccount', name: 'remote-reader', namespace: ns }],
    } });
    await createStore(c, ns, 'k8s', { kubernetes: { remoteNamespace: 'remote', server: { url: env.cluster.server.url }, auth: { serviceAccount: { name: 'remote-reader' } } } });
    await createStore(c, ns, 'k8s-default', { kubernetes: { remoteNamespace: 'remote', server: { url: env.cluster.server.url }, auth: { serviceAccount: { name: 'default' } } } });
    const k8s = { name: 'k8s', kind: 'SecretStore' };
    await createEs(c, ns, 'kube', {
      refreshInterval: '1h', secretStoreRef: k8s,
      dataFrom: [
        { extract: { key: 'source' } },
        { find: { tags: { app: 'shop' } }, rewrite: [{ regexp: { source: '^', target: 'label-' } }] },
        { find: { name: { regexp: '^oth' } } },
      ],
      data: [
        { secretKey: 'u', remoteRef: { key: 'source', property: 'username' } },
        { secretKey: 'x', remoteRef: { key: 'source', property: 'config.nested.x' } },
        { secretKey: 'all', remoteRef: { key: 'source' } },
      ],
    });
    await createEs(c, ns, 'kube-denied', { refreshInterval: '1h', secretStoreRef: { name: 'k8s-default', kind: 'SecretStore' }, data: [{ secretKey: 'u', remoteRef: { key: 'source', property: 'username' } }] });

    await Promise.all(['replace', 'merge', 'kube'].map((n) => waitSynced(env, ns, n)));

    // mergePolicy Replace: only the templated keys; type, labels and annotations from the template.
    const replaced = await getSecret(c, ns, 'replace');
    assert.deepEqual(textOf(replaced), {
      auth: Buffer.from('admin:p@ss<>&').toString('base64'),
      'config.json': '{"password":"p@ss\\u003c\\u003e\\u0026","user":"admin"}',
      decoded: 'hello',
    });
    assert.equal(replaced!.type, 'example.com/db');
    assert.equal(replaced!.metadata.labels?.app, 'admin');
    assert.equal(replaced!.metadata.labels?.['from-es'], undefined, 'ES labels are not copied when a template is set');
    assert.equal(replaced!.metadata.labels?.['reconcile.external-secrets.io/managed'], 'true');
    assert.equal(replaced!.metadata.annotations?.port, 'p5432');

    // mergePolicy Merge: the fetched keys, then templateFrom (Values, KeysAndValues, Secret, literal), then template.data.
    const merged = await getSecret(c, ns, 'merge');
    assert.deepEqual(textOf(merged), {
      user: 'ADMIN', password: 'p@ss<>&', port: '5432', nested: '{"a":1}', flag: 'false',
      dsn: 'postgres://admin@db:5432/app', host: 'db.local',
      'token.tpl': sha256('p@ss<>&'),
      lit: 'admin-false',
    });
    assert.equal(merged!.type, 'Opaque');
    assert.equal(merged!.metadata.annotations?.note, 'owner=ADMIN');

    // A template error: Ready=False names the template and Go's reason; no Secret.
    const broken = await waitFailed(env, ns, 'broken', /template/);
    assert.equal(broken.reason, 'SecretSyncedError');
    assert.match(broken.message, /^could not update secret: /);
    assert.match(broken.message, /spec\.target\.template\.data\.x/);
    assert.match(broken.message, /missing/);
    assert.equal(await getSecret(c, ns, 'broken'), undefined);

    // kubernetes provider values (ESO: whole Secret as esutils.JSONMarshal of strings, which does not
    // HTML-escape; property = data key first, then key.path through gjson).
    assert.deepEqual(textOf(await getSecret(c, ns, 'kube')), {
      username: 'k-user', password: 'k-pass<>', config: '{"nested":{"x":"y"}}',
      'label-source': '{"config":"{\\"nested\\":{\\"x\\":\\"y\\"}}","password":"k-pass<>","username":"k-user"}',
      'label-other': '{"k":"v"}',
      other: '{"k":"v"}',
      u: 'k-user', x: 'y',
      all: '{"config":"{\\"nested\\":{\\"x\\":\\"y\\"}}","password":"k-pass<>","username":"k-user"}',
    });
    assert.ok(env.cluster.server.hooks.requests.some((r) => r.method === 'POST' && r.path === `/api/v1/namespaces/${ns}/serviceaccounts/remote-reader/token`), 'TokenRequest for the ServiceAccount');
    // Without RBAC on namespace "remote": Ready=False naming the entry and why.
    const denied = await waitFailed(env, ns, 'kube-denied', /forbidden|403|not allowed to get secrets/i);
    assert.match(denied.message, /spec\.data\[0\] \(secretKey "u", key "source", property "username"\)/);
    // (the API server's 403, or, once the store has been validated, the store's own reason for it)
    assert.match(denied.message, /forbidden|403|not allowed to get secrets/i);
    assert.equal(await getSecret(c, ns, 'kube-denied'), undefined);
    assert.equal(leakedIn(env.ctl.logs, ['p@ss<>&', 'k-pass<>', Buffer.from('admin:p@ss<>&').toString('base64')]), undefined, 'no secret value in logs');
  } finally {
    await env.close();
  }
});

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}
