// Property-based tests (fast-check) for the parsers and decoders that see hostile input: the YAML/JSON
// Secret reader, the SealedSecret decoder, the hybrid decrypt, the Go template lexer/parser/executor
// and gjson paths. The one property everywhere: any input either works or fails with our typed
// CloakError, never a raw JavaScript exception. The same properties run seeded and short in
// `npm test` and for minutes in `npm run fuzz`.
import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { hybridDecrypt, hybridEncrypt } from '../../src/crypto/index.js';
import { isCloakError } from '../../src/errors.js';
import { parseTemplate, executeTemplate, renderTemplate } from '../../src/gotemplate/index.js';
import { readDocuments } from '../../src/manifests/index.js';
import { buildSecret, encryptionLabel, unsealItems, validateSecret, type SealedSecretObject } from '../../src/sealed/index.js';
import { getJsonPath, hasJsonPath } from '../../src/providers/shared/property.js';
import { gjsonGet } from '../../src/providers/shared/gjson.js';

/** Runs fn; a CloakError is an accepted outcome, anything else fails the property. */
function typed<T>(what: string, fn: () => T): T | undefined {
  try {
    return fn();
  } catch (e) {
    if (isCloakError(e)) return undefined;
    throw new Error(`${what} threw an untyped ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, { cause: e });
  }
}
async function typedAsync<T>(what: string, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (e) {
    if (isCloakError(e)) return undefined;
    throw new Error(`${what} threw an untyped ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, { cause: e });
  }
}

/** Random edits (insert, delete, replace) applied to a valid text. */
const mutated = (base: string, unit: fc.Arbitrary<string>) => fc.array(fc.tuple(fc.nat({ max: base.length }), fc.nat({ max: 4 }), unit), { maxLength: 8 })
  .map((edits) => edits.reduce((s, [at, del, ins]) => s.slice(0, at) + ins + s.slice(at + del), base));

// ---------------------------------------------------------------- the YAML/JSON Secret reader
const YAML_UNITS = ['a', 'k', '0', '1', ' ', '  ', '\n', '\r\n', '\t', ':', ': ', '- ', '-', '{', '}', '[', ']', ',', '"', "'", '\\', '&a ', '*a', '!', '!!str ', '!!binary ', '#', '|', '|-', '>', '%YAML 1.1\n', '---\n', '...\n', '<<: ', '? ', '@', '`',
  'apiVersion: v1\n', 'kind: Secret\n', 'kind: List\n', 'items:\n', 'metadata:\n', '  name: ', '  namespace: ', '  labels:\n', 'stringData:\n', 'data:\n', '  k: ', 'yes', '0777', '~', 'null', '1e3', '12:30', '\u0000', '\u0007', '\ufeff', '\u00e9', '\ud83d\ude00', '\ud800'];
const yamlUnit = fc.constantFrom(...YAML_UNITS);
const VALID_SECRET = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\n  namespace: ns1\n  labels: {a: b}\ntype: Opaque\nstringData:\n  password: hunter2\ndata:\n  user: Ym9i\n';

const manifestText = fc.oneof(
  fc.string({ unit: yamlUnit, maxLength: 60 }),
  mutated(VALID_SECRET, yamlUnit),
  mutated(JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'app' }, data: { k: 'dg==' } }), fc.constantFrom('{', '}', '[', ']', '"', ',', ':', '\\', 'u', '0', ' ', 'null', '1e999')),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc.record({
    apiVersion: fc.oneof(fc.constant('v1'), fc.jsonValue({ maxDepth: 1 })),
    kind: fc.oneof(fc.constant('Secret'), fc.constant('List'), fc.jsonValue({ maxDepth: 1 })),
    metadata: fc.oneof(fc.record({ name: fc.oneof(fc.constant('app'), fc.jsonValue({ maxDepth: 1 })), namespace: fc.jsonValue({ maxDepth: 1 }), labels: fc.jsonValue({ maxDepth: 2 }), annotations: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: [] }), fc.jsonValue({ maxDepth: 2 })),
    data: fc.oneof(fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.base64String({ maxLength: 12 }), fc.jsonValue({ maxDepth: 1 }))), fc.jsonValue({ maxDepth: 2 })),
    stringData: fc.oneof(fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }))), fc.jsonValue({ maxDepth: 2 })),
    type: fc.jsonValue({ maxDepth: 1 }),
    immutable: fc.jsonValue({ maxDepth: 1 }),
    items: fc.jsonValue({ maxDepth: 3 }),
  }, { requiredKeys: [] }).chain((o) => fc.constantFrom(JSON.stringify(o), `${JSON.stringify(o)}\n${JSON.stringify(o)}`)),
);

