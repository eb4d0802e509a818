// `cloak lint` through the real bin/cloak on a fixture repo where every rule fires once or more,
// next to clean files: human lines with file:line:col, JSON and SARIF shapes, ignore globs, exit
// codes, and no planted secret value anywhere in what it prints.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { before, describe, it } from 'node:test';
import { ROOT, runCloak, type CliResult } from '../support/cloak-cli.js';
import { tempDir } from '../support/temp-dir.js';

const CERT = join(ROOT, 'keys-example/tls.crt');
const MARKERS = ['PLANTED-MARKER-STRINGDATA', 'PLANTED-MARKER-DATA', 'PLANTED-MARKER-KUSTOMIZE', 'PLANTED-MARKER-HELM', 'PLANTED-MARKER-CRLF', 'PLANTED-MARKER-IGNORED', 'PLANTED-MARKER-STORE', 'PLANTED-MARKER-KEY'];
const b64 = (s: string) => Buffer.from(s).toString('base64');

const dir = tempDir('cloak-lint-');
const repo = join(dir, 'repo');
const files = new Map<string, string>();

function put(rel: string, text: string): void {
  const p = join(repo, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
  files.set(rel, text);
}

/** `repo/FILE:line:col` of the first occurrence of `needle` in a fixture file. */
function at(rel: string, needle: string, nth = 0): string {
  const text = files.get(rel) as string;
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  assert.ok(i >= 0, `${needle} in ${rel}`);
  i += needle.length - needle.trimStart().length;
  const before = text.slice(0, i);
  const line = before.split('\n').length;
  return `repo/${rel}:${line}:${i - (before.lastIndexOf('\n') + 1) + 1}`;
}

async function seal(secret: string, cert = CERT): Promise<string> {
  const r = await runCloak(['seal', '--cert', cert], { input: secret });
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

function noMarkers(r: CliResult): void {
  for (const m of MARKERS) {
    assert.ok(!r.stdout.includes(m), `stdout leaks ${m}`);
    assert.ok(!r.stderr.includes(m), `stderr leaks ${m}`);
    assert.ok(!r.stdout.includes(b64(m)) && !r.stderr.includes(b64(m)), `output leaks base64 of ${m}`);
  }
}

const lint = (args: string[]) => runCloak(['lint', ...args], { cwd: dir });
let otherCert = '';

before(async () => {
  const gen = await runCloak(['keys', 'generate', '--out', join(dir, 'other-key'), '--bits', '2048']);
  assert.equal(gen.code, 0, gen.stderr);
  otherCert = join(dir, 'other-key', 'tls.crt');

  put('plain/secret.yaml', [
    '# a Secret that should have been sealed',
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    '  name: db',
    '  namespace: team-a',
    'stringData:',
    '  password: PLANTED-MARKER-STRINGDATA',
    'data:',
    `  token: ${b64('PLANTED-MARKER-DATA')}`,
    '',
  ].join('\n'));
  put('plain/crlf.yaml', ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: cm', '---', 'apiVersion: v1', 'kind: Secret', 'metadata:', '  name: crlf', 'stringData:', '  k: PLANTED-MARKER-CRLF', ''].join('\r\n'));
  put('kustomization.yaml', ['resources:', '  - plain/secret.yaml', 'secretGenerator:', '  - name: generated', '    literals:', '      - user=admin', '      - pass=PLANTED-MARKER-KUSTOMIZE', ''].join('\n'));
  put('chart/templates/secret.yaml', [
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    '  name: {{ include "chart.fullname" . }}',
    '{{- if .Values.labels }}',
    '  labels:',
    '    {{- toYaml .Values.labels | nindent 4 }}',
    '{{- end }}',
    'stringData:',
    '  fromValues: {{ .Values.password | quote }}',
    '  literal: PLANTED-MARKER-HELM',
    '',
  ].join('\n'));
  put('chart/templates/templated-only.yaml', ['apiVersion: v1', 'kind: Secret', 'metadata:', '  name: {{ .Release.Name }}', 'data:', '  password: {{ .Values.password | b64enc }}', ''].join('\n'));
  put('chart/templates/sealed.yaml', [
    'apiVersion: bitnami.com/v1alpha1',
    'kind: SealedSecret',
    'metadata:',
    '  name: {{ .Release.Name }}',
    '  namespace: {{ .Release.Namespace }}',
    '  annotations:',
    '    sealedsecrets.bitnami.com/namespace-wide: {{ .Values.namespaceWide | quote }}',
    '    cloak.dev/sealing-key: {{ .Values.sealingKey }}',
    'spec:',
    '{{ toYaml .Values.sealed | indent 2 }}',
    '',
  ].join('\n'));
  put('chart/templates/loop.yaml', ['{{- range .Values.items }}', '- {{ . }}: [', '{{- end }}', ''].join('\n'));

  const secret = (name: string, ns?: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n${ns ? `  namespace: ${ns}\n` : ''}stringData:\n  a: one\n  b: two\n`;
  const [goodSealed, nons, other, nohint] = await Promise.all([
    seal(secret('good', 'team-a')), seal(secret('nons', 'team-a')), seal(secret('other', 'team-a'), otherCert), seal(secret('nohint', 'team-a')),
  ]);
  put('sealed/good.yaml', goodSealed);
  put('sealed/no-namespace.yaml', nons.replace(/^ {2}namespace: team-a\n/m, ''));
  put('sealed/other-key.yaml', other);
  put('sealed/no-hint.yaml', nohint.replace(/^ {4}cloak\.dev\/sealing-key: .*\n/m, ''));
  const good = files.get('sealed/good.yaml') as string;
  const item = /^ {4}a: (\S+)$/m.exec(good)?.[1] as string;
  const blob = Buffer.from(item, 'base64');
  const truncated = blob.subarray(0, 300).toString('base64');
  const badPrefix = Buffer.concat([Buffer.from([0x00, 0x05]), blob.subarray(2)]).toString('base64');
  put('sealed/bad-cipher.yaml', good
    .replace(/name: good/g, 'name: badcipher')
    .replace(/^ {4}a: \S+$/m, '    a: not*base64')
    .replace(/^ {4}b: \S+$/m, `    b: ${truncated}\n    c: ${badPrefix}`));

  put('sealed/legacy.yaml', good.replace(/name: good/g, 'name: legacy').replace(/^spec:\n/m, `spec:\n  data: ${truncated}\n`));
  put('es/bad.yaml', [
    'apiVersion: external-secrets.io/v1',
    'kind: ExternalSecret',
    'metadata:',
    '  name: bad-es',
    '  namespace: team-a',
    'spec:',
    '  refreshInterval: 5',
    '  secretStoreRef:',
    '    name: vault',
    '    kind: Vault',
    '  tarGet:',
    '    name: x',
    '  data:',
    '    - secretKey: a',
    '      remoteRef: {key: k, bogus: 1}',
    '---',
    'apiVersion: external-secrets.io/v1',
    'kind: SecretStore',
    'metadata:',
    '  name: fake',
    'spec:',
    '  provider:',
    '    fake:',
    '      data:',
    '        - key: k',
    '          value: PLANTED-MARKER-STORE',
    '          version: [1]',
    '---',
    'apiVersion: external-secrets.io/v9',
    'kind: ClusterSecretStore',
    'metadata:',
    '  name: future',
    'spec: {}',
    '',
  ].join('\n'));
  put('es/good.yaml', [
    'apiVersion: external-secrets.io/v1',
    'kind: ExternalSecret',
    'metadata:',
    '  name: good-es',
    '  namespace: team-a',
    'spec:',
    '  refreshInterval: 1h',
    '  secretStoreRef: {name: vault, kind: SecretStore}',
    '  target: {name: app, creationPolicy: Owner}',
    '  data:',
    '    - secretKey: password',
    '      remoteRef: {key: app, property: password}',
    '',
  ].join('\n'));
  // `{{ }}` inside strings only (an ESO template, a quoted Helm value): linted as written, strictly.
  put('es/templated.yaml', [
    'apiVersion: external-secrets.io/v1',
    'kind: ExternalSecret',
    'metadata:',
    '  name: tpl',
    'spec:',
    '  target:',
    '    template:',
    '      data:',
    '        config: "user={{ .user }}"',
    '  data:',
    '    - remoteRef: {key: app}',
    '---',
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    '  name: quoted',
    'stringData:',
    '  password: "{{ .Values.password }}"',
    '',
  ].join('\n'));
  // yaml warns about (and would print) collection keys unless told not to.
  put('plain/collection-key.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ck}\ndata:\n  ? {k: PLANTED-MARKER-KEY}\n  : v\n');
  put('es/dup.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: d}\ndata:\n  a: "{{ .x }}"\n  a: "{{ .y }}"\n');
  put('broken.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n   bad: indent\n');
  put('ignored/secret.yaml', 'apiVersion: v1\nkind: Secret\nmetadata: {name: ign}\nstringData: {k: PLANTED-MARKER-IGNORED}\n');
  put('vendor/secret.yaml', 'apiVersion: v1\nkind: Secret\nmetadata: {name: vend}\nstringData: {k: PLANTED-MARKER-IGNORED}\n');
  put('vendor/keep.yaml', 'apiVersion: v1\nkind: Secret\nmetadata: {name: keep}\nstringData: {k: PLANTED-MARKER-IGNORED}\n');
  writeFileSync(join(repo, '.cloaklintignore'), '# fixtures that are meant to be plaintext\n/ignored/\nvendor/*.yaml\n!vendor/keep.yaml\n');
});

describe('cloak lint: every rule on a fixture repo', { concurrency: true }, () => {
  it('prints file:line:col: rule: message for each finding, exits 2, never prints a secret value', async () => {
    const r = await lint(['repo', '--cert', CERT, '--max-key-age', '3650d']);
    noMarkers(r);
    assert.equal(r.code, 2, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    for (const l of lines) assert.match(l, /^repo\/[^:]+:\d+:\d+: [a-z-]+: \S/, l);
    const has = (loc: string, rule: string, re: RegExp) => {
      const hit = lines.find((l) => l.startsWith(`${loc}: ${rule}: `));
      assert.ok(hit, `expected ${loc}: ${rule}\n${r.stdout}`);
      assert.match(hit, re);
    };
    has(at('plain/secret.yaml', 'stringData:'), 'plaintext-secret', /Secret team-a\/db has plaintext stringData \(key password\)/);
    has(at('plain/secret.yaml', 'data:', 1), 'plaintext-secret', /plaintext data \(key token\)/);
    has(at('plain/crlf.yaml', 'stringData:'), 'plaintext-secret', /Secret crlf/);
    has(at('kustomization.yaml', 'user=admin'), 'kustomize-secret-literal', /secretGenerator generated has a literal value for key user/);
    has(at('kustomization.yaml', 'pass='), 'kustomize-secret-literal', /key pass/);
    has(at('chart/templates/secret.yaml', 'stringData:'), 'plaintext-secret', /Secret \{\{…\}\} has plaintext stringData \(key literal\)/);
    has(at('sealed/no-namespace.yaml', 'metadata:'), 'sealed-scope', /strict scope binds the namespace but metadata\.namespace is not set/);
    has(at('sealed/bad-cipher.yaml', 'a: not'), 'ciphertext-format', /item a is not valid base64/);
    has(at('sealed/bad-cipher.yaml', '    b: '), 'ciphertext-format', /item b is truncated \(300 bytes; at least 530 for a 4096-bit key\)/);
    has(at('sealed/bad-cipher.yaml', '    c: '), 'ciphertext-format', /item c has a length prefix of 5, not an RSA block size/);
    has(at('sealed/legacy.yaml', 'data: '), 'ciphertext-format', /SealedSecret team-a\/legacy: spec\.data \(deprecated\) and spec\.encryptedData cannot be used together: remove spec\.data/);
    assert.ok(lines.some((l) => l.startsWith(`${at('sealed/legacy.yaml', 'data: ')}: ciphertext-format: SealedSecret team-a/legacy: spec.data is truncated (300 bytes`)), r.stdout);
    has(at('sealed/other-key.yaml', 'cloak.dev/sealing-key'), 'unknown-key', /items a, b sealed with key SHA256:\S+, which is not among --cert/);
    has(at('sealed/no-hint.yaml', 'metadata:'), 'unknown-key', /items a, b sealed with an unknown key \(no cloak\.dev\/sealing-key annotation\)/);
    has(at('es/bad.yaml', 'refreshInterval'), 'crd-schema', /ExternalSecret team-a\/bad-es: spec\.refreshInterval: must be a string, not an integer/);
    has(at('es/bad.yaml', 'kind: Vault'), 'crd-schema', /spec\.secretStoreRef\.kind: unsupported value \(must be one of: SecretStore, ClusterSecretStore\)/);
    has(at('es/bad.yaml', 'tarGet'), 'crd-schema', /spec\.tarGet: unknown field/);
    has(at('es/bad.yaml', 'bogus'), 'crd-schema', /spec\.data\[0\]\.remoteRef\.bogus: unknown field/);
    has(at('es/bad.yaml', 'apiVersion: external-secrets.io/v9'), 'crd-schema', /ClusterSecretStore future: apiVersion is not served/);
    has(at('es/templated.yaml', 'remoteRef: {key: app}'), 'crd-schema', /ExternalSecret tpl: spec\.data\[0\]\.secretKey: required field is missing/);
    assert.equal(lines.filter((l) => l.startsWith('repo/es/templated.yaml:')).length, 1, 'the quoted template value is not plaintext');
    has(at('es/dup.yaml', 'a: "{{ .y'), 'parse-error', /malformed YAML: Map keys must be unique$/);
    has(at('broken.yaml', 'x\n   bad'), 'parse-error', /malformed YAML: Nested mappings are not allowed in compact mappings$/);
    has(at('es/bad.yaml', 'version: [1]'), 'crd-schema', /SecretStore fake: spec\.provider\.fake\.data\[0\]\.version: must be a string, not an array/);
    for (const clean of ['sealed/good.yaml', 'es/good.yaml', 'chart/templates/templated-only.yaml', 'chart/templates/sealed.yaml', 'chart/templates/loop.yaml', 'ignored/secret.yaml', 'vendor/secret.yaml']) {
      assert.ok(!r.stdout.includes(`repo/${clean}:`), `${clean} has no findings:\n${r.stdout}`);
    }
    has(at('vendor/keep.yaml', 'stringData'), 'plaintext-secret', /Secret keep/);
    assert.equal(lines.filter((l) => l.includes('sealed-scope') || l.includes('unknown-key')).every((l) => !l.includes('sealed/good.yaml')), true);
    assert.match(r.stderr, /^error: \d+ findings in \d+ files; \d+ files checked \(1 ignored, 1 Helm template not parseable with the \{\{ \}\} actions removed, skipped\)\n$/);
  });

  it('flags items older than --max-key-age by the certificate NotBefore, and only with a known key', async () => {
    const notBefore = new Date(readCertNotBefore(CERT));
    const days = Math.floor((Date.now() - notBefore.getTime()) / 86_400_000);
    const old = await lint(['repo/sealed/good.yaml', '--cert', CERT, '--max-key-age', '1ms']);
    assert.equal(old.code, 2, old.stderr);
    assert.match(old.stdout, new RegExp(`^${escapeRe(at('sealed/good.yaml', 'cloak.dev/sealing-key'))}: key-age: SealedSecret team-a/good: items a, b sealed with key SHA256:\\S+ from ${notBefore.toISOString().slice(0, 10)} \\(${days} days old, over --max-key-age 1ms\\): re-encrypt with \`cloak reencrypt\`\\n$`));
    const fresh = await lint(['repo/sealed/good.yaml', '--cert', CERT, '--max-key-age', `${days + 2}d`]);
    assert.equal(fresh.code, 0, fresh.stdout + fresh.stderr);
    assert.equal(fresh.stdout, '');
    assert.equal(fresh.stderr, '1 file checked: no findings\n');
    const unknown = await lint(['repo/sealed/other-key.yaml', '--cert', CERT, '--max-key-age', '1ms']);
    assert.doesNotMatch(unknown.stdout, /key-age/);
    assert.match(unknown.stdout, /unknown-key/);
  });

  it('checks the RSA block size against the --cert keys', async () => {
    const r = await lint(['repo/sealed/good.yaml', '--cert', otherCert]);
    assert.equal(r.code, 2);
    assert.match(r.stdout, /ciphertext-format: SealedSecret team-a\/good: item a has a 4096-bit RSA block but no --cert key has that size \(2048-bit\)/);
    assert.match(r.stdout, /unknown-key: SealedSecret team-a\/good: items a, b sealed with key SHA256:\S+, which is not among --cert/);
    const both = await lint(['repo/sealed/good.yaml', 'repo/sealed/other-key.yaml', '--cert', otherCert, '--cert', CERT]);
    assert.equal(both.code, 0, both.stdout);
    const bundle = join(dir, 'bundle.pem');
    writeFileSync(bundle, readFileSync(CERT, 'utf8') + readFileSync(otherCert, 'utf8'));
    const fromBundle = await lint(['repo/sealed/good.yaml', 'repo/sealed/other-key.yaml', '--cert', bundle]);
    assert.equal(fromBundle.code, 0, fromBundle.stdout);
  });

  it('-o json: one object per finding with file, line, column, rule, severity, message', async () => {
    const r = await lint(['repo', '-o', 'json', '--cert', CERT]);
    noMarkers(r);
    assert.equal(r.code, 2);
    const out = JSON.parse(r.stdout) as { version: number; files: number; skippedTemplates: number; findings: Array<Record<string, unknown>> };
    assert.equal(out.version, 1);
    assert.equal(out.skippedTemplates, 1);
    assert.ok(out.files >= 14);
    assert.ok(out.findings.length >= 15);
    for (const f of out.findings) {
      assert.deepEqual(Object.keys(f), ['file', 'line', 'column', 'rule', 'severity', 'message']);
      assert.ok(Number.isInteger(f.line) && (f.line as number) >= 1 && Number.isInteger(f.column) && (f.column as number) >= 1);
      assert.ok(f.severity === 'error' || f.severity === 'warning');
    }
    const rules = new Set(out.findings.map((f) => f.rule));
    for (const id of ['plaintext-secret', 'kustomize-secret-literal', 'sealed-scope', 'ciphertext-format', 'unknown-key', 'crd-schema', 'parse-error']) assert.ok(rules.has(id), id);
  });

  it('-o sarif: SARIF 2.1.0 as GitHub code scanning reads it', async () => {
    const r = await lint(['repo', '-o', 'sarif', '--cert', CERT, '--max-key-age', '1ms']);
    noMarkers(r);
    assert.equal(r.code, 2);
    const log = JSON.parse(r.stdout) as SarifLog;
    assert.equal(log.version, '2.1.0');
    assert.match(log.$schema, /sarif-2\.1\.0/);
    assert.equal(log.runs.length, 1);
    const run = log.runs[0] as SarifLog['runs'][number];
    assert.equal(run.tool.driver.name, 'cloak-lint');
    assert.match(run.tool.driver.version, /^\d+\.\d+\.\d+/);
    const ids = run.tool.driver.rules.map((x) => x.id);
    assert.equal(new Set(ids).size, ids.length, 'rule ids are unique');
    for (const rule of run.tool.driver.rules) {
      assert.match(rule.id, /^[a-z-]+$/);
      assert.ok(rule.shortDescription.text.length > 0);
      assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration.level));
    }
    assert.ok(run.results.length >= 16);
    for (const res of run.results) {
      assert.equal(ids[res.ruleIndex], res.ruleId, 'ruleIndex points at the rule');
      assert.ok(['error', 'warning', 'note'].includes(res.level));
      assert.ok(res.message.text.length > 0);
      assert.equal(res.locations.length, 1);
      const loc = res.locations[0]!.physicalLocation;
      assert.match(loc.artifactLocation.uri, /^repo\/[A-Za-z0-9%._/-]+$/, 'a relative URI with / separators');
      assert.ok(Number.isInteger(loc.region.startLine) && loc.region.startLine >= 1);
      assert.ok(Number.isInteger(loc.region.startColumn) && loc.region.startColumn >= 1);
    }
    assert.ok(run.results.some((x) => x.ruleId === 'key-age' && x.level === 'warning'));
    // The 2.1.0 schema closes every object (additionalProperties: false): only its property names.
    const only = (o: object, names: string[], what: string) => { for (const k of Object.keys(o)) assert.ok(names.includes(k), `${what} has no property ${k} in SARIF 2.1.0`); };
    only(log, ['$schema', 'version', 'runs', 'inlineExternalProperties', 'properties'], 'sarifLog');
    only(run, ['tool', 'invocations', 'conversion', 'language', 'versionControlProvenance', 'originalUriBaseIds', 'artifacts', 'logicalLocations', 'graphs', 'results', 'automationDetails', 'runAggregates', 'baselineGuid', 'redactionTokens', 'defaultEncoding', 'defaultSourceLanguage', 'newlineSequences', 'columnKind', 'externalPropertyFileReferences', 'threadFlowLocations', 'taxonomies', 'addresses', 'translations', 'policies', 'webRequests', 'webResponses', 'specialLocations', 'properties'], 'run');
    assert.ok(['utf16CodeUnits', 'unicodeCodePoints'].includes((run as unknown as { columnKind: string }).columnKind));
    only(run.tool, ['driver', 'extensions', 'properties'], 'tool');
    only(run.tool.driver, ['guid', 'name', 'organization', 'product', 'productSuite', 'shortDescription', 'fullDescription', 'fullName', 'version', 'semanticVersion', 'dottedQuadFileVersion', 'releaseDateUtc', 'downloadUri', 'informationUri', 'globalMessageStrings', 'notifications', 'rules', 'taxa', 'locations', 'language', 'contents', 'isComprehensive', 'localizedDataSemanticVersion', 'minimumRequiredLocalizedDataSemanticVersion', 'associatedComponent', 'translationMetadata', 'supportedTaxonomies', 'properties'], 'toolComponent');
    for (const rule of run.tool.driver.rules) {
      only(rule, ['id', 'deprecatedIds', 'guid', 'deprecatedGuids', 'name', 'deprecatedNames', 'shortDescription', 'fullDescription', 'messageStrings', 'defaultConfiguration', 'helpUri', 'help', 'relationships', 'properties'], 'reportingDescriptor');
      only(rule.shortDescription, ['text', 'markdown', 'properties'], 'multiformatMessageString');
      only(rule.defaultConfiguration, ['enabled', 'level', 'rank', 'parameters', 'properties'], 'reportingConfiguration');
    }
    for (const res of run.results) {
      only(res, ['ruleId', 'ruleIndex', 'rule', 'kind', 'level', 'message', 'analysisTarget', 'locations', 'guid', 'correlationGuid', 'occurrenceCount', 'partialFingerprints', 'fingerprints', 'stacks', 'codeFlows', 'graphs', 'graphTraversals', 'relatedLocations', 'suppressions', 'baselineState', 'rank', 'attachments', 'hostedViewerUri', 'workItemUris', 'provenance', 'fixes', 'taxa', 'webRequest', 'webResponse', 'properties'], 'result');
      only(res.message, ['text', 'markdown', 'id', 'arguments', 'properties'], 'message');
      const loc = res.locations[0]!;
      only(loc, ['id', 'physicalLocation', 'logicalLocations', 'message', 'annotations', 'relationships', 'properties'], 'location');
      only(loc.physicalLocation, ['address', 'artifactLocation', 'region', 'contextRegion', 'properties'], 'physicalLocation');
      only(loc.physicalLocation.artifactLocation, ['uri', 'uriBaseId', 'index', 'description', 'properties'], 'artifactLocation');
      only(loc.physicalLocation.region, ['startLine', 'startColumn', 'endLine', 'endColumn', 'charOffset', 'charLength', 'byteOffset', 'byteLength', 'snippet', 'message', 'sourceLanguage', 'properties'], 'region');
    }
    const human = await lint(['repo', '--cert', CERT, '--max-key-age', '1ms']);
    assert.equal(run.results.length, human.stdout.trimEnd().split('\n').length, 'the same findings as the human output');
  });
});

