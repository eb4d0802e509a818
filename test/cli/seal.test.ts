// `cloak seal` through the real binary: kubeseal's layout, scopes, inputs, atomic output.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { generateSealingKey } from '../../src/crypto/index.js';
import { ROOT, runCloak } from '../support/cloak-cli.js';
import { tempDir } from '../support/temp-dir.js';

const CERT = join(ROOT, 'keys-example/tls.crt');
const KEY = join(ROOT, 'keys-example/tls.key');
const SECRET_VALUE = 'S3CR3T-never-print-me';
const dir = tempDir();

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const secretYaml = (o: { name?: string; namespace?: string; extra?: string; data?: string } = {}) => `apiVersion: v1
kind: Secret
metadata:
${o.name === '' ? '' : `  name: ${o.name ?? 'app'}\n`}${o.namespace ? `  namespace: ${o.namespace}\n` : ''}${o.extra ?? ''}${o.data ?? `stringData:\n  password: ${SECRET_VALUE}\n`}`;

async function seal(args: string[], input: string) {
  const r = await runCloak(['seal', '--cert', CERT, ...args], { input });
  assert.equal(r.code, 0, r.stderr);
  return r;
}

async function unsealed(sealedText: string, key = KEY): Promise<Obj[]> {
  const r = await runCloak(['unseal', '--key', key, '-o', 'json'], { input: sealedText });
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as Obj;
  return out['kind'] === 'List' ? out['items'] : [out];
}