export const secretReader = fc.property(manifestText, fc.boolean(), (text, allowEmptyData) => {
  const docs = typed('readDocuments', () => readDocuments(text, 'fuzz'));
  for (const d of docs ?? []) typed('validateSecret', () => validateSecret(d, { allowEmptyData }));
});

// ---------------------------------------------------------------- hybrid decrypt and the SealedSecret decoder
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const key = { privateKey, fingerprint: 'SHA256:fuzz' };
const LABEL = encryptionLabel('ns1', 'app', 'strict');
const VALID_BLOB = hybridEncrypt(publicKey, Buffer.from('hunter2'), LABEL);
const blobMutation = fc.array(fc.tuple(fc.nat({ max: VALID_BLOB.length - 1 }), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 })
  .map((flips) => { const b = Buffer.from(VALID_BLOB); for (const [at, x] of flips) b[at] = (b[at] ?? 0) ^ x; return b; });
const blob = fc.oneof(
  fc.uint8Array({ maxLength: 400 }).map((u) => Buffer.from(u)),
  blobMutation,
  fc.nat({ max: VALID_BLOB.length }).map((n) => VALID_BLOB.subarray(0, n)),
  fc.tuple(fc.integer({ min: 0, max: 0xffff }), fc.uint8Array({ maxLength: 300 })).map(([len, rest]) => { const b = Buffer.alloc(2 + rest.length); b.writeUInt16BE(len, 0); b.set(rest, 2); return b; }),
);

export const hybridNoUntypedErrors = fc.property(blob, fc.oneof(fc.constant(LABEL), fc.uint8Array({ maxLength: 40 }).map((u) => Buffer.from(u))), (b, label) => {
  const out = typed('hybridDecrypt', () => hybridDecrypt(privateKey, b, label));
  // A changed ciphertext or label never decrypts (GCM and OAEP authenticate both).
  if (out !== undefined && !(b.equals(VALID_BLOB) && Buffer.from(label).equals(LABEL))) throw new Error('a modified ciphertext decrypted');
});

export const hybridRoundTrip = fc.property(fc.uint8Array({ maxLength: 2000 }), fc.uint8Array({ maxLength: 64 }), (plain, label) => {
  const out = hybridDecrypt(privateKey, hybridEncrypt(publicKey, plain, label), label);
  if (!out.equals(Buffer.from(plain))) throw new Error('round trip changed the value');
});

