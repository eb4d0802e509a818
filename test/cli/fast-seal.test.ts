// The `cloak seal` fast path (cli/fast-seal, bundled as dist/cli-bundle/fast-seal-*.js) against the
// normal path: its YAML reader and writer against the yaml library, then generated Secrets and
// options sealed by both, every ciphertext decrypted with keys-example/tls.key and compared as
// plaintext (outputs, warnings and exit codes identical), then fallbacks through the real bin/cloak.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { parse, parseAllDocuments } from 'yaml';
import { hybridDecrypt, parsePrivateKeyPem } from '../../src/crypto/index.js';
import { readDocuments, toYaml } from '../../src/manifests/documents.js';
import { encryptionLabel, scopeFromAnnotations } from '../../src/sealed/scope.js';
import { run } from '../../cli/main.js';
import { NotHandled, isPlainString } from '../../cli/fast-seal/scalar.js';
import { readYamlMapping } from '../../cli/fast-seal/yaml-read.js';
import { stringify } from '../../cli/fast-seal/yaml-subset.js';
import { ROOT, runCloak } from '../support/cloak-cli.js';
import { tempDir } from '../support/temp-dir.js';

type FastModule = typeof import('../../cli/fast-seal/index.js');
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CERT = join(ROOT, 'keys-example/tls.crt');
const [KEY] = parsePrivateKeyPem(readFileSync(join(ROOT, 'keys-example/tls.key'), 'utf8'), 'tls.key');
const dir = tempDir('cloak-fast-seal-');
const ENV = { KUBECONFIG: '/nonexistent/kubeconfig', HOME: dir };
const bundled = /fast-seal-[A-Z0-9]+\.js/.exec(readFileSync(join(ROOT, 'dist/cli-bundle/bin.js'), 'utf8'))?.[0];
const fast = (await import(pathToFileURL(join(ROOT, 'dist/cli-bundle', bundled ?? 'missing')).href)) as FastModule;

// Scalars near every boundary of the subset: YAML 1.1 types, indicators, quotes, colons, comments.
const TRICKY = ['v', 'E0', 'e5', 'example', 'Opaque', 'true', 'True', 'yes', 'Y', 'n', 'off', 'null', '~', '', ' ', '123', '0755', '0x1f', '1.5', '1e3', '.inf', '.5',
  '-1', '+1', '1:20', '2001-12-14', '2001-12-14 21:59:43.10 -5', 'a b', 'a  b', 'a: b', 'a:b', 'a:', ' lead', 'trail ', '#hash', 'a #b', 'a#b',
  "it's", 'say "hi"', `both ' and "`, 'back\\slash', 'SHA256:DoPKqB/OV0+9L', 'x=', 'abc/def', '0LTQsA==', '...dots', '---', '%x', '@x', '`x',
  '-dash', '?q', '[a]', '{a}', 'a,b', '*star', '&amp', '!tag', '|bar', '>gt', 'é', 'naïve ü', '日本', 'line\nbreak', 'tab\there', '<<', '=', 'nan', 'NaN'];
const scalar = fc.oneof(fc.constantFrom(...TRICKY), fc.string({ maxLength: 12 }), fc.stringMatching(/^[A-Za-z0-9+/=._:-]{1,16}$/));

/** One scalar written as YAML the way a person or kubectl might: plain, double- or single-quoted. */
const yamlScalar = (s: string, style: number): string => (style === 0 ? s : style === 1 ? JSON.stringify(s) : `'${s.replaceAll("'", "''")}'`);

