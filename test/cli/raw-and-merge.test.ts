// `cloak seal --raw` (kubeseal's TestRaw scope matrix) and `--merge-into`.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { ROOT, runCloak } from '../support/cloak-cli.js';
import { tempDir } from '../support/temp-dir.js';

const CERT = join(ROOT, 'keys-example/tls.crt');
const KEY = join(ROOT, 'keys-example/tls.key');
const dir = tempDir();

type Scope = 'strict' | 'namespace-wide' | 'cluster-wide';

describe('cloak seal --raw: kubeseal\'s scope matrix', () => {
  // Sealed with (ns, name, scope), placed in SealedSecret myns/mysecret with that scope's annotation.
  const matrix: Array<{ scope: Scope; ns: string; name: string; ok: boolean }> = [
    { scope: 'strict', ns: 'myns', name: 'mysecret', ok: true },
    { scope: 'strict', ns: 'youGiveRest', name: 'mysecret', ok: false },
    { scope: 'strict', ns: 'myns', name: 'aBadName', ok: false },
    { scope: 'namespace-wide', ns: 'myns', name: 'mysecret', ok: true },
    { scope: 'namespace-wide', ns: 'youGiveRest', name: '', ok: false },
    { scope: 'namespace-wide', ns: 'youGiveRest', name: 'aBadName', ok: false },
    { scope: 'namespace-wide', ns: 'myns', name: '', ok: true },
    { scope: 'namespace-wide', ns: 'myns', name: 'aBadName', ok: true },
    { scope: 'cluster-wide', ns: 'myns', name: 'mysecret', ok: true },
    { scope: 'cluster-wide', ns: 'youGiveRest', name: 'mysecret', ok: true },
    { scope: 'cluster-wide', ns: 'myns', name: '', ok: true },
    { scope: 'cluster-wide', ns: 'myns', name: 'aBadName', ok: true },
    { scope: 'cluster-wide', ns: '', name: '', ok: true },
    { scope: 'cluster-wide', ns: '', name: 'aBadName', ok: true },
  ];
  matrix.forEach((c, i) => {
    it(`${i}: ${c.scope} sealed for ${c.ns || '""'}/${c.name || '""'} ${c.ok ? 'opens' : 'does not open'} in myns/mysecret`, async () => {
      const args = ['seal', '--raw', '--cert', CERT, '--scope', c.scope, ...(c.ns ? ['-n', c.ns] : []), ...(c.name ? ['--name', c.name] : [])];
      const r = await runCloak(args, { input: 'supersecret' });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^[A-Za-z0-9+/]+=*$/, 'base64 with no trailing newline');
      const ss = {
        apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret',
        metadata: { name: 'mysecret', namespace: 'myns', annotations: c.scope === 'strict' ? {} : { [`sealedsecrets.bitnami.com/${c.scope}`]: 'true' } },
        spec: { encryptedData: { foo: r.stdout } },
      };
      const u = await runCloak(['unseal', '--key', KEY, '-o', 'json'], { input: JSON.stringify(ss) });
      if (c.ok) {
        assert.equal(u.code, 0, u.stderr);
        assert.equal(Buffer.from(JSON.parse(u.stdout).data.foo, 'base64').toString(), 'supersecret');
      } else {
        assert.equal(u.code, 3);
        assert.match(u.stderr, /no key could decrypt secret \(foo\)/);
      }
    });
  });

  it('says which of --namespace/--name a scope needs, and reads --from-file', async () => {
    const noName = await runCloak(['seal', '--raw', '--cert', CERT, '-n', 'ns'], { input: 'v' });
    assert.equal(noName.code, 2);
    assert.match(noName.stderr, /must provide the --name flag with --raw and --scope strict/);
    const file = join(dir, 'value.txt');
    writeFileSync(file, 'from-file');
    const r = await runCloak(['seal', '--raw', '--cert', CERT, '--scope', 'namespace-wide', '-n', 'ns', '--from-file', `key=${file}`]);
    assert.equal(r.code, 0, r.stderr);
    const two = await runCloak(['seal', '--raw', '--cert', CERT, '--scope', 'cluster-wide', '--from-file', file, '--from-file', file]);
    assert.equal(two.code, 1);
    assert.match(two.stderr, /only one --from-file/);
    const notRaw = await runCloak(['seal', '--cert', CERT, '--from-file', file]);
    assert.equal(notRaw.code, 1);
    assert.match(notRaw.stderr, /--from-file requires --raw/);
  });
});

