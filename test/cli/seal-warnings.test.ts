// Seal's warnings (issue 12), through the real bin/cloak: a Secret without a namespace sealed with
// a scope that binds the namespace says which namespace it was sealed for (kubeconfig context's, as
// kubeseal, else "default"); --merge-into says when the input names another object than the file.
// One line each on stderr, never a value, and the output is unchanged.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { ROOT, runCloak } from '../support/cloak-cli.js';
import { tempDir } from '../support/temp-dir.js';

const CERT = join(ROOT, 'keys-example/tls.crt');
const dir = tempDir('cloak-warn-');
const VALUE = 'WARNING-TEST-PLANTED';
const secret = (o: { ns?: string; annotations?: string } = {}) =>
  `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n${o.ns ? `  namespace: ${o.ns}\n` : ''}${o.annotations ? `  annotations:\n    ${o.annotations}\n` : ''}stringData:\n  password: ${VALUE}\n`;

const kubeconfig = join(dir, 'kubeconfig');
writeFileSync(kubeconfig, [
  'apiVersion: v1', 'kind: Config', 'current-context: dev',
  'contexts:', '  - name: dev', '    context: {cluster: c, user: u, namespace: team-x}', '  - name: other', '    context: {cluster: c, user: u}',
  'clusters:', '  - name: c', '    cluster: {server: "https://127.0.0.1:1"}', 'users:', '  - name: u', '    user: {token: t}', '',
].join('\n'));

function noValue(r: { stdout: string; stderr: string }): void {
  assert.ok(!r.stderr.includes(VALUE) && !r.stdout.includes(VALUE));
  assert.ok(!r.stderr.includes(Buffer.from(VALUE).toString('base64')));
}

describe('cloak seal: namespace warnings', { concurrency: true }, () => {
  const warns: Array<[string, string[], string, string]> = [
    ['strict scope, no namespace', [], secret(), 'strict'],
    ['--scope namespace-wide, no namespace', ['--scope', 'namespace-wide'], secret(), 'namespace-wide'],
    ['namespace-wide annotation, no namespace', [], secret({ annotations: 'sealedsecrets.bitnami.com/namespace-wide: "true"' }), 'namespace-wide'],
  ];
  for (const [what, args, input, scope] of warns) {
    it(`warns: ${what}`, async () => {
      const r = await runCloak(['seal', '--cert', CERT, ...args], { input });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, `warning: stdin Secret db: no namespace given, sealed for namespace "default", which ${scope} scope binds: set metadata.namespace or pass -n\n`);
      assert.equal(parse(r.stdout).metadata.namespace, 'default');
      noValue(r);
    });
  }

  const quiet: Array<[string, string[], string]> = [
    ['the Secret has a namespace', [], secret({ ns: 'team-a' })],
    ['-n is given', ['-n', 'team-b'], secret()],
    ['cluster-wide scope', ['--scope', 'cluster-wide'], secret()],
    ['cluster-wide annotation', [], secret({ annotations: 'sealedsecrets.bitnami.com/cluster-wide: "true"' })],
  ];
  for (const [what, args, input] of quiet) {
    it(`no warning when ${what}`, async () => {
      const r = await runCloak(['seal', '--cert', CERT, ...args], { input });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '');
    });
  }

  it('names the kubeconfig context\'s namespace when that is what it used (as kubeseal does)', async () => {
    const r = await runCloak(['seal', '--cert', CERT], { input: secret(), env: { KUBECONFIG: kubeconfig } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, 'warning: stdin Secret db: no namespace given, sealed for namespace "team-x" (the kubeconfig context\'s), which strict scope binds: set metadata.namespace or pass -n\n');
    assert.equal(parse(r.stdout).metadata.namespace, 'team-x');
    const other = await runCloak(['seal', '--cert', CERT, '--context', 'other'], { input: secret(), env: { KUBECONFIG: kubeconfig } });
    assert.match(other.stderr, /sealed for namespace "default", which strict/);
  });

  it('one line per Secret of a multi-document input, naming each document', async () => {
    const r = await runCloak(['seal', '--cert', CERT], { input: `${secret()}---\n${secret({ ns: 'ok' })}---\n${secret().replace('name: db', 'name: db2')}` });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stderr.trimEnd().split('\n'), [
      'warning: stdin (document 1) Secret db: no namespace given, sealed for namespace "default", which strict scope binds: set metadata.namespace or pass -n',
      'warning: stdin (document 3) Secret db2: no namespace given, sealed for namespace "default", which strict scope binds: set metadata.namespace or pass -n',
    ]);
  });

  it('--raw without -n warns for strict and namespace-wide, not cluster-wide', async () => {
    const strict = await runCloak(['seal', '--raw', '--cert', CERT, '--name', 'db'], { input: VALUE });
    assert.equal(strict.code, 0, strict.stderr);
    assert.equal(strict.stderr, 'warning: --raw value: no namespace given, sealed for namespace "default", which strict scope binds: set metadata.namespace or pass -n\n');
    noValue(strict);
    const withNs = await runCloak(['seal', '--raw', '--cert', CERT, '--name', 'db', '-n', 'team-a'], { input: VALUE });
    assert.equal(withNs.stderr, '');
    const cw = await runCloak(['seal', '--raw', '--cert', CERT, '--scope', 'cluster-wide'], { input: VALUE });
    assert.equal(cw.stderr, '');
  });
});

describe('cloak seal --merge-into: name warnings', { concurrency: true }, () => {
  async function sealedFile(name: string): Promise<string> {
    const r = await runCloak(['seal', '--cert', CERT], { input: secret({ ns: 'team-a' }) });
    assert.equal(r.code, 0, r.stderr);
    const file = join(dir, name);
    writeFileSync(file, r.stdout);
    return file;
  }

  it('warns when the input Secret\'s name differs from the file\'s, and still merges for the file\'s name', async () => {
    const file = await sealedFile('merge-name.yaml');
    const input = 'apiVersion: v1\nkind: Secret\nmetadata: {name: api, namespace: team-a}\nstringData: {token: WARNING-TEST-PLANTED}\n';
    const r = await runCloak(['seal', '--cert', CERT, '--merge-into', file], { input });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, `warning: stdin Secret team-a/api merged into SealedSecret team-a/db (${file}): the items are sealed for team-a/db, the file's name, not team-a/api: check this is the right file\n`);
    noValue(r);
    const merged = parse(readFileSync(file, 'utf8'));
    assert.equal(merged.metadata.name, 'db');
    assert.deepEqual(Object.keys(merged.spec.encryptedData).sort(), ['password', 'token']);
  });

  it('warns when the namespace differs', async () => {
    const file = await sealedFile('merge-ns.yaml');
    const r = await runCloak(['seal', '--cert', CERT, '--merge-into', file], { input: secret({ ns: 'prod' }) });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^warning: stdin Secret prod\/db merged into SealedSecret team-a\/db \(.*\): the items are sealed for team-a\/db, the file's namespace, not prod\/db: check this is the right file\n$/);
  });

  it('is quiet when the names agree (and when the input has no namespace)', async () => {
    const file = await sealedFile('merge-same.yaml');
    const same = await runCloak(['seal', '--cert', CERT, '--merge-into', file], { input: secret({ ns: 'team-a' }) });
    assert.equal(same.code, 0, same.stderr);
    assert.equal(same.stderr, '');
    const noNs = await runCloak(['seal', '--cert', CERT, '--merge-into', file], { input: secret() });
    assert.equal(noNs.code, 0, noNs.stderr);
    assert.equal(noNs.stderr, '');
  });
});
