// `cloak unseal` renders spec.template.data as Bitnami's controller does: Go text/template with
// Sprig over the decrypted items; template keys win over sealed items of the same name.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { ROOT, runCloak } from '../support/cloak-cli.js';

const CERT = join(ROOT, 'keys-example/tls.crt');
const KEY = join(ROOT, 'keys-example/tls.key');
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function sealed(): Promise<Obj> {
  const secret = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: app\nstringData:\n  user: admin\n  password: pw-Ünicode-1\n  port: "5432"\n';
  const r = await runCloak(['seal', '--cert', CERT, '-o', 'json'], { input: secret });
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Obj;
}

test('spec.template.data is rendered with Sprig over the decrypted items', async () => {
  const ss = await sealed();
  ss.spec.template.data = {
    'config.yaml': 'url: postgres://{{ .user }}:{{ .password | urlquery }}@db:{{ .port }}/app\n',
    upper: '{{ .user | upper }}-{{ index . "port" | atoi | add 1 }}',
    user: 'renamed-{{ .user }}',
    literal: 'no actions here',
    missing: '{{ .nope }}',
  };
  const r = await runCloak(['unseal', '--key', KEY], { input: JSON.stringify(ss) });
  assert.equal(r.code, 0, r.stderr);
  const data = (parse(r.stdout) as Obj).data as Record<string, string>;
  const text = (k: string) => Buffer.from(data[k]!, 'base64').toString('utf8');
  assert.equal(text('config.yaml'), 'url: postgres://admin:pw-%C3%9Cnicode-1@db:5432/app\n');
  assert.equal(text('upper'), 'ADMIN-5433');
  assert.equal(text('user'), 'renamed-admin', 'a template key replaces the sealed item');
  assert.equal(text('password'), 'pw-Ünicode-1');
  assert.equal(text('literal'), 'no actions here');
  assert.equal(text('missing'), '<no value>', 'Bitnami renders a missing key as Go does by default');
});

test('a template error names the SealedSecret and the key, never a value', async () => {
  const ss = await sealed();
  ss.spec.template.data = { broken: '{{ .password | nosuchfunc }}' };
  const r = await runCloak(['unseal', '--key', KEY], { input: JSON.stringify(ss) });
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /^error: stdin: .*broken/);
  assert.match(r.stderr, /nosuchfunc/);
  assert.ok(!r.stderr.includes('pw-'), r.stderr);
});
