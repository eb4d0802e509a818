// Bad certificates (files and URLs), exploding templates, malformed ExternalSecrets/SecretStores,
// unknown and conflicting flags, bad output paths and closed stdin, through the real bin/cloak.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import { join } from 'node:path';
import { after } from 'node:test';
import forge from 'node-forge';
import { hostileServers } from '../support/hostile-server.js';
import { tempDir } from '../support/temp-dir.js';
import { CERT, corpus, EXIT, KEY, MARKER, secretYaml, type BadCase } from './harness.js';

const dir = tempDir('cloak-bad-misc-');
const SECRET = secretYaml(`stringData:\n  password: ${MARKER}\n`);
const hostile = hostileServers();
after(() => hostile.close());
const server = (handler: RequestListener) => hostile.serve(handler);

function certFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  const openssl = (name: string, args: string[]) => {
    execFileSync('openssl', ['req', '-x509', '-nodes', '-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.pem`), '-days', '30', '-subj', `/CN=${name}`, ...args], { stdio: 'ignore' });
    files[name] = join(dir, `${name}.pem`);
  };
  openssl('rsa1024', ['-newkey', 'rsa:1024']);
  openssl('ec', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1']);
  // Expired and not-yet-valid: the example key, signed with past/future validity.
  const key = forge.pki.privateKeyFromPem(readFileSync(KEY, 'utf8'));
  const pub = forge.pki.setRsaPublicKey(key.n, key.e);
  const dated = (name: string, from: number, to: number) => {
    const c = forge.pki.createCertificate();
    c.publicKey = pub;
    c.serialNumber = '01';
    c.validity.notBefore = new Date(Date.now() + from * 86_400_000);
    c.validity.notAfter = new Date(Date.now() + to * 86_400_000);
    c.setSubject([{ name: 'commonName', value: name }]);
    c.setIssuer([{ name: 'commonName', value: name }]);
    c.sign(key, forge.md.sha256.create());
    writeFileSync(join(dir, `${name}.pem`), forge.pki.certificateToPem(c));
    files[name] = join(dir, `${name}.pem`);
  };
  dated('expired', -30, -1);
  dated('future', 10, 40);
  const pem = readFileSync(CERT, 'utf8');
  const write = (name: string, content: string | Buffer) => { writeFileSync(join(dir, name), content); files[name] = join(dir, name); };
  write('truncated', pem.slice(0, Math.floor(pem.length / 2)));
  write('no-end', pem.replace(/-----END CERTIFICATE-----\s*$/, ''));
  write('garbage-body', '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n');
  write('empty', '');
  write('html', '<html><body>login</body></html>\n');
  write('binary', Buffer.from([0x30, 0x82, 0xff, 0xff, 0, 1, 2]));
  write('public-key', execFileSync('openssl', ['pkey', '-in', KEY, '-pubout'], { encoding: 'utf8' }));
  files['private-key'] = KEY;
  files['directory'] = dir;
  files['missing'] = join(dir, 'missing.pem');
  return files;
}

async function cases(): Promise<BadCase[]> {
  const certs = certFiles();
  const silent = await server(() => undefined);
  const html = await server((_q, r) => { r.writeHead(200, { 'Content-Type': 'text/html' }); r.end('<!doctype html><html><body>Sign in</body></html>'); });
  const notFound = await server((_q, r) => { r.writeHead(404); r.end('404 page not found'); });
  const boom = await server((_q, r) => { r.writeHead(500); r.end(`internal ${MARKER}`); });
  const reset = await server((q) => q.socket.destroy());
  const urls: Record<string, string> = {
    'a URL that never answers': `${silent}/v1/cert.pem`,
    'a URL returning HTML': `${html}/v1/cert.pem`,
    'a URL returning 404': `${notFound}/v1/cert.pem`,
    'a URL returning 500': `${boom}/v1/cert.pem`,
    'a URL that resets the connection': `${reset}/v1/cert.pem`,
    'a closed port': 'http://127.0.0.1:1/v1/cert.pem',
    'an unsupported scheme': 'ftp://127.0.0.1/cert.pem',
    'a malformed URL': 'http://[::1/cert.pem',
  };
  const env = { CLOAK_TIMEOUT: '1s' };
  const out: BadCase[] = [];
  const weak = [EXIT.input, EXIT.crypto];
  // Not yet valid: kubeseal checks only NotAfter, so sealing works.
  const certCodes: Record<string, number[]> = { expired: [EXIT.crypto], future: [EXIT.ok], rsa1024: [EXIT.crypto], ec: [EXIT.crypto] };
  for (const [name, path] of Object.entries(certs)) {
    const codes = certCodes[name] ?? weak;
    const subject = name === 'directory' ? dir : path;
    out.push({ name: `seal --cert ${name}`, args: ['seal', '--cert', path, '-w', '@out.yaml'], stdin: SECRET, codes, subject, guard: codes.includes(EXIT.ok) ? [] : ['out.yaml'] });
    out.push({ name: `kubeseal --cert ${name}`, args: ['kubeseal', '--cert', path], stdin: SECRET, codes, subject });
    out.push({ name: `seal --raw --cert ${name}`, args: ['seal', '--raw', '--scope', 'cluster-wide', '--cert', path], stdin: MARKER, codes, subject });
    // `cloak cert FILE` describes what it can (a TOO WEAK or EXPIRED table on stdout) before its error line.
    out.push({ name: `cert ${name}`, args: ['cert', path], codes: name === 'future' ? [EXIT.ok, EXIT.crypto] : codes, subject, stdoutOnFailure: true });
  }
  for (const [name, url] of Object.entries(urls)) {
    // HTML is a wrong certificate (exit 2); kubeseal --fetch-cert copies what the URL answers, as Bitnami's does.
    const codes = name === 'a malformed URL' || name === 'an unsupported scheme' ? [EXIT.usage, EXIT.input, EXIT.cluster] : name === 'a URL returning HTML' ? [EXIT.input, EXIT.cluster] : [EXIT.cluster];
    const subject = /127\.0\.0\.1|\[::1|URL|url/;
    out.push({ name: `seal --cert ${name}`, args: ['seal', '--cert', url, '-w', '@out.yaml'], stdin: SECRET, env, codes, subject, guard: ['out.yaml'], timeoutMs: 15_000 });
    out.push({ name: `cert ${name}`, args: ['cert', url], env, codes, subject, timeoutMs: 15_000 });
    out.push({ name: `kubeseal --fetch-cert --cert ${name}`, args: ['kubeseal', '--fetch-cert', '--cert', url], env, codes: name === 'a URL returning HTML' ? [EXIT.ok, ...codes] : codes, subject, timeoutMs: 15_000 });
  }
  out.push(...templateCases(), ...externalCases(), ...flagCases());
  return out;
}

function templateCases(): BadCase[] {
  const data = JSON.stringify({ password: MARKER, list: [1, 2, 3], nested: { a: { b: MARKER } } });
  const templates: Array<[string, string, number[]?]> = [
    ['repeat bomb', '{{ repeat 100000000 "x" }}'],
    ['repeat of repeat', '{{ repeat 100000 (repeat 100000 "x") }}'],
    ['nested range', '{{ range until 10000 }}{{ range until 10000 }}x{{ end }}{{ end }}'],
    ['triple nested range', '{{ range until 1000 }}{{ range until 1000 }}{{ range until 1000 }}{{ end }}{{ end }}{{ end }}'],
    ['until a billion', '{{ range until 1000000000 }}{{ end }}'],
    ['deep recursion', '{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}'],
    ['mutual recursion', '{{ define "a" }}{{ template "b" . }}{{ end }}{{ define "b" }}{{ template "a" . }}{{ end }}{{ template "a" . }}'],
    ['catastrophic regexp (RE2 is linear)', '{{ regexMatch "^(a+)+$" (printf "%s!" (repeat 5000 "a")) }}', [EXIT.ok]],
    ['catastrophic regexReplaceAll', '{{ regexReplaceAll "(x+x+)+y" (repeat 5000 "x") "z" }}', [EXIT.ok]],
    ['backreference (not RE2)', '{{ mustRegexMatch "(a)\\\\1" "aa" }}'],
    ['huge printf width', '{{ printf "%999999999d" 1 }}'],
    ['unclosed action', '{{ .password'],
    ['unclosed range', '{{ range .list }}x'],
    ['unexpected end', '{{ end }}'],
    ['unknown function', '{{ nosuch .password }}'],
    ['wrong argument count', '{{ repeat 3 }}'],
    ['wrong argument type', '{{ repeat "x" "y" }}'],
    ['missing key (missingkey=error)', '{{ .missing }}'],
    ['index out of range', '{{ index .list 99 }}'],
    ['call a non-function', '{{ call .password }}'],
    ['fail', '{{ fail "stopped" }}'],
    ['bad base64 decode', '{{ b64dec "%%%" }}', [EXIT.ok, EXIT.input]],
    ['fromJson of garbage', '{{ fromJson "{" }}', [EXIT.ok, EXIT.input]],
    ['mustFromJson of garbage', '{{ mustFromJson "{" }}'],
    ['toJson of deep data', '{{ toJson . }}', [EXIT.ok]],
    ['template nested 10000 deep', `${'{{ if true }}'.repeat(10_000)}${'{{ end }}'.repeat(10_000)}`],
    ['parenthesis nesting 10000 deep', `{{ ${'('.repeat(10_000)}1${')'.repeat(10_000)} }}`],
    ['pkcs12 of garbage', '{{ pkcs12key "%%%" }}'],
    ['NUL in the template', '{{ .password }}\u0000', [EXIT.ok, EXIT.input]],
  ];
  const out: BadCase[] = templates.map(([name, tpl, codes]) => ({
    name: `template: ${name}`, args: ['template', '-f', '@t.tpl', '--data', '@d.json'], files: { 't.tpl': tpl, 'd.json': data }, codes: codes ?? [EXIT.input], subject: 't.tpl',
  }));
  const bad: Array<[string, string | Buffer]> = [['data not JSON', `{"password": "${MARKER}"`], ['data a list', `["${MARKER}"]`], ['data nested 10000 deep', `{"a":${'['.repeat(10_000)}${']'.repeat(10_000)}}`], ['data invalid UTF-8', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d])], ['data empty', '']];
  for (const [name, d] of bad) out.push({ name: `template: ${name}`, args: ['template', '-f', '@t.tpl', '--data', '@d.json'], files: { 't.tpl': '{{ .a }}', 'd.json': d }, codes: [EXIT.input, EXIT.ok], subject: 'd.json' });
  out.push({ name: 'template: --data missing', args: ['template', '-f', '@t.tpl', '--data', '@none.json'], files: { 't.tpl': 'x' }, subject: 'none.json' });
  out.push({ name: 'template: template file missing', args: ['template', '-f', '@none.tpl', '--data', '@d.json'], files: { 'd.json': '{}' }, subject: 'none.tpl' });
  out.push({ name: 'template: empty delimiters', args: ['template', '-f', '@t.tpl', '--data', '@d.json', '--left-delim', ''], files: { 't.tpl': 'x', 'd.json': '{}' }, codes: [EXIT.ok, EXIT.usage, EXIT.input] });
  out.push({ name: 'template: bad --funcs', args: ['template', '-f', '@t.tpl', '--data', '@d.json', '--funcs', 'helm'], files: { 't.tpl': 'x', 'd.json': '{}' }, codes: [EXIT.usage] });
  return out;
}

function externalCases(): BadCase[] {
  const store = 'apiVersion: external-secrets.io/v1\nkind: SecretStore\nmetadata: {name: fake, namespace: default}\nspec:\n  provider:\n    fake:\n      data:\n      - {key: /k, value: "' + MARKER + '"}\n';
  const es = (spec: string) => `apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: {name: es, namespace: default}\nspec:\n${spec}`;
  const ref = '  secretStoreRef: {name: fake, kind: SecretStore}\n';
  const list: Array<[string, string, string?, number[]?]> = [
    ['spec.data is a string', es(`${ref}  data: abc\n`)],
    ['spec.data item is a string', es(`${ref}  data: [abc]\n`)],
    ['remoteRef missing', es(`${ref}  data: [{secretKey: a}]\n`)],
    ['secretKey missing', es(`${ref}  data: [{remoteRef: {key: /k}}]\n`)],
    ['secretKey is a number', es(`${ref}  data: [{secretKey: 5, remoteRef: {key: /k}}]\n`)],
    ['dataFrom is a mapping', es(`${ref}  dataFrom: {extract: {key: /k}}\n`)],
    ['dataFrom item empty', es(`${ref}  dataFrom: [{}]\n`)],
    ['no spec', 'apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: {name: es}\n'],
    ['spec is a list', 'apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: {name: es}\nspec: [1]\n'],
    ['no name', 'apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: {}\nspec:\n  secretStoreRef: {name: fake}\n  data: [{secretKey: a, remoteRef: {key: /k}}]\n'],
    ['unknown store', es('  secretStoreRef: {name: nope, kind: SecretStore}\n  data: [{secretKey: a, remoteRef: {key: /k}}]\n'), undefined, [EXIT.input, EXIT.cluster]],
    ['store kind unknown', es('  secretStoreRef: {name: fake, kind: VaultStore}\n  data: [{secretKey: a, remoteRef: {key: /k}}]\n')],
    // The not-found line is ESO's wording (pinned by test/external/cli.test.ts and docs/external-secrets.md): it names store, key and version.
    ['missing remote key', es(`${ref}  data: [{secretKey: a, remoteRef: {key: /nope}}]\n`), undefined, [EXIT.cluster]],
    ['template with a repeat bomb', es(`${ref}  data: [{secretKey: a, remoteRef: {key: /k}}]\n  target:\n    template:\n      data: {b: '{{ repeat 100000000 .a }}'}\n`)],
    ['template with a syntax error', es(`${ref}  data: [{secretKey: a, remoteRef: {key: /k}}]\n  target:\n    template:\n      data: {b: '{{ .a '}\n`)],
    ['template engineVersion v9', es(`${ref}  data: [{secretKey: a, remoteRef: {key: /k}}]\n  target:\n    template:\n      engineVersion: v9\n      data: {b: x}\n`), undefined, [EXIT.ok, EXIT.input]],
    ['regexp rewrite that does not compile', es(`${ref}  dataFrom:\n  - find: {name: {regexp: '('}}\n`)],
    ['unknown provider', es(`${ref}  data: [{secretKey: a, remoteRef: {key: /k}}]\n`), 'apiVersion: external-secrets.io/v1\nkind: SecretStore\nmetadata: {name: fake, namespace: default}\nspec:\n  provider:\n    nosuchcloud: {}\n'],
    ['two providers in one store', es(`${ref}  data: [{secretKey: a, remoteRef: {key: /k}}]\n`), 'apiVersion: external-secrets.io/v1\nkind: SecretStore\nmetadata: {name: fake, namespace: default}\nspec:\n  provider:\n    fake: {data: []}\n    vault: {server: "http://127.0.0.1:1"}\n'],
    ['store without provider', es(`${ref}  data: [{secretKey: a, remoteRef: {key: /k}}]\n`), 'apiVersion: external-secrets.io/v1\nkind: SecretStore\nmetadata: {name: fake, namespace: default}\nspec: {}\n'],
    ['store provider is a list', es(`${ref}  data: [{secretKey: a, remoteRef: {key: /k}}]\n`), 'apiVersion: external-secrets.io/v1\nkind: SecretStore\nmetadata: {name: fake, namespace: default}\nspec:\n  provider: [fake]\n'],
    ['fake data is a string', es(`${ref}  data: [{secretKey: a, remoteRef: {key: /k}}]\n`), 'apiVersion: external-secrets.io/v1\nkind: SecretStore\nmetadata: {name: fake, namespace: default}\nspec:\n  provider:\n    fake: {data: abc}\n'],
    ['vault store with no auth', es(`${ref}  data: [{secretKey: a, remoteRef: {key: /k}}]\n`), 'apiVersion: external-secrets.io/v1\nkind: SecretStore\nmetadata: {name: fake, namespace: default}\nspec:\n  provider:\n    vault: {server: "http://127.0.0.1:1", path: secret}\n', [EXIT.input, EXIT.cluster]],
    ['store is a ConfigMap', es(`${ref}  data: [{secretKey: a, remoteRef: {key: /k}}]\n`), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fake}\ndata: {a: b}\n'],
    ['ExternalSecret nested 10000 deep', `apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: {name: es}\nspec: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`],
  ];
  return list.map(([name, text, storeText, codes]) => ({
    ...(name === 'missing remote key' ? { fix: /: secret does not exist$/ } : {}),
    name: `external get: ${name}`,
    args: ['external', 'get', '-f', '@es.yaml', '--store', '@store.yaml'],
    files: { 'es.yaml': text, 'store.yaml': storeText ?? store },
    codes: codes ?? [EXIT.input],
    subject: /es\.yaml|store\.yaml|ExternalSecret|SecretStore|es\b/,
  }));
}

function flagCases(): BadCase[] {
  const c = (name: string, args: string[], o: Partial<BadCase> = {}): BadCase => ({ name, args, codes: [EXIT.usage], stdin: SECRET, fix: /\(.+\)$/, ...o });
  return [
    c('unknown flag', ['seal', '--cert', CERT, '--bogus']),
    c('unknown command', ['sael', '--cert', CERT]),
    c('unknown subcommand', ['external', 'gett']),
    c('missing flag argument', ['seal', '--cert']),
    c('invalid --scope', ['seal', '--cert', CERT, '--scope', 'global']),
    c('invalid -o', ['seal', '--cert', CERT, '-o', 'xml'], { codes: [EXIT.usage, EXIT.input] }),
    c('invalid kubeseal --format', ['kubeseal', '--cert', CERT, '--format', 'toml'], { codes: [EXIT.usage, EXIT.input] }),
    c('--raw without --name in strict scope', ['seal', '--cert', CERT, '--raw'], { codes: [EXIT.usage, EXIT.input] }),
    c('--raw and --merge-into', ['seal', '--cert', CERT, '--raw', '--name', 'a', '--merge-into', '@m.yaml'], { codes: [EXIT.usage, EXIT.input], files: { 'm.yaml': 'ORIGINAL\n' }, guard: ['m.yaml'] }),
    c('--from-file without --raw', ['seal', '--cert', CERT, '--from-file', '@v.txt'], { codes: [EXIT.usage, EXIT.input], files: { 'v.txt': MARKER } }),
    c('kubeseal --validate and --re-encrypt', ['kubeseal', '--validate', '--re-encrypt'], { codes: [EXIT.usage, EXIT.input, EXIT.cluster] }),
    c('kubeseal --recovery-unseal and --raw', ['kubeseal', '--recovery-unseal', '--raw', '--recovery-private-key', KEY], { codes: [EXIT.usage, EXIT.input] }),
    c('invalid --timeout', ['seal', '--cert', 'http://127.0.0.1:1/c.pem', '--timeout', 'soon']),
    c('invalid CLOAK_TIMEOUT', ['cert', 'http://127.0.0.1:1/c.pem'], { env: { CLOAK_TIMEOUT: '-5s' } }),
    c('negative --timeout', ['cert', 'http://127.0.0.1:1/c.pem', '--timeout', '-1s']),
    c('invalid --funcs', ['template', '--funcs', 'jinja']),
    c('invalid --missingkey', ['template', '--missingkey', 'maybe']),
    c('extra argument to seal', ['seal', '--cert', CERT, 'extra.yaml']),
    c('invalid namespace flag', ['seal', '--cert', CERT, '-n', 'Bad_NS'], { codes: [EXIT.usage, EXIT.input] }),
    c('invalid --name flag', ['seal', '--cert', CERT, '--name', 'Bad Name'], { codes: [EXIT.usage, EXIT.input] }),
    // output paths and stdin
    c('-w into a missing directory', ['seal', '--cert', CERT, '-w', '@missing/out.yaml'], { codes: [EXIT.input], guard: ['missing'] }),
    c('-w onto a directory', ['seal', '--cert', CERT, '-w', '@.'], { codes: [EXIT.input] }),
    c('-w under /proc', ['seal', '--cert', CERT, '-w', '/proc/cloak-out.yaml'], { codes: [EXIT.input] }),
    c('-w into an unwritable directory', ['seal', '--cert', CERT, '-w', '/sys/cloak-out.yaml'], { codes: [EXIT.input] }),
    c('unseal -w into a missing directory', ['unseal', '--key', KEY, '-w', '@nodir/out.yaml'], { codes: [EXIT.input, EXIT.crypto] }),
    c('keys generate --out under /proc', ['keys', 'generate', '--out', '/proc/cloak-key.yaml'], { codes: [EXIT.usage, EXIT.input, EXIT.crypto], timeoutMs: 30_000 }),
    c('--merge-into a missing file', ['seal', '--cert', CERT, '--merge-into', '@none.yaml'], { codes: [EXIT.input], subject: 'none.yaml' }),
    c('--merge-into a plain Secret', ['seal', '--cert', CERT, '--merge-into', '@m.yaml'], { codes: [EXIT.input], files: { 'm.yaml': SECRET }, guard: ['m.yaml'] }),
    c('-f a directory', ['seal', '--cert', CERT, '-f', '@.'], { codes: [EXIT.input] }),
    c('seal with closed stdin', ['seal', '--cert', CERT], { stdin: 'closed', codes: [EXIT.input] }),
    c('unseal with closed stdin', ['unseal', '--key', KEY], { stdin: 'closed', codes: [EXIT.input] }),
    c('template with closed stdin', ['template', '--data', '@d.json'], { stdin: 'closed', codes: [EXIT.input], files: { 'd.json': '{}' } }),
    c('seal --raw with closed stdin', ['seal', '--cert', CERT, '--raw', '--scope', 'cluster-wide'], { stdin: 'closed', codes: [EXIT.input] }),
    c('seal with empty stdin', ['seal', '--cert', CERT], { stdin: '', codes: [EXIT.input] }),
  ];
}

corpus('bad certificates, templates, ExternalSecrets, flags and paths', cases);
