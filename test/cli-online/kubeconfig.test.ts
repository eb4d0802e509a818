// Kubeconfig resolution as kubectl does it: --kubeconfig, $KUBECONFIG (first file wins), ~/.kube/config,
// --context, the context namespace and -n, with one-line errors naming the file and the fix.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadKubeConfig } from '../../src/kube/index.js';
import { tempDir } from '../support/temp-dir.js';

const config = (o: { current: string; contexts: Array<{ name: string; server: string; namespace?: string }> }) => `apiVersion: v1
kind: Config
current-context: ${o.current}
clusters:
${o.contexts.map((c) => `- name: ${c.name}\n  cluster:\n    server: ${c.server}\n    insecure-skip-tls-verify: true`).join('\n')}
users:
${o.contexts.map((c) => `- name: ${c.name}\n  user:\n    token: t-${c.name}`).join('\n')}
contexts:
${o.contexts.map((c) => `- name: ${c.name}\n  context:\n    cluster: ${c.name}\n    user: ${c.name}${c.namespace ? `\n    namespace: ${c.namespace}` : ''}`).join('\n')}
`;

const dir = tempDir('cloak-kubeconfig-');
const a = join(dir, 'a.yaml');
const b = join(dir, 'b.yaml');
writeFileSync(a, config({ current: 'dev', contexts: [{ name: 'dev', server: 'http://127.0.0.1:1001', namespace: 'team' }, { name: 'prod', server: 'https://prod.example:6443' }] }));
writeFileSync(b, config({ current: 'other', contexts: [{ name: 'dev', server: 'http://127.0.0.1:9999' }, { name: 'other', server: 'http://127.0.0.1:1002' }] }));

test('--kubeconfig: current context, its namespace, -n overrides it', async () => {
  const t = await loadKubeConfig({ kubeconfig: 'a.yaml', env: {}, cwd: dir });
  assert.equal(t.contextName, 'dev');
  assert.equal(t.server, 'http://127.0.0.1:1001');
  assert.equal(t.namespace, 'team');
  const n = await loadKubeConfig({ kubeconfig: a, namespace: 'ops', env: {}, cwd: '/' });
  assert.equal(n.namespace, 'ops');
});

test('--context picks another context; namespace defaults to "default"', async () => {
  const t = await loadKubeConfig({ kubeconfig: a, context: 'prod', env: {}, cwd: '/' });
  assert.equal(t.server, 'https://prod.example:6443');
  assert.equal(t.namespace, 'default');
});

test('an unknown context is an error listing the known ones', async () => {
  await assert.rejects(loadKubeConfig({ kubeconfig: a, context: 'nope', env: {}, cwd: '/' }), (e: Error & { line: string; code: string }) => {
    assert.equal(e.code, 'UnknownContext');
    assert.match(e.line, /context "nope" is not in the kubeconfig \(use one of: dev, prod\)/);
    return true;
  });
});

test('$KUBECONFIG: several files, the first that defines a name or the current context wins, missing ones skipped', async () => {
  const t = await loadKubeConfig({ env: { KUBECONFIG: [join(dir, 'missing.yaml'), a, b].join(':') }, cwd: '/' });
  assert.equal(t.contextName, 'dev');
  assert.equal(t.server, 'http://127.0.0.1:1001');
  const o = await loadKubeConfig({ context: 'other', env: { KUBECONFIG: `${a}:${b}` }, cwd: '/' });
  assert.equal(o.server, 'http://127.0.0.1:1002');
});

test('~/.kube/config is used when nothing else is given', async () => {
  const home = join(dir, 'home');
  mkdirSync(join(home, '.kube'), { recursive: true });
  writeFileSync(join(home, '.kube', 'config'), config({ current: 'h', contexts: [{ name: 'h', server: 'http://127.0.0.1:1003' }] }));
  const t = await loadKubeConfig({ env: { HOME: home }, cwd: '/' });
  assert.equal(t.server, 'http://127.0.0.1:1003');
});

test('a missing --kubeconfig file and no kubeconfig at all are cluster errors with a fix', async () => {
  await assert.rejects(loadKubeConfig({ kubeconfig: 'nope.yaml', env: {}, cwd: dir }), (e: Error & { line: string; code: string }) => {
    assert.equal(e.code, 'KubeconfigUnreadable');
    assert.match(e.line, /nope\.yaml: kubeconfig file not found \(pass an existing file with --kubeconfig/);
    return true;
  });
  await assert.rejects(loadKubeConfig({ env: { HOME: join(dir, 'empty-home') }, cwd: '/' }), /no kubeconfig found/);
});