describe('fast-seal YAML reader', () => {
  it('reads exactly what the yaml library reads, or refuses (property)', () => {
    const key = fc.oneof(fc.constantFrom('a', 'b', 'tls.crt', '.dockerconfigjson', 'x/y', 'true', '1', 'a b', '__proto__', 'k-1', 'a:b'), fc.stringMatching(/^[a-z.]{1,5}$/));
    type Tree = { [k: string]: Tree | [string, number] | null | boolean };
    const tree: fc.Arbitrary<Tree> = fc.letrec((tie) => ({
      node: fc.dictionary(key, fc.oneof({ depthSize: 'small' }, fc.tuple(scalar, fc.integer({ min: 0, max: 2 })), fc.constant(null), fc.boolean(), tie('node')), { maxKeys: 4 }) as fc.Arbitrary<Tree>,
    })).node;
    const render = (t: Tree, indent: string, step: string, extras: boolean[]): string => Object.entries(t).map(([k, v], i) => {
      const comment = extras[i % extras.length] ? `${indent}# note: ${k}\n` : '';
      if (v === null) return `${comment}${indent}${k}:${extras[(i + 1) % extras.length] ? ' ~' : ''}\n`;
      if (typeof v === 'boolean') return `${comment}${indent}${k}: ${v}\n`;
      if (Array.isArray(v)) return `${comment}${indent}${k}: ${yamlScalar(v[0], v[1])}${extras[(i + 2) % extras.length] ? ' # trailing' : ''}\n`;
      return `${comment}${indent}${k}:\n${render(v, indent + step, step, extras)}`;
    }).join('');
    let read = 0;
    fc.assert(fc.property(tree, fc.constantFrom('  ', '    ', ' '), fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }), fc.boolean(), (t, step, extras, start) => {
      const text = `${start ? '---\n' : ''}${render(t, '', step, extras)}`;
      let ours: unknown;
      try { ours = readYamlMapping(text); } catch (e) { assert.ok(e instanceof NotHandled, String(e)); return; }
      read++;
      const docs = readDocuments(text, 'x');
      assert.equal(docs.length, 1);
      assert.deepEqual(ours, docs[0]?.object, text);
    }), { numRuns: 3000 });
    assert.ok(read > 300, `only ${read} of 3000 generated documents were read`);
  });

  it('refuses what it does not fully understand', () => {
    const refused = ['a: [1]\n', 'a: {b: c}\n', 'a: &x b\nc: *x\n', 'a: |\n  b\n', 'a: >\n  b\n', 'a: !!str b\n', 'a: b\n  c\n', 'a: "b\n  c"\n', 'a: 1\n',
      'a: b\n---\nc: d\n', 'a: b\na: c\n', '- a\n', 'a:\n- b\n', 'a:\n  - b\n', '%YAML 1.1\n---\na: b\n', 'a: b\r\n', 'a:\tb\n', '? a\n: b\n', '"a": b\n', 'a: "\\x41"\n',
      'a: b #c: d\n  e: f\n', '  a: b\n', 'a:\n    b: c\n  d: e\n', '# only a comment\n', 'a: yes\n', 'a: 0x1f\n', '<<: {a: b}\n', 'a: b\n...\n'];
    for (const text of refused) assert.throws(() => readYamlMapping(text), NotHandled, JSON.stringify(text));
  });

  it('reads kubectl\'s output and the example Secret', () => {
    const kubectl = 'apiVersion: v1\ndata:\n  password: czNjcjN0\n  username: YWRtaW4=\nkind: Secret\nmetadata:\n  creationTimestamp: null\n  name: db\n';
    assert.deepEqual(readYamlMapping(kubectl), parse(kubectl));
    const example = readFileSync(join(ROOT, 'keys-example/secret.yaml'), 'utf8');
    assert.deepEqual(readYamlMapping(example), parse(example));
  });
});