describe('cloak seal --merge-into', () => {
  const original = `# Sealed with the demo key. Edit with: cloak seal --merge-into
---
apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata:
  name: web   # the app
  namespace: shop
  annotations:
    sealedsecrets.bitnami.com/namespace-wide: "true"
spec:
  encryptedData:
    # database
    db-password: PLACEHOLDER_DB
    api-key: PLACEHOLDER_API   # rotated quarterly
  template:
    metadata:
      name: web
      namespace: shop
      annotations:
        sealedsecrets.bitnami.com/namespace-wide: "true"
`;

  async function prepared(): Promise<string> {
    // Real ciphertexts for the existing items, sealed namespace-wide for shop.
    const file = join(dir, `merge-${Math.random().toString(16).slice(2)}.yaml`);
    let text = original;
    for (const [ph, value] of [['PLACEHOLDER_DB', 'db-old'], ['PLACEHOLDER_API', 'api-old']] as const) {
      const r = await runCloak(['seal', '--raw', '--cert', CERT, '--scope', 'namespace-wide', '-n', 'shop'], { input: value });
      text = text.replace(ph, r.stdout);
    }
    writeFileSync(file, text);
    return file;
  }

  it('updates and adds items in place, keeping comments, order, quoting and the file\'s scope', async () => {
    const file = await prepared();
    const before = readFileSync(file, 'utf8');
    const input = 'apiVersion: v1\nkind: Secret\nmetadata: {name: ignored, namespace: ignored}\nstringData:\n  api-key: api-new\n  smtp: smtp-new\n';
    const r = await runCloak(['seal', '--cert', CERT, '--merge-into', file], { input });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    const after = readFileSync(file, 'utf8');
    const a = before.split('\n');
    const b = after.split('\n');
    const key = (l: string) => l.trim().replace(/:.*/, '');
    assert.deepEqual(b.filter((l) => !a.includes(l)).map(key), ['api-key', 'smtp', 'cloak.dev/sealing-keys'].sort((x, y) => b.findIndex((l) => key(l) === x) - b.findIndex((l) => key(l) === y)));
    assert.deepEqual(a.filter((l) => !b.includes(l)).map(key), ['api-key'], 'only the updated value left');
    assert.ok(after.includes('# Sealed with the demo key'));
    assert.ok(after.includes('# database'));
    assert.ok(after.includes('# rotated quarterly'));
    assert.ok(after.includes('name: web   # the app'));
    const ss = parse(after.replace(/^#.*\n---\n/, ''));
    assert.deepEqual(Object.keys(ss.spec.encryptedData), ['db-password', 'api-key', 'smtp']);
    const u = await runCloak(['unseal', '--key', KEY, '-o', 'json', '-f', file]);
    assert.equal(u.code, 0, u.stderr);
    const data = JSON.parse(u.stdout).data as Record<string, string>;
    assert.deepEqual(Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()])),
      { 'api-key': 'api-new', 'db-password': 'db-old', smtp: 'smtp-new' });
  });

  it('leaves the file untouched when sealing fails', async () => {
    const file = await prepared();
    const before = readFileSync(file, 'utf8');
    const r = await runCloak(['seal', '--cert', CERT, '--merge-into', file], { input: 'apiVersion: v1\nkind: Secret\nmetadata: {name: x}\ndata: {k: "%%%"}\n' });
    assert.equal(r.code, 2);
    assert.equal(readFileSync(file, 'utf8'), before);
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
  });

  it('refuses a file that is not a SealedSecret', async () => {
    const file = join(dir, 'cm.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n');
    const r = await runCloak(['seal', '--cert', CERT, '--merge-into', file], { input: 'apiVersion: v1\nkind: Secret\nmetadata: {name: x}\nstringData: {k: v}\n' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cm\.yaml: expected a SealedSecret but found kind ConfigMap/);
  });

  it('merging with a newer key replaces a commented hint annotation without corrupting the file', async () => {
    const keyDir = join(dir, 'newer-key');
    assert.equal((await runCloak(['keys', 'generate', '--out', keyDir, '--bits', '2048'])).code, 0);
    const first = await runCloak(['seal', '--cert', CERT], { input: 'apiVersion: v1\nkind: Secret\nmetadata: {name: app, namespace: demo}\nstringData: {a: one}\n' });
    assert.equal(first.code, 0, first.stderr);
    const file = join(dir, 'commented-hint.yaml');
    writeFileSync(file, first.stdout.replace(/^(    cloak\.dev\/sealing-key: .*)$/m, '$1  # the demo key'));
    const r = await runCloak(['seal', '--cert', join(keyDir, 'tls.crt'), '--merge-into', file],
      { input: 'apiVersion: v1\nkind: Secret\nmetadata: {name: app, namespace: demo}\nstringData: {b: two}\n' });
    assert.equal(r.code, 0, r.stderr);
    const ss = parse(readFileSync(file, 'utf8'));
    assert.deepEqual(Object.keys(ss.spec.encryptedData), ['a', 'b']);
    assert.equal(ss.metadata.annotations['cloak.dev/sealing-key'], undefined, 'the single-key hint is gone');
    assert.deepEqual(Object.keys(JSON.parse(ss.metadata.annotations['cloak.dev/sealing-keys'])), ['a', 'b']);
    const u = await runCloak(['unseal', '--key', KEY, '--key', join(keyDir, 'tls.key'), '-o', 'json', '-f', file]);
    assert.equal(u.code, 0, u.stderr);
    assert.deepEqual(Object.fromEntries(Object.entries(JSON.parse(u.stdout).data as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()])), { a: 'one', b: 'two' });
  });
});
