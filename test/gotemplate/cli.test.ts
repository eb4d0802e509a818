// `cloak template` end to end through the real binary.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../../bin/cloak', import.meta.url));
let dir: string;

function cloak(args: string[], stdin = '') {
  const r = spawnSync(bin, args, { cwd: dir, input: stdin, env: { ...process.env, TZ: 'UTC' } });
  return { code: r.status, out: r.stdout.toString(), err: r.stderr.toString() };
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'cloak-template-cli-'));
  writeFileSync(join(dir, 'data.json'), JSON.stringify({ registry: 'r.io', username: 'u', password: 'hunter2' }));
  writeFileSync(join(dir, 'docker.tpl'), '{"auths":{"{{ .registry }}":{"auth":"{{ printf "%s:%s" .username .password | b64enc }}"}}}');
  writeFileSync(join(dir, 'bad.json'), '{not json');
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('cloak template', () => {
  test('renders a template file exactly, with no added newline', () => {
    const r = cloak(['template', '-f', 'docker.tpl', '--data', 'data.json']);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, `{"auths":{"r.io":{"auth":"${Buffer.from('u:hunter2').toString('base64')}"}}}`);
    assert.equal(r.err, '');
  });

  test('a catastrophic regular expression answers as Go does instead of hanging (RE2 is linear time)', () => {
    writeFileSync(join(dir, 'long.json'), JSON.stringify({ v: `${'a'.repeat(40)}b` }));
    const r = spawnSync(bin, ['template', '--data', 'long.json'], { cwd: dir, input: '{{ regexMatch "^(a+)+$" .v }} {{ regexFind "(x+x+)+y" "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" }}.', timeout: 60_000 });
    assert.equal(r.signal, null, 'cloak template was killed: the match did not finish');
    assert.equal(r.status, 0, r.stderr.toString());
    assert.equal(r.stdout.toString(), 'false .');
  });

  test('reads the template from stdin and keeps trailing newlines of the template', () => {
    const r = cloak(['template', '--data', 'data.json'], 'user={{ .username | upper }}\n\n');
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, 'user=U\n\n');
  });

  test('ESO functions by default; Bitnami set with --funcs bitnami', () => {
    assert.equal(cloak(['template', '--data', 'data.json'], '{{ toYaml (dict "a" .username) }}').out, 'a: u');
    const r = cloak(['template', '--data', 'data.json', '--funcs', 'bitnami'], '{{ toYaml . }}');
    assert.equal(r.code, 2);
    assert.match(r.err, /function "toYaml" not defined/);
  });

  test('missing keys: error for ESO, <no value> for Bitnami, overridable', () => {
    const e = cloak(['template', '--data', 'data.json'], '{{ .nope }}');
    assert.equal(e.code, 2);
    assert.equal(e.out, '');
    assert.equal(e.err.trim().split('\n').length, 1, 'one line');
    assert.match(e.err, /^error: template: template:1:3: executing "template" at <\.nope>: map has no entry for key "nope"/);
    assert.equal(cloak(['template', '--data', 'data.json', '--funcs', 'bitnami'], '{{ .nope }}').out, '<no value>');
    assert.equal(cloak(['template', '--data', 'data.json', '--missingkey', 'default'], '{{ .nope }}').out, '<no value>');
  });

  test('errors are one line, exit 2, and never show secret values', () => {
    for (const src of ['{{ .password | nosuch }}', '{{ .password.x }}', '{{ fail .password }}', '{{ if }}']) {
      const r = cloak(['template', '--data', 'data.json'], src);
      assert.equal(r.code, 2, src);
      assert.equal(r.err.trim().split('\n').length, 1, `${src}: ${r.err}`);
      assert.ok(!r.err.includes('hunter2'), `${src} leaked: ${r.err}`);
    }
    const bad = cloak(['template', '--data', 'bad.json'], 'x');
    assert.equal(bad.code, 2);
    assert.match(bad.err, /bad\.json: not valid JSON/);
    const missing = cloak(['template', '--data', 'nope.json'], 'x');
    assert.equal(missing.code, 2);
    assert.match(missing.err, /nope\.json: file not found/);
  });

  test('custom delimiters and the error-file name', () => {
    assert.equal(cloak(['template', '--data', 'data.json', '--left-delim', '[[', '--right-delim', ']]'], '[[ .username ]]{{x}}').out, 'u{{x}}');
    writeFileSync(join(dir, 'broken.tpl'), 'line1\n{{ .username | | }}');
    const r = cloak(['template', '-f', 'broken.tpl', '--data', 'data.json']);
    assert.equal(r.code, 2);
    assert.match(r.err, /broken\.tpl:2/);
  });
});