describe('fast-seal YAML writer', () => {
  it('writes byte for byte what toYaml writes, or refuses (property)', () => {
    type Tree = { [k: string]: Tree | string | null | boolean };
    const tree: fc.Arbitrary<Tree> = fc.letrec((tie) => ({
      node: fc.dictionary(scalar, fc.oneof({ depthSize: 'small' }, scalar, fc.constant(null), fc.boolean(), tie('node')), { maxKeys: 5 }) as fc.Arbitrary<Tree>,
    })).node;
    let written = 0;
    fc.assert(fc.property(tree, (t) => {
      let ours: string;
      try { ours = stringify(t, { version: '1.1', sortMapEntries: true, lineWidth: 0, indentSeq: false, aliasDuplicateObjects: false }); } catch (e) { assert.ok(e instanceof NotHandled, String(e)); return; }
      written++;
      assert.equal(ours, toYaml(t, { sortKeys: true }));
    }), { numRuns: 3000 });
    assert.ok(written > 300, `only ${written} of 3000 generated objects were written`);
  });

  it('plain strings read back as the same strings under YAML 1.1', () => {
    fc.assert(fc.property(scalar, (s) => {
      if (isPlainString(s)) assert.equal(parse(`k: ${s}\n`, { version: '1.1' }).k, s);
    }), { numRuns: 2000 });
  });
});

