// Offline `cloak reencrypt DIR --key OLD --cert NEW` through the real bin/cloak on a repo of mixed
// files: only ciphertexts and key hints change, every other byte stays, failing files stay as they
// were, --dry-run writes nothing, and a run killed half-way leaves each file either old or new.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { encodeBase64, hybridDecrypt, hybridEncrypt, parsePrivateKeyPem, readCertificate, type SealingCertificate } from '../../src/crypto/index.js';
import { readDocuments } from '../../src/manifests/documents.js';
import { encryptionLabel, scopeFromAnnotations, type SealedSecretObject } from '../../src/sealed/index.js';
import { CLOAK_BIN, FIXTURES, runCloak } from '../support/cloak-cli.js';
import { tempDir } from '../support/temp-dir.js';

const K = join(FIXTURES, 'interop/keys');
const OLD_KEY = join(K, 'old.key.pem');
const NEW_KEY = join(K, 'new.key.pem');
const NEW_CRT = join(K, 'new.crt.pem');
const cert = (f: string) => readCertificate(readFileSync(join(K, f)), f);
const key = (f: string) => parsePrivateKeyPem(readFileSync(join(K, f), 'utf8'), f)[0]!.privateKey;
const oldCert = cert('old.crt.pem');
const newCert = cert('new.crt.pem');
const foreignCert = cert('foreign.crt.pem');
const oldKey = key('old.key.pem');
const newKey = key('new.key.pem');

const ITEMS = ['a', 'b'];
const ct = (c: SealingCertificate, value: string, label: string) => encodeBase64(hybridEncrypt(c.publicKey, Buffer.from(value), Buffer.from(label)));