const cipherText = fc.oneof(fc.constant(VALID_BLOB.toString('base64')), blob.map((b) => b.toString('base64')), fc.base64String({ maxLength: 40 }), fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 1 }));
const sealedObject = fc.record({
  apiVersion: fc.oneof(fc.constant('bitnami.com/v1alpha1'), fc.jsonValue({ maxDepth: 1 })),
  kind: fc.oneof(fc.constant('SealedSecret'), fc.jsonValue({ maxDepth: 1 })),
  metadata: fc.oneof(
    fc.record({
      name: fc.oneof(fc.constant('app'), fc.jsonValue({ maxDepth: 1 })),
      namespace: fc.oneof(fc.constant('ns1'), fc.jsonValue({ maxDepth: 1 })),
      annotations: fc.oneof(fc.dictionary(fc.constantFrom('sealedsecrets.bitnami.com/cluster-wide', 'sealedsecrets.bitnami.com/namespace-wide', 'cloak.dev/sealing-key', 'cloak.dev/sealing-keys'), fc.oneof(fc.constantFrom('true', 'false', '{}', '{"password":"x"}'), fc.jsonValue({ maxDepth: 1 }))), fc.jsonValue({ maxDepth: 2 })),
    }, { requiredKeys: [] }),
    fc.jsonValue({ maxDepth: 2 }),
  ),
  spec: fc.oneof(
    fc.record({
      encryptedData: fc.oneof(fc.dictionary(fc.constantFrom('password', 'user', 'bad key', ''), cipherText), fc.jsonValue({ maxDepth: 2 })),
      data: fc.oneof(fc.constant(undefined), cipherText),
      template: fc.oneof(fc.record({
        type: fc.jsonValue({ maxDepth: 1 }),
        immutable: fc.jsonValue({ maxDepth: 1 }),
        metadata: fc.jsonValue({ maxDepth: 3 }),
        data: fc.oneof(fc.dictionary(fc.string({ maxLength: 5 }), fc.oneof(fc.constantFrom('{{ .password }}', '{{ .password | b64enc }}', '{{ .nope.x }}', '{{', '{{ fail "x" }}'), fc.jsonValue({ maxDepth: 1 }))), fc.jsonValue({ maxDepth: 2 })),
      }, { requiredKeys: [] }), fc.jsonValue({ maxDepth: 2 })),
    }, { requiredKeys: [] }),
    fc.jsonValue({ maxDepth: 2 }),
  ),
}, { requiredKeys: [] });

const renderBitnami = (name: string, source: string, values: Record<string, Uint8Array>) => renderTemplate(source, values, { funcs: 'sprigBitnami', name, missingKey: 'default' });

export const sealedDecoder = fc.asyncProperty(sealedObject, fc.boolean(), async (obj, asYaml) => {
  const text = asYaml ? `# fuzz\n${JSON.stringify(obj)}` : JSON.stringify(obj);
  for (const d of typed('readDocuments', () => readDocuments(text, 'fuzz')) ?? []) {
    const ss = d.object as unknown as SealedSecretObject;
    const items = await typedAsync('unsealItems', () => unsealItems(ss, [key]));
    if (items) typed('buildSecret', () => buildSecret(ss, items.data, { renderTemplate: renderBitnami }));
  }
});

// ---------------------------------------------------------------- Go templates
const TEMPLATE_UNITS = ['{{', '}}', '{{-', '-}}', ' ', '.', '.a', '.b.c', '$', '$x', ':=', '=', '|', '(', ')', '"', '`', "'", '\\', ',', '/*', '*/', 'if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue', 'nil', 'true', '1', '-1', '0x1F', '1e3', '1.5', "'a'", '"s"',
  'len', 'index', 'printf', 'print', 'and', 'or', 'not', 'eq', 'lt', 'default', 'repeat', 'until', 'toJson', 'fromJson', 'b64dec', 'b64enc', 'regexMatch', 'regexReplaceAll', 'upper', 'trunc', 'list', 'dict', 'get', 'nosuch', 'x', '\n', '\u00e9', '%', '%d', '%s', '%v', '%999999999d'];
const templateSource = fc.oneof(
  fc.string({ unit: fc.constantFrom(...TEMPLATE_UNITS), maxLength: 30 }),
  mutated('{{ range $i, $v := .l }}{{ if eq $i 0 }}{{ $v | upper }}{{ else }}{{ printf "%s-%d" .a $i }}{{ end }}{{ end }}{{ template "t" . }}{{ define "t" }}{{ .b.c | default "x" }}{{ end }}', fc.constantFrom(...TEMPLATE_UNITS)),
);
const DATA = { a: 'hunter2', l: ['x', 'y', 'z'], b: { c: '5' }, n: 3 };
const smallLimits = { maxSteps: 20_000, maxOutputBytes: 64 * 1024, maxDepth: 50 };

