// Tampered and malformed SealedSecrets, and wrong private keys, for `cloak unseal`,
// `cloak kubeseal --recovery-unseal`, and the input checks of `cloak validate` / `cloak reencrypt`.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCertificate } from '../../src/crypto/index.js';
import { toYaml } from '../../src/manifests/index.js';
import type { SealedSecretObject } from '../../src/sealed/index.js';
import { seal } from '../support/controller/harness.js';
import { CERT, EXIT, KEY, MARKER, MARKER_B64, type BadCase } from './harness.js';

/** `online`: the verdict of `cloak validate` when it differs from offline unseal (Bitnami's /v1/verify answers 409 for template errors, 200 without spec). */
interface Variant { name: string; text: string | Buffer; codes?: number[]; online?: number[] }
type Mutate = (ss: SealedSecretObject & Record<string, unknown>) => void;

export function sealedFixture(cert = CERT): SealedSecretObject {
  return seal(readCertificate(readFileSync(cert, 'utf8'), cert), { name: 'app', namespace: 'ns1', data: { password: MARKER, user: 'bob' } });
}

function variants(base: SealedSecretObject): Variant[] {
  const v = (name: string, m: Mutate, codes?: number[], online?: number[]): Variant => {
    const ss = structuredClone(base) as SealedSecretObject & Record<string, unknown>;
    m(ss);
    return { name, text: toYaml(ss), ...(codes ? { codes } : {}), ...(online ? { online } : {}) };
  };
  const tplOnline = [EXIT.input, EXIT.crypto];
  const enc = (ss: SealedSecretObject) => ss.spec.encryptedData as Record<string, unknown>;
  const pw = base.spec.encryptedData['password']!;
  const half = Math.floor(pw.length / 8) * 4;
  const bytes = Buffer.from(pw, 'base64');
  const flip = (at: number) => { const b = Buffer.from(bytes); b[at] = (b[at] ?? 0) ^ 0x01; return b.toString('base64'); };
  const crypto = [EXIT.crypto];
  const text = toYaml(base);
  return [
    v('truncated ciphertext (whole base64 quanta)', (ss) => { enc(ss)['password'] = pw.slice(0, half); }, crypto),
    v('truncated ciphertext (broken base64)', (ss) => { enc(ss)['password'] = pw.slice(0, half + 1); }, [EXIT.input, EXIT.crypto]),
    v('ciphertext of two bytes', (ss) => { enc(ss)['password'] = 'AgA='; }, crypto),
    v('empty ciphertext', (ss) => { enc(ss)['password'] = ''; }, [EXIT.input, EXIT.crypto]),
    v('ciphertext is a number', (ss) => { enc(ss)['password'] = 5; }, [EXIT.input, EXIT.crypto]),
    v('ciphertext is a mapping', (ss) => { enc(ss)['password'] = { a: MARKER }; }, [EXIT.input, EXIT.crypto]),
    v('ciphertext is null', (ss) => { enc(ss)['password'] = null; }, [EXIT.input, EXIT.crypto]),
    v('flipped byte in the length prefix', (ss) => { enc(ss)['password'] = flip(1); }, crypto),
    v('flipped byte in the RSA block', (ss) => { enc(ss)['password'] = flip(100); }, crypto),
    v('flipped byte in the AES ciphertext', (ss) => { enc(ss)['password'] = flip(bytes.length - 20); }, crypto),
    v('flipped byte in the GCM tag', (ss) => { enc(ss)['password'] = flip(bytes.length - 1); }, crypto),
    v('length prefix larger than the blob', (ss) => { const b = Buffer.from(bytes); b.writeUInt16BE(0xffff, 0); enc(ss)['password'] = b.toString('base64'); }, crypto),
    v('length prefix zero', (ss) => { const b = Buffer.from(bytes); b.writeUInt16BE(0, 0); enc(ss)['password'] = b.toString('base64'); }, crypto),
    v('ciphertext swapped between items', (ss) => { enc(ss)['user'] = pw; enc(ss)['password'] = base.spec.encryptedData['user']; }, [EXIT.ok, EXIT.crypto]),
    v('URL-safe base64', (ss) => { enc(ss)['password'] = pw.replace(/\+/g, '-').replace(/\//g, '_'); }, [EXIT.input, EXIT.crypto]),
    v('base64 with embedded spaces', (ss) => { enc(ss)['password'] = `${pw.slice(0, 40)} ${pw.slice(40)}`; }, [EXIT.input, EXIT.crypto]),
    v('renamed', (ss) => { ss.metadata.name = 'other'; }, crypto),
    v('moved to another namespace', (ss) => { ss.metadata.namespace = 'ns2'; }, crypto),
    v('namespace removed', (ss) => { delete ss.metadata.namespace; }, crypto),
    v('cluster-wide annotation added to a strict secret', (ss) => { ss.metadata.annotations = { ...ss.metadata.annotations, 'sealedsecrets.bitnami.com/cluster-wide': 'true' }; }, crypto),
    v('namespace-wide annotation added to a strict secret', (ss) => { ss.metadata.annotations = { ...ss.metadata.annotations, 'sealedsecrets.bitnami.com/namespace-wide': 'true' }; }, crypto),
    v('both scope annotations', (ss) => { ss.metadata.annotations = { ...ss.metadata.annotations, 'sealedsecrets.bitnami.com/namespace-wide': 'true', 'sealedsecrets.bitnami.com/cluster-wide': 'true' }; }, crypto),
    v('cluster-wide smuggled into spec.template (strict still applies)', (ss) => { ss.spec.template = { metadata: { annotations: { 'sealedsecrets.bitnami.com/cluster-wide': 'true' } } }; }, [EXIT.ok]),
    v('scope annotation is a number', (ss) => { ss.metadata.annotations = { 'sealedsecrets.bitnami.com/cluster-wide': 1 as unknown as string }; }, [EXIT.ok, EXIT.input, EXIT.crypto]),
    v('sealing-keys hint is not JSON', (ss) => { ss.metadata.annotations = { 'cloak.dev/sealing-keys': '{not json' }; }, [EXIT.ok, EXIT.input]),
    v('encryptedData is a list', (ss) => { (ss.spec as Record<string, unknown>)['encryptedData'] = [pw]; }),
    v('encryptedData is a string', (ss) => { (ss.spec as Record<string, unknown>)['encryptedData'] = pw; }),
    v('encryptedData is a number', (ss) => { (ss.spec as Record<string, unknown>)['encryptedData'] = 7; }),
    v('invalid item key', (ss) => { enc(ss)['bad key!'] = pw; }, [EXIT.ok, EXIT.input, EXIT.crypto]),
    v('spec is a list', (ss) => { (ss as Record<string, unknown>)['spec'] = [1]; }),
    v('spec is a string', (ss) => { (ss as Record<string, unknown>)['spec'] = MARKER_B64; }),
    v('no spec', (ss) => { delete (ss as Record<string, unknown>)['spec']; }, undefined, [EXIT.ok]),
    v('legacy spec.data is not base64', (ss) => { ss.spec = { data: '%%%' } as never; }, [EXIT.input, EXIT.crypto]),
    v('legacy spec.data garbage', (ss) => { ss.spec = { data: MARKER_B64 } as never; }, [EXIT.input, EXIT.crypto]),
    v('both data and encryptedData', (ss) => { (ss.spec as Record<string, unknown>)['data'] = MARKER_B64; }, undefined, [EXIT.input, EXIT.crypto]),
    v('no metadata', (ss) => { delete (ss as Record<string, unknown>)['metadata']; }, [EXIT.input, EXIT.crypto]),
    v('name is a number', (ss) => { (ss.metadata as Record<string, unknown>)['name'] = 5; }, [EXIT.input, EXIT.crypto]),
    v('kind Secret', (ss) => { ss.kind = 'Secret' as never; }),
    v('apiVersion bitnami.com/v2', (ss) => { ss.apiVersion = 'bitnami.com/v2' as never; }, [EXIT.input, EXIT.crypto]),
    v('template with a syntax error', (ss) => { ss.spec.template = { data: { conn: '{{ .password ' } }; }, undefined, tplOnline),
    v('template calling an unknown function', (ss) => { ss.spec.template = { data: { conn: '{{ nosuch .password }}' } }; }, undefined, tplOnline),
    v('template repeat bomb', (ss) => { ss.spec.template = { data: { conn: '{{ repeat 100000000 .password }}' } }; }, undefined, tplOnline),
    v('template nested range', (ss) => { ss.spec.template = { data: { conn: '{{ range until 100000 }}{{ range until 100000 }}x{{ end }}{{ end }}' } }; }, undefined, tplOnline),
    v('template recursion', (ss) => { ss.spec.template = { data: { conn: '{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}' } }; }, undefined, tplOnline),
    v('template data is a list', (ss) => { ss.spec.template = { data: ['x'] as never }; }, [EXIT.input], tplOnline),
    v('template value is a number', (ss) => { ss.spec.template = { data: { conn: 5 as never } }; }, undefined, tplOnline),
    v('template labels nested map', (ss) => { ss.spec.template = { metadata: { labels: { a: { b: 'c' } as never } } }; }, [EXIT.input], tplOnline),
    v('template type is a number', (ss) => { ss.spec.template = { type: 5 as never }; }, [EXIT.input], tplOnline),
    { name: 'one tampered SealedSecret in a stream of three', text: `${text}---\n${toYaml({ ...base, metadata: { ...base.metadata, name: 'other' } })}---\n${text}`, codes: crypto },
    { name: 'syntax error in a SealedSecret stream', text: `${text}---\nkind: SealedSecret\nspec: {encryptedData: {a: [}\n`, codes: [EXIT.input] },
    { name: 'truncated file', text: text.slice(0, Math.floor(text.length / 2)), codes: [EXIT.input, EXIT.crypto] },
    { name: 'JSON SealedSecret truncated', text: JSON.stringify(base).slice(0, 300) },
    { name: 'nesting 10000 deep', text: `apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: {name: a}\nspec: {encryptedData: {a: ${'['.repeat(10_000)}${']'.repeat(10_000)}}}\n` },
  ];
}

/** The variants as manifests, for applying them to a cluster. */
export function sealedVariantTexts(cert: string): Array<{ name: string; text: string | Buffer }> {
  return variants(sealedFixture(cert)).map((v) => ({ name: v.name, text: v.text }));
}

export type SealedContext = 'unseal' | 'recovery' | 'online';

/** `online.cert` seals the fixtures for a running controller; `online.env` points bin/cloak at its cluster. */
export function sealedCases(ctx: SealedContext, online?: { cert: string; env: Record<string, string> }): BadCase[] {
  const list = variants(sealedFixture(online?.cert));
  return list.flatMap((v): BadCase[] => {
    const codes = v.codes ?? [EXIT.input];
    const accepting = codes.includes(EXIT.ok);
    if (ctx === 'unseal') {
      return [
        { name: `unseal stdin: ${v.name}`, args: ['unseal', '--key', KEY], stdin: v.text, codes, subject: /stdin|SealedSecret/ },
        {
          name: `unseal -f -w (existing output): ${v.name}`,
          args: ['unseal', '--key', KEY, '-f', '@ss.yaml', '-w', '@out.yaml'],
          files: { 'ss.yaml': v.text, 'out.yaml': 'ORIGINAL\n' },
          codes, subject: /ss\.yaml|SealedSecret/, guard: accepting ? [] : ['out.yaml'],
        },
      ];
    }
    if (ctx === 'recovery') {
      return [{ name: `kubeseal --recovery-unseal: ${v.name}`, args: ['kubeseal', '--recovery-unseal', '--recovery-private-key', KEY, '-f', '@ss.yaml'], files: { 'ss.yaml': v.text }, codes, subject: /ss\.yaml|SealedSecret/ }];
    }
    // Against the real controller (/v1/verify, /v1/rotate): the same verdict as offline unseal; a
    // failing reencrypt never edits the file.
    return ['validate'].map((cmd): BadCase => ({
      name: `${cmd} -f: ${v.name}`,
      args: [cmd, '-f', '@ss.yaml'],
      files: { 'ss.yaml': v.text },
      env: online?.env ?? {},
      codes: v.online ?? codes,
      subject: /ss\.yaml|SealedSecret/,
      // validate reports each SealedSecret on stdout, then fails
      stdoutOnFailure: true,
    }));
  });
}

/** Keys that are wrong in every way, for unseal and kubeseal --recovery-unseal. */
export function keyCases(dir: string): BadCase[] {
  const ss = toYaml(sealedFixture());
  const other = join(dir, 'other.key');
  execFileSync('openssl', ['genrsa', '-out', other, '2048'], { stdio: 'ignore' });
  const ec = join(dir, 'ec.key');
  execFileSync('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', ec], { stdio: 'ignore' });
  const keyPem = readFileSync(KEY, 'utf8');
  writeFileSync(join(dir, 'truncated.key'), keyPem.slice(0, keyPem.length / 2));
  writeFileSync(join(dir, 'garbage.key'), `-----BEGIN RSA PRIVATE KEY-----\n${MARKER_B64}\n-----END RSA PRIVATE KEY-----\n`);
  writeFileSync(join(dir, 'empty.key'), '');
  writeFileSync(join(dir, 'list.yaml'), 'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: x}}\n');
  writeFileSync(join(dir, 'secret-nokey.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata: {name: k}\ntype: kubernetes.io/tls\ndata: {tls.crt: YWJj}\n');
  writeFileSync(join(dir, 'secret-badkey.yaml'), `apiVersion: v1\nkind: Secret\nmetadata: {name: k}\ntype: kubernetes.io/tls\ndata: {tls.key: ${MARKER_B64}}\n`);
  writeFileSync(join(dir, 'binary.key'), Buffer.from([0xff, 0xfe, 0, 1, 2, 3]));
  const keys: Array<[string, string, number[]]> = [
    ['another cluster\'s key', other, [EXIT.crypto]],
    ['an EC key', ec, [EXIT.input, EXIT.crypto]],
    ['the certificate instead of the key', CERT, [EXIT.input, EXIT.crypto]],
    ['a truncated PEM key', join(dir, 'truncated.key'), [EXIT.input, EXIT.crypto]],
    ['a PEM block of garbage', join(dir, 'garbage.key'), [EXIT.input, EXIT.crypto]],
    ['an empty key file', join(dir, 'empty.key'), [EXIT.input, EXIT.crypto]],
    ['a missing key file', join(dir, 'missing.key'), [EXIT.input, EXIT.crypto]],
    ['a directory as the key', dir, [EXIT.input, EXIT.crypto]],
    ['a List without keys', join(dir, 'list.yaml'), [EXIT.input, EXIT.crypto]],
    ['a key Secret without tls.key', join(dir, 'secret-nokey.yaml'), [EXIT.input, EXIT.crypto]],
    ['a key Secret with a garbage tls.key', join(dir, 'secret-badkey.yaml'), [EXIT.input, EXIT.crypto]],
    ['a binary key file', join(dir, 'binary.key'), [EXIT.input, EXIT.crypto]],
    ['an empty --key list', ',', [EXIT.usage, EXIT.input]],
  ];
  return keys.flatMap(([name, path, codes]): BadCase[] => [
    { name: `unseal --key ${name}`, args: ['unseal', '--key', path], stdin: ss, codes, subject: /key|SealedSecret|stdin|\//, guard: [] },
    { name: `kubeseal --recovery-private-key ${name}`, args: ['kubeseal', '--recovery-unseal', '--recovery-private-key', path], stdin: ss, codes, subject: /key|SealedSecret|stdin|\// },
  ]);
}