/** The output with every ciphertext replaced by its plaintext (decrypted with the example key). */
function opened(out: string, format: 'yaml' | 'json'): string {
  const objects: Obj[] = format === 'json' ? out.trim().split(/\n(?=\{)/).map((j) => JSON.parse(j) as Obj) : parseAllDocuments(out).map((d) => d.toJS() as Obj);
  let text = out;
  for (const o of objects) {
    const m = o['metadata'] as Obj;
    const label = encryptionLabel(m['namespace'] ?? '', m['name'], scopeFromAnnotations(m['annotations']));
    for (const [k, v] of Object.entries(o['spec']['encryptedData'] as Record<string, string>)) {
      const plain = hybridDecrypt(KEY!.privateKey, Buffer.from(v, 'base64'), label);
      text = text.replace(v, `<${k}=${plain.toString('base64')}>`);
    }
  }
  return text;
}

async function normalPath(args: string[], input: Buffer, env: Record<string, string>) {
  let stdout = '';
  let stderr = '';
  const code = await run(['seal', ...args], {
    stdin: Readable.from([input]), stdout: (c) => { stdout += c.toString(); }, stderr: (c) => { stderr += c; }, env, cwd: dir, stdinIsTTY: false,
  });
  return { code, stdout, stderr };
}

async function fastPath(args: string[], input: Buffer, env: Record<string, string>) {
  let stdout = '';
  let stderr = '';
  const r = await fast.fastSeal(args, { env, cwd: dir, stdout: (c) => { stdout += c; }, stderr: (c) => { stderr += c; }, readStdin: () => ({ bytes: input, complete: true }) });
  return { handled: r.handled, stdout, stderr };
}

describe('fast-seal against the normal path (differential)', () => {
  // Mostly valid Secrets in the subset (so most runs compare two outputs), some just outside it.
  const SAFE = ['v', 'Opaque', 'a b', 'SHA256:DoPKqB/OV0+9L', '0LTQsA==', 'true', '123', '', 'é', "it's", 'say "hi"', 'x=', '.dot', 'a:b'];
  const value = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...SAFE) }, { weight: 1, arbitrary: scalar });
  const often = <T>(a: fc.Arbitrary<T>, rare: fc.Arbitrary<T>) => fc.oneof({ weight: 15, arbitrary: a }, { weight: 1, arbitrary: rare });
  const name = often(fc.constantFrom('db', 'app.v1', 'x'), fc.constantFrom('Bad_Name', '', '0'));
  const namespace = fc.option(often(fc.constantFrom('demo', 'default', 'team-x'), fc.constantFrom('', 'Bad')), { nil: undefined });
  const annotationKey = fc.constantFrom('a', 'example.com/note', 'sealedsecrets.bitnami.com/cluster-wide', 'sealedsecrets.bitnami.com/namespace-wide',
    'kubectl.kubernetes.io/last-applied-configuration', 'cloak.dev/sealing-key');
  const meta = fc.record({
    name, namespace,
    labels: fc.option(fc.dictionary(fc.constantFrom('app', 'tier', 'app.kubernetes.io/name'), value, { maxKeys: 2 }), { nil: undefined }),
    annotations: fc.option(fc.dictionary(annotationKey, fc.oneof(fc.constant('true'), value), { maxKeys: 3 }), { nil: undefined }),
    creationTimestamp: fc.option(fc.constant(null), { nil: undefined }),
  }, { requiredKeys: ['name'] });
  const itemKey = often(fc.constantFrom('password', 'username', 'tls.crt', '.dockerconfigjson', 'a_b'), fc.constant('bad key'));
  const secret = fc.record({
    apiVersion: often(fc.constant('v1'), fc.constant('v2')),
    kind: often(fc.constant('Secret'), fc.constant('ConfigMap')),
    metadata: meta,
    type: fc.option(fc.constantFrom('Opaque', 'kubernetes.io/tls', 'true'), { nil: undefined }),
    immutable: fc.option(fc.boolean(), { nil: undefined }),
    data: fc.option(fc.dictionary(itemKey, often(fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b).toString('base64')), fc.constant('not base64!')), { maxKeys: 3 }), { nil: undefined }),
    stringData: fc.option(fc.dictionary(itemKey, fc.oneof({ weight: 6, arbitrary: value }, { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) }), { minKeys: 1, maxKeys: 3 }), { nil: undefined }),
  }, { requiredKeys: ['kind', 'metadata', 'stringData'] });
  type Gen = { [k: string]: unknown };
  const renderYaml = (o: Gen, indent: string, style: number): string => Object.entries(o).filter(([, v]) => v !== undefined).map(([k, v]) => {
    if (v === null || typeof v === 'boolean') return `${indent}${k}: ${String(v)}\n`;
    if (typeof v === 'object') return Object.keys(v as object).length === 0 ? `${indent}${k}: {}\n` : `${indent}${k}:\n${renderYaml(v as Gen, `${indent}  `, style)}`;
    return `${indent}${k}: ${yamlScalar(v as string, style === 3 ? (k.length % 3) : style)}\n`;
  }).join('');
  const options = fc.record({
    scope: fc.option(often(fc.constantFrom('strict', 'namespace-wide', 'cluster-wide'), fc.constant('bogus')), { nil: undefined }),
    namespace: fc.option(often(fc.constantFrom('demo', 'team-x'), fc.constantFrom('other', '')), { nil: undefined }),
    name: fc.option(fc.constantFrom('renamed', 'db'), { nil: undefined }),
    output: fc.option(often(fc.constantFrom('yaml', 'json', 'JSON'), fc.constant('xml')), { nil: undefined }),
    allowEmpty: fc.boolean(),
    certForm: fc.constantFrom('--cert', '--cert=', 'prod=', 'env'),
    fromFile: fc.boolean(),
  });

  it('handled runs print what the normal path prints, ciphertexts aside; the rest print nothing (property)', async (t) => {
    let handled = 0;
    let runs = 0;
    await fc.assert(fc.asyncProperty(secret, options, fc.constantFrom(0, 1, 2, 3, 4), async (s, o, style) => {
      runs++;
      const text = style === 4 ? JSON.stringify(s, null, 2) : `${style === 1 ? '---\n' : ''}${renderYaml(s as Gen, '', style)}`;
      const input = Buffer.from(text);
      const env: Record<string, string> = { ...ENV };
      const args: string[] = [];
      if (o.certForm === '--cert') args.push('--cert', CERT);
      else if (o.certForm === '--cert=') args.push(`--cert=${CERT}`);
      else if (o.certForm === 'prod=') args.push('--cert', `prod=${CERT}`);
      else env['CLOAK_CERT'] = CERT;
      if (o.scope !== undefined) args.push('--scope', o.scope);
      if (o.namespace !== undefined) args.push('-n', o.namespace);
      if (o.name !== undefined) args.push('--name', o.name);
      if (o.output !== undefined) args.push('-o', o.output);
      if (o.allowEmpty) args.push('--allow-empty-data');
      if (o.fromFile) {
        writeFileSync(join(dir, 'in.yaml'), input);
        args.push('-f', 'in.yaml');
      }
      const f = await fastPath(args, input, env);
      if (!f.handled) {
        assert.equal(f.stdout + f.stderr, '', 'a run the fast path does not handle prints nothing');
        return;
      }
      handled++;
      const n = await normalPath(args, input, env);
      assert.equal(n.code, 0, n.stderr);
      const format = (o.output ?? 'yaml').toLowerCase() as 'yaml' | 'json';
      assert.equal(opened(f.stdout, format), opened(n.stdout, format), text);
      assert.equal(f.stderr, n.stderr);
    }), { numRuns: 200 });
    t.diagnostic(`the fast path handled ${handled} of ${runs} runs`);
    assert.ok(handled >= runs / 5, `the fast path handled only ${handled} of ${runs} runs`);
  });

  it('the example Secret and kubectl\'s output are handled, with -w and the no-namespace warning', async () => {
    const kubectl = Buffer.from('apiVersion: v1\ndata:\n  password: czNjcjN0\nkind: Secret\nmetadata:\n  creationTimestamp: null\n  name: db\n');
    for (const [args, input] of [
      [['--cert', CERT], readFileSync(join(ROOT, 'keys-example/secret.yaml'))],
      [['--cert', CERT], kubectl],
      [['--cert', CERT, '--scope', 'namespace-wide', '-o', 'json'], kubectl],
    ] as Array<[string[], Buffer]>) {
      const f = await fastPath(args, input, ENV);
      assert.ok(f.handled, args.join(' '));
      const n = await normalPath(args, input, ENV);
      const format = args.includes('json') ? 'json' : 'yaml';
      assert.equal(opened(f.stdout, format), opened(n.stdout, format));
      assert.equal(f.stderr, n.stderr);
    }
    assert.match((await fastPath(['--cert', CERT], kubectl, ENV)).stderr, /^warning: stdin Secret db: no namespace given, sealed for namespace "default"/);
    const f = await fastPath(['--cert', CERT, '-w', 'out.yaml'], kubectl, ENV);
    assert.ok(f.handled);
    assert.equal(f.stdout, '');
    assert.match(readFileSync(join(dir, 'out.yaml'), 'utf8'), /^---\napiVersion: bitnami.com\/v1alpha1\n/);
  });
});