export const templates = fc.property(templateSource, fc.constantFrom('eso' as const, 'sprigBitnami' as const), fc.constantFrom('error' as const, 'default' as const), (source, funcs, missingKey) => {
  const t = typed('parseTemplate', () => parseTemplate(source, { funcs, name: 'fuzz' }));
  if (t) typed('executeTemplate', () => executeTemplate(t, DATA, { missingKey, limits: smallLimits, now: () => new Date(0), randomBytes: (n) => new Uint8Array(n) }));
});

export const templateDelims = fc.property(fc.string({ maxLength: 20 }), fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 }), (source, leftDelim, rightDelim) => {
  typed('parseTemplate', () => parseTemplate(source, { funcs: 'eso', name: 'fuzz', leftDelim, rightDelim }));
});

// ---------------------------------------------------------------- gjson paths
const PATH_UNITS = ['a', 'b', 'c', '0', '1', '.', '*', '?', '#', '(', ')', '|', '\\', '=', '==', '!=', '%', '!%', '<', '>', '"', ' ', '[', ']', '@', '{', '}', ',', ':', '..', '#(', ')#', 'a.b', '\\.'];
const jsonDoc = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc.constant('{"a":{"b":[1,{"c":"x"},"y"]},"a.b":2,"c":[{"a":1},{"a":2}],"d":null,"e":"\\u00e9\\"q"}'),
  mutated('{"a":{"b":[1,{"c":"x"}]},"c":[{"a":1},{"a":"2"}]}', fc.constantFrom('{', '}', '[', ']', '"', ',', ':', '\\', ' ', '1', 'a')),
  fc.string({ maxLength: 30 }),
);
const path = fc.string({ unit: fc.constantFrom(...PATH_UNITS), maxLength: 12 });

export const gjsonPaths = fc.property(jsonDoc, path, (json, p) => {
  const r = typed('gjsonGet', () => gjsonGet(json, p));
  typed('getJsonPath', () => getJsonPath(json, p));
  typed('hasJsonPath', () => hasJsonPath(json, p));
  if (r && typeof r.raw !== 'string') throw new Error('gjson result without raw text');
});

/** Simple keys must find what JSON.parse finds. */
export const gjsonSimpleKeys = fc.property(fc.dictionary(fc.stringMatching(/^[a-z]{1,5}$/), fc.oneof(fc.string({ maxLength: 6 }), fc.integer())), (obj) => {
  const json = JSON.stringify(obj);
  for (const [k, v] of Object.entries(obj)) {
    const got = getJsonPath(json, k);
    if (got !== String(v)) throw new Error(`key ${k}: got ${String(got)}, expected ${String(v)}`);
  }
});

export interface Target { name: string; property: fc.IProperty<unknown> | fc.IAsyncProperty<unknown>; runs: number }

/** `runs` is the seeded count for `npm test` (each target file well under 20 s on a loaded machine). */
export const TARGETS: Target[] = [
  { name: 'YAML/JSON Secret reader', property: secretReader as fc.IProperty<unknown>, runs: 1500 },
  { name: 'hybrid decrypt: no untyped errors, no modified ciphertext decrypts', property: hybridNoUntypedErrors as fc.IProperty<unknown>, runs: 400 },
  { name: 'hybrid decrypt: round trip', property: hybridRoundTrip as fc.IProperty<unknown>, runs: 150 },
  { name: 'SealedSecret decoder (unsealItems + buildSecret)', property: sealedDecoder as fc.IAsyncProperty<unknown>, runs: 300 },
  { name: 'Go template lexer, parser and executor', property: templates as fc.IProperty<unknown>, runs: 1500 },
  { name: 'Go template custom delimiters', property: templateDelims as fc.IProperty<unknown>, runs: 800 },
  { name: 'gjson paths', property: gjsonPaths as fc.IProperty<unknown>, runs: 2000 },
  { name: 'gjson simple keys agree with JSON.parse', property: gjsonSimpleKeys as fc.IProperty<unknown>, runs: 300 },
];

export const SEED = 20261203;