/** A repo of mixed files; `values` holds the plaintext of every SealedSecret item (by file, name, item). */
function fixtureRepo(root: string): Record<string, string> {
  const files: Record<string, string> = {
    'apps/db.yaml': `# Sealed for prod. Do not edit by hand.
apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata:
  name: db   # the database
  namespace: prod
  annotations:
    argocd.argoproj.io/sync-wave: '1'
    cloak.dev/sealing-key: "${oldCert.fingerprint}"
spec:
  encryptedData:
    user: '${ct(oldCert, 'admin', 'prod/db')}'
    password: ${ct(oldCert, 'hunter2', 'prod/db')}   # rotate me
    api-token: "${ct(oldCert, 't0k3n', 'prod/db')}"
  template:
    metadata: {name: db, namespace: prod}
    type: Opaque
`,
    'apps/multi.yaml': `---
# an unrelated object, untouched
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data:
  yes: on
---
apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata:
  name: shared
  namespace: team-a
  annotations:
    sealedsecrets.bitnami.com/namespace-wide: "true"
spec:
  encryptedData: {token: ${ct(oldCert, 'ns-wide', 'team-a')}}
---
apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata:
  name: everywhere
  annotations:
    sealedsecrets.bitnami.com/cluster-wide: "true"
    cloak.dev/sealing-keys: '{"a":"${oldCert.fingerprint}","b":"${oldCert.fingerprint}"}'
spec:
  encryptedData:
    b: ${ct(oldCert, 'bee', '')}
    a: ${ct(oldCert, 'ay', '')}
`,
    'crlf/win.yaml': `# written on Windows\r\napiVersion: bitnami.com/v1alpha1\r\nkind: SealedSecret\r\nmetadata:\r\n  name: win\r\n  namespace: prod\r\nspec:\r\n  encryptedData:\r\n    k1: ${ct(oldCert, 'v1', 'prod/win')}\r\n    k2: ${ct(oldCert, 'v2', 'prod/win')}\r\n`,
    'apps/kubeseal.json': `${JSON.stringify({
      kind: 'SealedSecret', apiVersion: 'bitnami.com/v1alpha1',
      metadata: { name: 'j', namespace: 'prod', creationTimestamp: null },
      spec: { template: { metadata: { name: 'j', namespace: 'prod', creationTimestamp: null } }, encryptedData: { x: ct(oldCert, 'json', 'prod/j') } },
    }, null, 2)}\n`,
    'charts/app/templates/sealed.yaml': `{{- if .Values.sealed.enabled }}
apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata:
  name: {{ include "app.fullname" . }}
  labels:
    {{- include "app.labels" . | nindent 4 }}
spec:
  encryptedData:
    password: ${ct(oldCert, 'helm', 'default/app')}
{{- end }}
`,
    'charts/app/templates/plain.yaml': `apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata:
  name: app-static
  namespace: prod
  annotations:
    release: "{{ .Release.Name }}"
spec:
  encryptedData:
    password: ${ct(oldCert, 'static', 'prod/app-static')}
`,
    'apps/secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: {name: plain}\nstringData: {password: s3cret}\n',
    'apps/external.yaml': 'apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: {name: es}\nspec:\n  secretStoreRef: {name: vault, kind: SecretStore}\n  data:\n  - secretKey: k\n    remoteRef: {key: path/k}\n',
    'apps/bad.yaml': `# sealed by another cluster
apiVersion: v1
kind: ConfigMap
metadata: {name: before-the-bad-one}
---
apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata:
  name: foreign
  namespace: prod
spec:
  encryptedData:
    ok: ${ct(oldCert, 'fine', 'prod/foreign')}
    secret: ${ct(foreignCert, 'nope', 'prod/foreign')}
`,
    'README.md': '# not YAML\n',
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  chmodSync(join(root, 'apps/db.yaml'), 0o600);
  return files;
}

const SS_FILES = ['apps/db.yaml', 'apps/multi.yaml', 'crlf/win.yaml', 'apps/kubeseal.json', 'charts/app/templates/plain.yaml'];
const UNTOUCHED = ['charts/app/templates/sealed.yaml', 'apps/secret.yaml', 'apps/external.yaml', 'apps/bad.yaml', 'README.md'];

function sealedSecrets(text: string, where: string): SealedSecretObject[] {
  return readDocuments(text, where).filter((d) => d.object.kind === 'SealedSecret').map((d) => d.object as unknown as SealedSecretObject);
}

function labelOf(ss: SealedSecretObject): Buffer {
  return encryptionLabel(ss.metadata.namespace ?? '', ss.metadata.name ?? '', scopeFromAnnotations(ss.metadata.annotations));
}

function opens(k: typeof oldKey, ss: SealedSecretObject, item: string): string | undefined {
  try {
    return hybridDecrypt(k, Buffer.from(ss.spec.encryptedData[item]!, 'base64'), labelOf(ss)).toString();
  } catch {
    return undefined;
  }
}

/** The old text with each old ciphertext replaced by the new one and old key hints by new ones: must equal the new text. */
function expectedAfter(before: string, after: string, where: string): string {
  const olds = sealedSecrets(before, where);
  const news = sealedSecrets(after, where);
  assert.equal(news.length, olds.length);
  let out = before;
  olds.forEach((o, i) => {
    for (const [k, v] of Object.entries(o.spec.encryptedData)) out = out.replace(v, news[i]!.spec.encryptedData[k]!);
  });
  return out.split(oldCert.fingerprint).join(newCert.fingerprint);
}

describe('cloak reencrypt --key OLD --cert NEW (offline)', () => {
  const base = tempDir('cloak-reenc-');

  it('re-encrypts a mixed repo in place: new key only, other bytes identical, failures untouched', async () => {
    const root = join(base, 'repo');
    const files = fixtureRepo(root);
    mkdirSync(join(base, 'outside'));
    writeFileSync(join(base, 'outside/elsewhere.yaml'), files['apps/db.yaml']!);
    symlinkSync(join(base, 'outside/elsewhere.yaml'), join(root, 'apps/link.yaml'));
    // What a killed atomic write leaves behind: named in the summary, never read or removed.
    writeFileSync(join(root, 'apps/.db.yaml.0123456789ab.tmp'), 'partial');

    const r = await runCloak(['reencrypt', 'repo', '--key', OLD_KEY, '--cert', NEW_CRT], { cwd: base });
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^error: repo\/apps\/bad\.yaml \(document 2\) SealedSecret prod\/foreign item "secret": no --key could decrypt it \(pass the key that sealed it with --key/m);
    assert.match(r.stderr, /^skipped repo\/charts\/app\/templates\/sealed\.yaml: a Helm template/m);
    assert.match(r.stderr, /^re-encrypted 10 items in 6 SealedSecrets in 5 files for key SHA256:\S+ \(\d+ items\/s\); skipped 2 files and 1 document without SealedSecrets; skipped 1 Helm template; did not follow 1 symlink; found 1 temp file of an interrupted run \(e\.g\. repo\/apps\/\.db\.yaml\.0123456789ab\.tmp; safe to delete\); 1 file failed and left unchanged$/m);
    assert.match(r.stderr, /^error: 1 file could not be re-encrypted and was left unchanged/m);
    assert.doesNotMatch(r.stderr, /hunter2|s3cret|nope|fine/);

    for (const rel of UNTOUCHED) assert.equal(readFileSync(join(root, rel), 'utf8'), files[rel], rel);
    assert.equal(readFileSync(join(base, 'outside/elsewhere.yaml'), 'utf8'), files['apps/db.yaml'], 'the symlink target outside the tree');
    assert.equal(statSync(join(root, 'apps/db.yaml')).mode & 0o777, 0o600, 'mode kept');
    assert.deepEqual(readdirSync(join(root, 'apps')).filter((f) => f.endsWith('.tmp')), ['.db.yaml.0123456789ab.tmp'], 'no temp files of this run left');

    for (const rel of SS_FILES) {
      const after = readFileSync(join(root, rel), 'utf8');
      assert.notEqual(after, files[rel], rel);
      assert.equal(after, expectedAfter(files[rel]!, after, rel), `${rel}: only ciphertexts and hints changed`);
      for (const ss of sealedSecrets(after, rel)) {
        for (const item of Object.keys(ss.spec.encryptedData)) {
          assert.equal(opens(oldKey, ss, item), undefined, `${rel} ${item} no longer opens with the old key`);
          assert.equal(opens(oldKey, sealedSecrets(files[rel]!, rel).find((o) => o.metadata.name === ss.metadata.name)!, item), opens(newKey, ss, item), `${rel} ${item} same plaintext`);
        }
      }
    }
    assert.ok(readFileSync(join(root, 'crlf/win.yaml'), 'utf8').split('\n').slice(0, -1).every((l) => l.endsWith('\r')), 'CRLF kept');

    // What a user runs to check: unseal with the new key works, with the old key it fails.
    const un = await runCloak(['unseal', '--key', NEW_KEY, '-f', join(root, 'apps/db.yaml'), '-o', 'json']);
    assert.equal(un.code, 0, un.stderr);
    assert.equal(Buffer.from(JSON.parse(un.stdout).data.password, 'base64').toString(), 'hunter2');
    const old = await runCloak(['unseal', '--key', OLD_KEY, '-f', join(root, 'apps/db.yaml')]);
    assert.equal(old.code, 3);
    assert.match(old.stderr, /no key could decrypt secret/);
  });

  it('--dry-run lists what would change and writes nothing; stdin (-) goes to stdout', async () => {
    const root = join(base, 'dry');
    const files = fixtureRepo(root);
    // The key backup (a v1 List of key Secrets, as `kubectl get secret -l … -o yaml` prints it) works as --key.
    const r = await runCloak(['reencrypt', root, '--key', join(K, 'backup.yaml'), '--cert', NEW_CRT, '--dry-run']);
    assert.equal(r.code, 3, r.stderr);
    for (const rel of SS_FILES) assert.match(r.stdout, new RegExp(`^would re-encrypt ${root}/${rel.replace(/\./g, '\\.')}: \\d SealedSecrets?, \\d items?$`, 'm'));
    assert.equal(r.stdout.trim().split('\n').length, SS_FILES.length);
    assert.match(r.stderr, /nothing was written \(--dry-run\)$/m);
    for (const [rel, text] of Object.entries(files)) assert.equal(readFileSync(join(root, rel), 'utf8'), text, rel);

    const s = await runCloak(['reencrypt', '-', '--key', OLD_KEY, '--cert', NEW_CRT], { input: files['apps/db.yaml']! });
    assert.equal(s.code, 0, s.stderr);
    assert.equal(s.stdout, expectedAfter(files['apps/db.yaml']!, s.stdout, 'stdin'));
    assert.equal(opens(newKey, sealedSecrets(s.stdout, 'stdin')[0]!, 'password'), 'hunter2');
  });

  it('usage: --cert without --key, a certificate as --key, a file without SealedSecrets', async () => {
    const root = join(base, 'usage');
    const files = fixtureRepo(root);
    const a = await runCloak(['reencrypt', root, '--cert', NEW_CRT]);
    assert.equal(a.code, 1);
    assert.match(a.stderr, /^error: --cert and --dry-run are for offline re-encryption and need --key/m);
    const b = await runCloak(['reencrypt', root, '--key', NEW_CRT, '--cert', NEW_CRT]);
    assert.equal(b.code, 3);
    assert.match(b.stderr, /this is a certificate; pass the private key/);
    const c = await runCloak(['reencrypt', join(root, 'apps/secret.yaml'), '--key', OLD_KEY, '--cert', NEW_CRT]);
    assert.equal(c.code, 2);
    assert.match(c.stderr, /apps\/secret\.yaml: no SealedSecret documents in this file/);
    assert.doesNotMatch(c.stderr, /s3cret/);
    for (const [rel, text] of Object.entries(files)) assert.equal(readFileSync(join(root, rel), 'utf8'), text, rel);
  });

  it('draws a progress bar (files, items, rate, ETA) on a terminal, then the summary', async () => {
    const root = join(base, 'tty');
    mkdirSync(root);
    for (let i = 0; i < 6; i++) {
      writeFileSync(join(root, `t${i}.yaml`), `apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: t${i}\n  namespace: tty\nspec:\n  encryptedData:\n`
        + ITEMS.map((k) => `    ${k}: ${ct(oldCert, k, `tty/t${i}`)}\n`).join(''));
    }
    // util-linux `script` runs the command on a pseudo-terminal and copies what it draws to stdout.
    const r = spawnSync('script', ['-qec', `${CLOAK_BIN} reencrypt ${root} --key ${OLD_KEY} --cert ${NEW_CRT}`, '/dev/null'], { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', TERM: 'dumb' } });
    assert.equal(r.status, 0, r.stdout);
    assert.match(r.stdout, /\r\x1b\[K\[[#.]{24}\] \d\/6 files, \d+ items, \d+ items\/s, ETA (\d+:\d\d|--:--)/);
    assert.match(r.stdout, /\r\x1b\[Kre-encrypted 12 items in 6 SealedSecrets in 6 files for key /);
  });

  it('a run killed half-way leaves every file either old or new, never half-written', async () => {
    const root = join(base, 'big');
    mkdirSync(root);
    const n = 150;
    const originals = new Map<string, string>();
    for (let i = 0; i < n; i++) {
      const name = `s${i}`;
      const text = `# file ${i}\napiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: ${name}\n  namespace: big\nspec:\n  encryptedData:\n`
        + ITEMS.map((k) => `    ${k}: ${ct(oldCert, `${name}-${k}`, `big/${name}`)}\n`).join('');
      const file = join(root, `${String(i).padStart(3, '0')}.yaml`);
      writeFileSync(file, text);
      originals.set(file, text);
    }
    const child = spawn(CLOAK_BIN, ['reencrypt', root, '--key', OLD_KEY, '--cert', NEW_CRT], { stdio: 'ignore', env: { PATH: process.env['PATH'] ?? '' } });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    // Kill as soon as one of the first files (handed out first) has been replaced.
    const first = [...originals.keys()].slice(0, 8);
    for (;;) {
      if (first.some((f) => readFileSync(f, 'utf8') !== originals.get(f))) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill('SIGKILL');
    await exited;

    let done = 0;
    let left = 0;
    for (const [file, before] of originals) {
      const text = readFileSync(file, 'utf8');
      const [ss] = sealedSecrets(text, file);
      assert.ok(ss, `${file} parses`);
      if (text === before) {
        // Byte for byte the file as sealed for the old key; spot-check that it still opens.
        if (left++ % 25 === 0) assert.equal(opens(oldKey, ss, 'a'), `${ss.metadata.name}-a`, file);
        continue;
      }
      done++;
      assert.deepEqual(ITEMS.map((k) => opens(newKey, ss, k)), ITEMS.map((k) => `${ss.metadata.name}-${k}`), `${file} fully new`);
      assert.equal(opens(oldKey, ss, 'a'), undefined, file);
    }
    assert.ok(done > 0, 'some files were re-encrypted before the kill');
    assert.ok(left > 0, `some files were still old when killed (done ${done})`);
  });
});