describe('fast-seal through bin/cloak', { concurrency: true }, () => {
  const hook = join(dir, 'hook.mjs');
  writeFileSync(hook, "import { registerHooks } from 'node:module';\nregisterHooks({ load(url, ctx, next) { process.stderr.write(`LOAD ${url}\\n`); return next(url, ctx); } });\n");

  it('a plain seal loads two files: bin.js and the fast-seal bundle', async () => {
    const r = await runCloak(['seal', '--cert', CERT], { input: readFileSync(join(ROOT, 'keys-example/secret.yaml')), env: { NODE_OPTIONS: `--import ${hook}` } });
    assert.equal(r.code, 0, r.stderr);
    const loaded = r.stderr.split('\n').filter((l) => l.startsWith('LOAD ') && !l.includes('hook.mjs')).map((l) => l.replace(/^.*\//, ''));
    assert.deepEqual(loaded, ['bin.js', bundled]);
    assert.match(r.stdout, /^---\napiVersion: bitnami.com\/v1alpha1\nkind: SealedSecret\n/);
  });

  it('reads a large stdin through and writes a large output whole (past pipe buffer sizes)', async () => {
    const big = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: big\n  namespace: demo\ndata:\n'
      + Array.from({ length: 6 }, (_, i) => `  k${i}: ${Buffer.alloc(100_000, i + 65).toString('base64')}\n`).join('');
    const r = await runCloak(['seal', '--cert', CERT, '-o', 'json'], { input: big, env: { NODE_OPTIONS: `--import ${hook}` } });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stderr.includes(`/${bundled}`), 'sealed by the fast path');
    assert.ok(r.stdout.length > 6 * 130_000);
    const n = await normalPath(['--cert', CERT, '-o', 'json'], Buffer.from(big), ENV);
    assert.equal(opened(r.stdout, 'json'), opened(n.stdout, 'json'));
  });

  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\ncurrent-context: dev\ncontexts:\n  - name: dev\n    context: {cluster: c, user: u, namespace: team-x}\n');
  const plain = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: FALLBACK-VALUE\n';
  // Inputs and options outside the subset: sealed by the normal path, stdin read once and handed over.
  const fallbacks: Array<[string, string[], string, Record<string, string>?]> = [
    ['flow style', [], 'apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: demo}\nstringData: {password: x}\n'],
    ['anchors', [], 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: &n db\n  namespace: demo\nstringData:\n  password: *n\n'],
    ['block scalar', [], 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: demo\nstringData:\n  key: |\n    line 1\n    line 2\n'],
    ['two documents', [], `${plain}---\n${plain.replace('name: db', 'name: db2')}`],
    ['a list field', [], 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: demo\n  finalizers:\n  - a\nstringData:\n  password: x\n'],
    ['a kubeconfig namespace', [], plain, { KUBECONFIG: kubeconfig }],
    ['--raw', ['--raw', '--scope', 'cluster-wide'], 'just a value'],
    ['an unknown option', ['--controller-name', 'x'], plain],
  ];
  for (const [what, args, input, env] of fallbacks) {
    it(`falls back to the normal path: ${what}`, async () => {
      const r = await runCloak(['seal', '--cert', CERT, ...args], { input, ...(env ? { env } : {}) });
      const n = await normalPath(['--cert', CERT, ...args], Buffer.from(input), { ...ENV, ...env });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.code, n.code);
      assert.equal(r.stderr, n.stderr);
      if (what === 'a kubeconfig namespace') assert.match(r.stderr, /sealed for namespace "team-x"/);
      if (!args.includes('--raw')) {
        const docs = parseAllDocuments(r.stdout).map((d) => d.toJS() as Obj);
        assert.equal(docs.length, what === 'two documents' ? 2 : 1);
        assert.equal(opened(r.stdout, 'yaml'), opened(n.stdout, 'yaml'));
      }
    });
  }

  // Errors are the normal path's: the same line and exit code as the in-process CLI.
  const errors: Array<[string, string[], string]> = [
    ['not a Secret', [], 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n'],
    ['invalid name', [], 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: Bad_Name\nstringData:\n  a: b\n'],
    ['bad base64', [], 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  a: "not base64"\n'],
    ['empty data', [], 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n'],
    ['namespace mismatch', ['-n', 'other'], 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: demo\nstringData:\n  a: b\n'],
    ['malformed YAML', [], 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n   bad: indent\n'],
    ['empty input', [], ''],
    ['bad scope', ['--scope', 'bogus'], plain],
    ['bad format', ['-o', 'xml'], plain],
    ['missing input file', ['-f', 'does-not-exist.yaml'], ''],
    ['missing certificate', ['--cert', 'nope.crt'], plain],
  ];
  for (const [what, extra, input] of errors) {
    it(`errors as before: ${what}`, async () => {
      const args = extra.includes('--cert') ? extra : ['--cert', CERT, ...extra];
      const r = await runCloak(['seal', ...args], { input, cwd: dir });
      const n = await normalPath(args, Buffer.from(input), ENV);
      assert.notEqual(r.code, 0);
      assert.equal(r.code, n.code);
      assert.equal(r.stderr, n.stderr);
      assert.equal(r.stdout, '');
    });
  }
});