describe('cloak lint: no false alarms on upstream examples', () => {
  it("ESO's own documented examples pass the CRD schemas (their only findings are the plaintext Secrets they ship and one duplicate key)", async () => {
    const r = await runCloak(['lint', '-o', 'json', 'test/fixtures/eso-examples', 'deploy', 'keys-example/sealed-secret.yaml']);
    const out = JSON.parse(r.stdout) as { findings: Array<{ file: string; rule: string; message: string }> };
    const unexpected = out.findings.filter((f) => f.rule !== 'plaintext-secret' && !(f.rule === 'parse-error' && f.file.endsWith('full-external-secret.yaml') && /Map keys must be unique/.test(f.message)));
    assert.deepEqual(unexpected, []);
    assert.ok(out.findings.every((f) => f.file.startsWith('test/fixtures/eso-examples/')), 'deploy/ (Helm chart, kustomize) and the example SealedSecret are clean');
  });
});

describe('cloak lint: ignores and exit codes', { concurrency: true }, () => {
  it('--ignore globs (repeatable) skip files and directories, relative to the scanned root', async () => {
    const r = await lint(['repo', '--ignore', 'plain/', '--ignore', '**/templates/*.yaml', '--ignore', 'broken.yaml', '--ignore', 'keep.yaml']);
    assert.doesNotMatch(r.stdout, /repo\/plain\/|repo\/chart\/|repo\/broken\.yaml|keep\.yaml/);
    assert.match(r.stdout, /repo\/kustomization\.yaml:/);
    assert.match(r.stderr, /ignored/);
    const onlyClean = await lint(['repo', '--ignore', '*.yaml', '--ignore', '!good.yaml']);
    assert.equal(onlyClean.code, 0, onlyClean.stdout);
    assert.match(onlyClean.stderr, /^2 files checked \(\d+ ignored\): no findings\n$/);
  });

  it('exit 0 on clean input, 1 on usage problems, with one-line messages', async () => {
    const clean = await lint(['repo/es/good.yaml', 'repo/sealed/good.yaml', '--cert', CERT]);
    assert.equal(clean.code, 0, clean.stdout);
    const cases: Array<[string[], RegExp]> = [
      [['repo/nope'], /^error: repo\/nope: no such file or directory \(pass the files or directories to lint\)\n$/],
      [['repo', '--max-key-age', 'soon', '--cert', CERT], /^error: invalid --max-key-age "soon" \(use a duration such as 90d, 12w or 2160h\)\n$/],
      [['repo', '--max-key-age', '90d'], /^error: --max-key-age needs the keys' certificates/],
      [['repo', '--cert', join(ROOT, 'keys-example/tls.key')], /^error: .*tls\.key: expected a PEM CERTIFICATE but found a PEM (RSA )?PRIVATE KEY/],
      [['repo', '--cert', 'missing.pem'], /^error: missing\.pem: certificate file not found/],
      [['repo', '-o', 'xml'], /^error: option '-o, --output <format>' argument 'xml' is invalid/],
    ];
    for (const [args, re] of cases) {
      const r = await lint(args);
      assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re);
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
    mkdirSync(join(dir, 'empty'));
    const empty = await lint(['empty']);
    assert.equal(empty.code, 1);
    assert.match(empty.stderr, /^error: no YAML or JSON files found in empty/);
  });
});

interface SarifLog {
  $schema: string;
  version: string;
  runs: Array<{
    tool: { driver: { name: string; version: string; rules: Array<{ id: string; shortDescription: { text: string }; defaultConfiguration: { level: string } }> } };
    results: Array<{ ruleId: string; ruleIndex: number; level: string; message: { text: string }; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }> }>;
  }>;
}

function readCertNotBefore(path: string): string {
  return new X509Certificate(readFileSync(path)).validFrom;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