const docs = (yaml: string): Obj[] => parseAllDocuments(yaml).map((d) => d.toJS() as Obj);
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('cloak seal: output layout', () => {
  it('writes kubeseal\'s YAML: `---` first, every mapping sorted, scope-free strict metadata, our key hint', async () => {
    const r = await seal(['-f', join(ROOT, 'keys-example/secret.yaml')], '');
    assert.match(r.stdout, /^---\napiVersion: bitnami.com\/v1alpha1\nkind: SealedSecret\nmetadata:\n  annotations:\n    cloak.dev\/sealing-key: SHA256:/);
    const [ss] = docs(r.stdout);
    assert.deepEqual(Object.keys(ss!['spec']), ['encryptedData', 'template']);
    assert.deepEqual(ss!['spec']['template'], { metadata: { name: 'db-credentials', namespace: 'demo' }, type: 'Opaque' });
    for (const v of Object.values(ss!['spec']['encryptedData'] as Record<string, string>)) assert.match(v, /^AgB|^AgA|^AgC|^AgD/);
    assert.ok(!r.stdout.includes('correct-horse'), 'no plaintext in output');
    const [secret] = await unsealed(r.stdout);
    assert.equal(Buffer.from(secret!['data']['password'], 'base64').toString(), 'correct-horse-battery-staple');
  });

  it('writes kubeseal\'s JSON field order with -o json', async () => {
    const r = await seal(['-o', 'json'], secretYaml({ namespace: 'ns1' }));
    const obj = JSON.parse(r.stdout) as Obj;
    assert.deepEqual(Object.keys(obj), ['kind', 'apiVersion', 'metadata', 'spec']);
    assert.deepEqual(Object.keys(obj['spec']), ['template', 'encryptedData']);
    assert.deepEqual(Object.keys(obj['metadata']), ['name', 'namespace', 'annotations']);
  });

  it('accepts `kubectl create secret generic --dry-run=client -o yaml` piped in, and keeps `yes` a string', async () => {
    const kubectl = join(dirname(execFileSync('readlink', ['-f', execFileSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).trim()], { encoding: 'utf8' }).trim()), 'kubectl.1.32');
    const yaml = execFileSync(kubectl, ['create', 'secret', 'generic', 'from-kubectl', '--from-literal=password=yes', '--from-literal=mode=0755', '--dry-run=client', '-o', 'yaml'],
      { encoding: 'utf8', env: { ...process.env, KUBECONFIG: '/nonexistent/kubeconfig', KUBECACHEDIR: join(dir, 'kc') } });
    const r = await seal([], yaml);
    const [ss] = docs(r.stdout);
    assert.equal(ss!['metadata']['namespace'], 'default');
    assert.ok(!('creationTimestamp' in ss!['spec']['template']['metadata']));
    const [secret] = await unsealed(r.stdout);
    assert.equal(secret!['data']['password'], b64('yes'));
    assert.equal(secret!['data']['mode'], b64('0755'));
  });

  it('seals several documents of a YAML stream, and of concatenated JSON', async () => {
    const stream = `${secretYaml({ name: 'one', namespace: 'a' })}---\n${secretYaml({ name: 'two', namespace: 'b' })}---\n`;
    const r = await seal([], stream);
    assert.deepEqual(docs(r.stdout).map((d) => d['metadata']['name']), ['one', 'two']);
    assert.equal((r.stdout.match(/^---$/gm) ?? []).length, 2);
    const json = [1, 2].map((i) => JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: `j${i}`, namespace: 'x' }, data: { k: b64(`v${i}`) } })).join('\n');
    const rj = await seal(['-o', 'json'], json);
    const secrets = await unsealed(rj.stdout);
    assert.deepEqual(secrets.map((s) => Buffer.from(s['data']['k'], 'base64').toString()), ['v1', 'v2']);
  });

  it('lets stringData win over data, and strips live-object fields and last-applied annotations', async () => {
    const input = JSON.stringify({
      apiVersion: 'v1', kind: 'Secret',
      metadata: {
        name: 'live', namespace: 'prod', uid: 'u-1', resourceVersion: '42', creationTimestamp: '2026-01-01T00:00:00Z', generation: 3,
        managedFields: [{ manager: 'kubectl' }], labels: { app: 'web' },
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': `{"data":{"password":"${SECRET_VALUE}"}}`, keep: 'me' },
      },
      data: { password: b64('from-data'), other: b64('o') }, stringData: { password: 'from-stringData' },
    });
    const r = await seal([], input);
    assert.ok(!r.stdout.includes(SECRET_VALUE));
    const [ss] = docs(r.stdout);
    assert.deepEqual(ss!['spec']['template']['metadata'], { name: 'live', namespace: 'prod', labels: { app: 'web' }, annotations: { keep: 'me' } });
    const [secret] = await unsealed(r.stdout);
    assert.equal(secret!['data']['password'], b64('from-stringData'));
    assert.equal(secret!['data']['other'], b64('o'));
  });

  it('keeps type and immutable, and binary, empty and large values byte for byte', async () => {
    const binary = Buffer.from([0, 1, 2, 253, 254, 255]);
    const large = Buffer.alloc(512 * 1024, 'x');
    const input = JSON.stringify({
      apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/dockerconfigjson', immutable: true,
      metadata: { name: 'typed', namespace: 'ci' },
      data: { '.dockerconfigjson': b64('{"auths":{}}'), bin: binary.toString('base64'), empty: '', large: large.toString('base64') },
    });
    const r = await seal([], input);
    const [ss] = docs(r.stdout);
    assert.equal(ss!['spec']['template']['type'], 'kubernetes.io/dockerconfigjson');
    assert.equal(ss!['spec']['template']['immutable'], true);
    const [secret] = await unsealed(r.stdout);
    assert.equal(secret!['type'], 'kubernetes.io/dockerconfigjson');
    assert.equal(secret!['immutable'], true);
    assert.equal(secret!['data']['bin'], binary.toString('base64'));
    assert.equal(secret!['data']['empty'], '');
    assert.equal(secret!['data']['large'], large.toString('base64'));
  });
});

