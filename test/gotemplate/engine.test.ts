// Behaviour of the interpreter beyond Go parity: API, bytes, budgets, errors without data values.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isCloakError } from '../../src/errors.js';
import { executeTemplate, parseTemplate, renderTemplate, renderTemplateText } from '../../src/gotemplate/index.js';

const eso = { funcs: 'eso' as const, missingKey: 'error' as const };

function fails(f: () => unknown, code: string | RegExp): string {
  try {
    f();
  } catch (e) {
    assert.ok(isCloakError(e), `expected a CloakError, got ${String(e)}`);
    assert.equal(e.family, 'template');
    if (typeof code === 'string') assert.equal(e.code, code);
    else assert.match(e.message, code);
    return e.message;
  }
  assert.fail('expected an error');
}

describe('gotemplate API', () => {
  test('parse once, execute many times with different data', () => {
    const t = parseTemplate('{{ .user }}:{{ .pass | b64enc }}', { funcs: 'eso', name: 'auth' });
    assert.equal(executeTemplate(t, { user: 'a', pass: 'x' }).toString(), 'a:eA==');
    assert.equal(executeTemplate(t, { user: 'b', pass: 'y' }).toString(), 'b:eQ==');
  });

  test('binary values pass through byte for byte', () => {
    const bin = Uint8Array.from([0, 0xff, 0xfe, 0x80, 0xc3, 0x28, 0xef, 0xbb, 0xbf, 0x41]);
    const out = renderTemplate('{{ .keystore }}', { keystore: bin }, eso);
    assert.deepEqual([...out], [...bin]);
    const b64 = renderTemplate('{{ .keystore | b64enc }}', { keystore: bin }, eso).toString();
    assert.equal(b64, Buffer.from(bin).toString('base64'));
    const back = renderTemplate('{{ .v | b64dec }}', { v: b64 }, eso);
    assert.deepEqual([...back], [...bin]);
    assert.equal(renderTemplateText('{{ len .k }}', { k: bin }, eso), String(bin.length));
  });

  test('missingKey: error for ESO, "<no value>" by default (Bitnami), zero gives ""', () => {
    fails(() => renderTemplate('{{ .nope }}', { a: 'x' }, eso), 'TemplateExecute');
    assert.equal(renderTemplateText('{{ .nope }}', { a: 'x' }, { funcs: 'sprigBitnami' }), '<no value>');
    assert.equal(renderTemplateText('{{ .nope }}', { a: 'x' }, { funcs: 'sprigBitnami', missingKey: 'zero' }), '');
  });

  test('function sets: ESO helpers exist only in the eso set; env/expandenv/getHostByName in neither', () => {
    assert.equal(renderTemplateText('{{ toYaml (dict "a" 1) }}', {}, eso), 'a: 1');
    fails(() => parseTemplate('{{ toYaml . }}', { funcs: 'sprigBitnami' }), /function "toYaml" not defined/);
    for (const f of ['env', 'expandenv', 'getHostByName', 'required', 'include', 'tpl', 'lookup']) {
      fails(() => parseTemplate(`{{ ${f} "x" }}`, { funcs: 'eso' }), 'TemplateParse');
      fails(() => parseTemplate(`{{ ${f} "x" }}`, { funcs: 'sprigBitnami' }), 'TemplateParse');
    }
  });

  test('custom delimiters', () => {
    assert.equal(renderTemplateText('<< .a >> {{ .a }}', { a: 'x' }, { ...eso, leftDelim: '<<', rightDelim: '>>' }), 'x {{ .a }}');
  });

  test('errors name the template and line, never a data value', () => {
    const secret = 'S3CRET-value-123';
    const data = { password: secret, json: `{"k":"${secret}"` };
    const cases = [
      '{{ .password | upper | nosuch }}',
      '{{ .password.field }}',
      '{{ index .password 99 }}',
      '{{ .password | int | until | len }}{{ add }}{{ .nope }}',
      '{{ mustFromJson .json }}',
      '{{ .password | semverCompare "^1" }}',
      '{{ semverCompare .password "1.0.0" }}',
      '{{ regexMatch "(" .password }}{{ mustRegexMatch (print "(" .password) "x" }}',
      '{{ mustToDate "2006" .password }}',
      '{{ .password | atoi | div 1 }}',
      '{{ dig "a" "b" .password }}',
      '{{ printf "%d" .password | fail }}',
      '{{ fail (print "bad value " .password) }}',
      '{{ .password | b64dec | mustFromJson }}',
      '{{ .password | toDate "2006-01-02" | unixEpoch | int | index .password }}',
    ];
    for (const src of cases) {
      const msg = fails(() => renderTemplate(src, data, { funcs: 'eso', name: 'password-key', missingKey: 'error' }), /./);
      assert.ok(!msg.includes(secret) && !msg.includes('S3CRET'), `error for ${src} leaks the value: ${msg}`);
      assert.match(msg, /template: password-key:1/);
    }
  });

  test('output budget', () => {
    fails(() => renderTemplate('{{ range until 100 }}0123456789{{ end }}', {}, { ...eso, limits: { maxOutputBytes: 500 } }), 'TemplateLimit');
    fails(() => renderTemplate('{{ repeat 1000000 "x" }}', {}, { ...eso, limits: { maxOutputBytes: 1000 } }), 'TemplateLimit');
    fails(() => renderTemplate('{{ until 5000 }}', {}, { ...eso, limits: { maxOutputBytes: 1000 } }), /limit|sequence/);
    assert.equal(renderTemplate('{{ repeat 10 "x" }}', {}, { ...eso, limits: { maxOutputBytes: 10 } }).length, 10);
    // values that double in a loop, and huge printf widths, stop early instead of exhausting memory
    fails(() => renderTemplate('{{ $x := "ab" }}{{ range until 40 }}{{ $x = print $x $x }}{{ end }}{{ len $x }}', {}, eso), 'TemplateLimit');
    fails(() => renderTemplate('{{ printf "%*d" 1000000000 1 }}', {}, eso), /width/);
    fails(() => renderTemplate('{{ printf "%.999999999f" 1.0 }}', {}, eso), /precision/);
  });

  test('step budget stops runaway templates', () => {
    fails(() => renderTemplate('{{ range until 1000 }}{{ range until 1000 }}x{{ end }}{{ end }}', {}, { ...eso, limits: { maxSteps: 10_000, maxOutputBytes: 1e9 } }), 'TemplateLimit');
  });

  test('depth budget: recursive templates and deep nesting', () => {
    fails(() => renderTemplate('{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}', {}, eso), /maximum template depth/);
    const deep = `{{ ${'('.repeat(200)}1${')'.repeat(200)} }}`;
    fails(() => renderTemplate(deep, {}, eso), 'TemplateLimit');
    assert.equal(renderTemplateText(`{{ ${'('.repeat(20)}1${')'.repeat(20)} }}`, {}, eso), '1');
  });

  test('pathological nesting is an error, not a crash', () => {
    const src = `${'{{ if true }}'.repeat(20000)}x${'{{ end }}'.repeat(20000)}`;
    fails(() => renderTemplate(src, {}, eso), /./);
  });

  test('typical Secret templates', () => {
    const data = { registry: 'r.io', username: 'u', password: 'p@ss' };
    const docker = '{"auths":{"{{ .registry }}":{"username":"{{ .username }}","password":"{{ .password }}","auth":"{{ printf "%s:%s" .username .password | b64enc }}"}}}';
    assert.deepEqual(JSON.parse(renderTemplateText(docker, data, eso)), {
      auths: { 'r.io': { username: 'u', password: 'p@ss', auth: Buffer.from('u:p@ss').toString('base64') } },
    });
    assert.equal(renderTemplateText('{{ index . "tls.crt" }}', { 'tls.crt': 'C' }, eso), 'C');
    fails(() => renderTemplate('{{ .tls-crt }}', {}, eso), /bad character U\+002D '-'/);
  });

  test('non-string data is converted like JSON', () => {
    assert.equal(renderTemplateText('{{ .a.b }} {{ .n }} {{ typeOf .n }} {{ .l }}', { a: { b: 'x' }, n: 2, l: [1, 'y'] }, eso), 'x 2 float64 [1 y]');
  });
});