describe('cloak seal: scopes', () => {
  for (const scope of ['strict', 'namespace-wide', 'cluster-wide'] as const) {
    it(`${scope}: annotations at the top level and in the template, and the label binds what it should`, async () => {
      const r = await seal(['--scope', scope], secretYaml({ namespace: 'team' }));
      const [ss] = docs(r.stdout);
      const ann = `sealedsecrets.bitnami.com/${scope}`;
      if (scope === 'strict') {
        assert.ok(!Object.keys(ss!['metadata']['annotations']).some((k) => k.startsWith('sealedsecrets.bitnami.com/')));
      } else {
        assert.equal(ss!['metadata']['annotations'][ann], 'true');
        assert.equal(ss!['spec']['template']['metadata']['annotations'][ann], 'true');
      }
      assert.equal((await unsealed(r.stdout))[0]!['data']['password'], b64(SECRET_VALUE));
      const renamed = { ...ss!, metadata: { ...ss!['metadata'], name: 'other' } };
      const moved = { ...ss!, metadata: { ...ss!['metadata'], namespace: 'elsewhere' } };
      const tryUnseal = (o: Obj) => runCloak(['unseal', '--key', KEY], { input: JSON.stringify(o) });
      assert.equal((await tryUnseal(renamed)).code, scope === 'strict' ? 3 : 0);
      assert.equal((await tryUnseal(moved)).code, scope === 'cluster-wide' ? 0 : 3);
    });
  }

  it('takes the scope from the input\'s annotations, and an explicit --scope strict overrides them (unlike kubeseal)', async () => {
    const extra = '  annotations:\n    sealedsecrets.bitnami.com/cluster-wide: "true"\n';
    const fromAnnotation = docs((await seal([], secretYaml({ extra }))).stdout)[0]!;
    assert.equal(fromAnnotation['metadata']['annotations']['sealedsecrets.bitnami.com/cluster-wide'], 'true');
    assert.ok(!('namespace' in fromAnnotation['metadata']), 'cluster-wide keeps an empty namespace');
    const overridden = docs((await seal(['--scope', 'strict'], secretYaml({ extra }))).stdout)[0]!;
    assert.equal(overridden['metadata']['namespace'], 'default');
    assert.equal(overridden['spec']['template']['metadata']['annotations'], undefined);
    assert.equal(overridden['metadata']['annotations']['sealedsecrets.bitnami.com/cluster-wide'], undefined);
  });

  it('uses -n for Secrets without a namespace, the kubeconfig context namespace otherwise, and --name to rename', async () => {
    assert.equal(docs((await seal(['-n', 'given'], secretYaml())).stdout)[0]!['metadata']['namespace'], 'given');
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\ncurrent-context: c\ncontexts:\n- name: c\n  context: {cluster: x, user: y, namespace: from-context}\n');
    const r = await runCloak(['seal', '--cert', CERT], { input: secretYaml(), env: { KUBECONFIG: kubeconfig } });
    assert.equal(docs(r.stdout)[0]!['metadata']['namespace'], 'from-context');
    const renamed = docs((await seal(['--name', 'renamed'], secretYaml({ namespace: 'a' }))).stdout)[0]!;
    assert.equal(renamed['metadata']['name'], 'renamed');
    assert.equal(renamed['spec']['template']['metadata']['name'], 'renamed');
  });
});

describe('cloak seal: files', () => {
  it('reads the certificate from $CLOAK_CERT, $SEALED_SECRETS_CERT, a file:// URL and an http URL', async () => {
    for (const env of [{ CLOAK_CERT: CERT }, { SEALED_SECRETS_CERT: CERT }, { CLOAK_CERT: `file://${CERT}` }] as Array<Record<string, string>>) {
      const r = await runCloak(['seal'], { input: secretYaml(), env });
      assert.equal(r.code, 0, r.stderr);
    }
    const { createServer } = await import('node:http');
    const server = createServer((_, res) => res.end(readFileSync(CERT)));
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    try {
      const port = (server.address() as { port: number }).port;
      const r = await runCloak(['seal', '--cert', `http://127.0.0.1:${port}/v1/cert.pem`], { input: secretYaml() });
      assert.equal(r.code, 0, r.stderr);
    } finally {
      server.close();
    }
  });

  it('-w writes the file atomically, YAML for .yaml and JSON for .json', async () => {
    await seal(['-w', join(dir, 'out.yaml')], secretYaml());
    assert.match(readFileSync(join(dir, 'out.yaml'), 'utf8'), /^---\napiVersion: bitnami.com/);
    await seal(['-w', join(dir, 'out.json')], secretYaml());
    assert.equal(JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'))['kind'], 'SealedSecret');
  });

  it('a failing run leaves an existing -w target untouched and no temp files', async () => {
    const target = join(dir, 'keep.yaml');
    writeFileSync(target, 'original\n');
    const bad = `${secretYaml({ name: 'good' })}---\n${secretYaml({ name: 'bad', data: 'data:\n  k: "!!notbase64"\n' })}`;
    const r = await runCloak(['seal', '--cert', CERT, '-w', target], { input: bad });
    assert.equal(r.code, 2);
    assert.equal(readFileSync(target, 'utf8'), 'original\n');
    assert.deepEqual(readdirSync(dir).filter((f) => f.includes('.tmp')), []);
  });

  it('a write that fails after the temp file exists (target is a directory) removes the temp file', async () => {
    const target = join(dir, 'a-directory.yaml');
    mkdirSync(target);
    const r = await runCloak(['seal', '--cert', CERT, '-w', target], { input: secretYaml() });
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim().split('\n').filter((l) => !l.startsWith('warning: ')).length, 1, r.stderr);
    assert.match(r.stderr, /a-directory\.yaml: cannot write output \(EISDIR\)/);
    assert.deepEqual(readdirSync(target), []);
    assert.deepEqual(readdirSync(dir).filter((f) => f.includes('.tmp')), [], 'the temp file written before the failing rename is removed');
  });
});

describe('cloak seal: bad input gets one clear line and exit code', () => {
  const cases: Array<{ what: string; args?: string[]; input: string; code: number; message: RegExp }> = [
    { what: 'wrong kind', input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n', code: 2, message: /stdin: expected a Secret but found kind ConfigMap/ },
    { what: 'missing name', input: secretYaml({ name: '' }), code: 2, message: /missing metadata\.name in input Secret/ },
    { what: 'invalid base64', input: secretYaml({ name: 'b', data: `data:\n  token: "${SECRET_VALUE}"\n` }), code: 2, message: /stdin Secret b: data\.token is not valid base64/ },
    { what: 'empty data', input: secretYaml({ name: 'e', data: '' }), code: 2, message: /Secret e: secret\.data is empty .*--allow-empty-data/ },
    { what: 'malformed YAML', input: 'apiVersion: v1\nkind: Secret\nmetadata: {name: x\n', code: 2, message: /stdin: malformed YAML/ },
    { what: 'no documents', input: '\n', code: 2, message: /no secrets found/ },
    { what: 'a non-cert PEM', args: ['--cert', KEY], input: secretYaml(), code: 2, message: /tls\.key: expected a PEM CERTIFICATE but found a PEM RSA PRIVATE KEY/ },
    { what: 'a missing cert file', args: ['--cert', '/nonexistent/cert.pem'], input: secretYaml(), code: 2, message: /\/nonexistent\/cert\.pem: certificate file not found/ },
    { what: 'no certificate at all', args: [], input: secretYaml(), code: 4, message: /--cert/ },
    { what: 'namespace mismatch', args: ['--cert', CERT, '-n', 'b'], input: secretYaml({ namespace: 'a' }), code: 2, message: /namespace mismatch: input secret is in namespace "a" but "b" was specified/ },
    { what: 'a bad scope', args: ['--cert', CERT, '--scope', 'wide'], input: secretYaml(), code: 1, message: /wide/ },
    { what: 'a stringData boolean', input: secretYaml({ data: 'stringData:\n  enabled: yes\n' }), code: 2, message: /stringData\.enabled must be a string, found a boolean \(quote the value\)/ },
  ];
  for (const c of cases) {
    it(c.what, async () => {
      const r = await runCloak(['seal', ...(c.args ?? ['--cert', CERT])], { input: c.input });
      assert.equal(r.code, c.code, r.stderr);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, c.message);
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, `one line: ${r.stderr}`);
      assert.ok(!r.stderr.includes(SECRET_VALUE), 'no secret value in the error');
    });
  }

  it('refuses an expired certificate with kubeseal\'s message', async () => {
    const old = await generateSealingKey({ bits: 2048, now: new Date('2015-01-01T00:00:00Z'), validityDays: 30 });
    const certFile = join(dir, 'expired.pem');
    writeFileSync(certFile, old.certPem);
    const r = await runCloak(['seal', '--cert', certFile], { input: secretYaml() });
    assert.equal(r.code, 3);
    assert.match(r.stderr, /expired\.pem: failed to encrypt using an expired certificate on January 31, 2015/);
  });

  it('allows empty data with --allow-empty-data', async () => {
    const r = await seal(['--allow-empty-data'], secretYaml({ data: '' }));
    assert.deepEqual(docs(r.stdout)[0]!['spec']['encryptedData'], {});
  });
});

describe('cloak on an old Node', () => {
  it('refuses to run with a one-line message', () => {
    let out = '';
    try {
      execFileSync('/usr/bin/node', [join(ROOT, 'dist/cli/bin.js'), '--version'], { encoding: 'utf8', stdio: 'pipe' });
      assert.fail('should have exited non-zero');
    } catch (e) {
      out = (e as { stderr: string }).stderr;
      assert.equal((e as { status: number }).status, 1);
    }
    const version = execFileSync('/usr/bin/node', ['--version'], { encoding: 'utf8' }).trim();
    assert.ok(Number(version.slice(1).split('.')[0]) < 22, `this test needs the system Node to be old, found ${version}`);
    assert.match(out, /^error: cloak needs Node >= 22\.19 \(this is 20\.[0-9.]+\)/);
  });
});

