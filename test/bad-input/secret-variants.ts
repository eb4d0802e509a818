// Bad Secret manifests for `cloak seal` and `cloak kubeseal`, each input in four ways of passing it
// (stdin, -f with an existing -w file, kubeseal -f -w, kubeseal stdin); the big ones on stdin only.
import { CERT, EXIT, MARKER, MARKER_B64, secretYaml, type BadCase } from './harness.js';

interface Variant { name: string; text: string | Buffer; codes?: number[]; only?: 'one' }

const M = MARKER;
const B = MARKER_B64;
const ok = `stringData:\n  password: ${M}\n`;
const good = (name: string) => secretYaml(ok, name);
const deep = (n: number) => `apiVersion: v1\nkind: Secret\nmetadata: {name: a}\nstringData: {p: ${M}}\nx: ${'['.repeat(n)}${']'.repeat(n)}\n`;
const blockDeep = (n: number) => `apiVersion: v1\nkind: Secret\nmetadata: {name: a}\nstringData: {p: ${M}}\nx:\n${Array.from({ length: n }, (_, i) => `${' '.repeat(i + 1)}k${i}:`).join('\n')} v\n`;
const bomb = () => {
  const l = [`a: &a ["${M}","${M}","${M}","${M}","${M}","${M}","${M}","${M}","${M}"]`];
  for (let i = 1; i < 9; i++) l.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
  return `${l.join('\n')}\n`;
};
const utf8 = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

const variants: Variant[] = [
  // empty and non-objects
  { name: 'empty input', text: '' },
  { name: 'only a separator', text: '---\n---\n' },
  { name: 'only a comment', text: '# nothing here\n' },
  { name: 'null document', text: 'null\n' },
  { name: 'a number', text: '42\n' },
  { name: 'a string', text: `"${M}"\n` },
  { name: 'a top-level list', text: `- ${M}\n- b\n` },
  // malformed YAML
  { name: 'unclosed flow sequence', text: `apiVersion: v1\nkind: Secret\nmetadata: {name: a}\nstringData: {p: [${M}\n` },
  { name: 'unterminated quote', text: `apiVersion: v1\nkind: Secret\nmetadata: {name: a}\nstringData:\n  p: "${M}\n` },
  { name: 'tab indentation', text: `apiVersion: v1\nkind: Secret\nmetadata:\n\tname: a\nstringData:\n\tp: ${M}\n` },
  { name: 'mapping in a plain scalar', text: `apiVersion: v1\nkind: Secret\nmetadata: {name: a}\nstringData:\n  p: a: ${M}\n` },
  { name: 'bad indentation', text: `apiVersion: v1\nkind: Secret\nmetadata:\n    name: a\n  namespace: b\nstringData:\n  p: ${M}\n` },
  { name: 'undefined alias', text: `apiVersion: v1\nkind: Secret\nmetadata: {name: a}\nstringData: {p: *nope, q: ${M}}\n` },
  { name: 'unknown tag', text: `apiVersion: v1\nkind: Secret\nmetadata: {name: a}\nstringData: {p: !vault ${M}}\n`, codes: [EXIT.ok, EXIT.input] },
  { name: 'stray document end marker', text: `apiVersion: v1\n...\nkind: Secret\nstringData: {p: ${M}}\n` },
  { name: 'directive after content', text: `apiVersion: v1\n%YAML 1.2\nkind: Secret\nstringData: {p: ${M}}\n` },
  // malformed JSON
  { name: 'JSON trailing comma', text: `{"apiVersion":"v1","kind":"Secret","metadata":{"name":"a"},"stringData":{"p":"${M}"},}` },
  { name: 'JSON unterminated object', text: `{"apiVersion":"v1","kind":"Secret","stringData":{"p":"${M}"}` },
  { name: 'JSON missing comma', text: `{"apiVersion":"v1" "kind":"Secret","stringData":{"p":"${M}"}}` },
  { name: 'JSON single quotes', text: `{'apiVersion':'v1','kind':'Secret','stringData':{'p':'${M}'}}`, codes: [EXIT.ok, EXIT.input] },
  { name: 'JSON truncated string', text: `{"apiVersion":"v1","kind":"Secret","metadata":{"name":"a"},"stringData":{"p":"${M}` },
  // size and shape bombs
  { name: 'flow nesting 10000 deep', text: deep(10_000) },
  { name: 'JSON nesting 10000 deep', text: `{"apiVersion":"v1","kind":"Secret","metadata":{"name":"a"},"stringData":{"p":"${M}"},"x":${'['.repeat(10_000)}${']'.repeat(10_000)}}` },
  { name: 'block nesting 2000 deep', text: blockDeep(2000) },
  { name: 'alias bomb', text: bomb() },
  { name: 'circular alias', text: `apiVersion: v1\nkind: Secret\nmetadata: &m\n  name: a\n  self: *m\nstringData: {p: ${M}}\n` },
  { name: 'merge key given a scalar', text: `apiVersion: v1\nkind: Secret\nmetadata:\n  <<: 5\n  name: a\nstringData: {p: ${M}}\n` },
  { name: 'a mapping as a key', text: `apiVersion: v1\nkind: Secret\nmetadata: {name: a}\nstringData:\n  ? {k: v}\n  : ${M}\n` },
  { name: 'merge-key alias loop', text: `apiVersion: v1\nkind: Secret\nmetadata: &m\n  <<: *m\n  name: a\nstringData: {p: ${M}}\n` },
  // kinds and names
  { name: 'kind ConfigMap', text: `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {p: ${M}}\n` },
  { name: 'kind SealedSecret', text: `apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: {name: a}\nspec: {encryptedData: {p: ${B}}}\n` },
  { name: 'no kind', text: `apiVersion: v1\nmetadata: {name: a}\nstringData: {p: ${M}}\n` },
  { name: 'lowercase kind', text: `apiVersion: v1\nkind: secret\nmetadata: {name: a}\nstringData: {p: ${M}}\n` },
  { name: 'kind is a number', text: `apiVersion: v1\nkind: 5\nmetadata: {name: a}\nstringData: {p: ${M}}\n` },
  { name: 'apiVersion v2', text: `apiVersion: v2\nkind: Secret\nmetadata: {name: a}\nstringData: {p: ${M}}\n` },
  { name: 'List of ConfigMaps', text: `apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: x}, data: {p: ${M}}}\n` },
  { name: 'missing metadata', text: `apiVersion: v1\nkind: Secret\nstringData: {p: ${M}}\n` },
  { name: 'metadata is a list', text: `apiVersion: v1\nkind: Secret\nmetadata: [a]\nstringData: {p: ${M}}\n` },
  { name: 'missing name', text: `apiVersion: v1\nkind: Secret\nmetadata: {namespace: a}\nstringData: {p: ${M}}\n` },
  { name: 'empty name', text: `apiVersion: v1\nkind: Secret\nmetadata: {name: ""}\nstringData: {p: ${M}}\n` },
  { name: 'name is a number', text: `apiVersion: v1\nkind: Secret\nmetadata: {name: 5}\nstringData: {p: ${M}}\n` },
  { name: 'name is a boolean (YAML 1.1 yes)', text: `apiVersion: v1\nkind: Secret\nmetadata: {name: yes}\nstringData: {p: ${M}}\n` },
  { name: 'name is a mapping', text: `apiVersion: v1\nkind: Secret\nmetadata: {name: {a: b}}\nstringData: {p: ${M}}\n` },
  { name: 'name with uppercase letters', text: `apiVersion: v1\nkind: Secret\nmetadata: {name: My_Secret}\nstringData: {p: ${M}}\n` },
  { name: 'name of 300 characters', text: `apiVersion: v1\nkind: Secret\nmetadata: {name: ${'a'.repeat(300)}}\nstringData: {p: ${M}}\n` },
  { name: 'name with a slash', text: `apiVersion: v1\nkind: Secret\nmetadata: {name: a/b}\nstringData: {p: ${M}}\n` },
  { name: 'namespace is a number', text: `apiVersion: v1\nkind: Secret\nmetadata: {name: a, namespace: 7}\nstringData: {p: ${M}}\n` },
  { name: 'namespace with a dot', text: `apiVersion: v1\nkind: Secret\nmetadata: {name: a, namespace: a.b}\nstringData: {p: ${M}}\n` },
  { name: 'label value is a mapping', text: `apiVersion: v1\nkind: Secret\nmetadata: {name: a, labels: {x: {y: z}}}\nstringData: {p: ${M}}\n` },
  { name: 'annotations is a list', text: `apiVersion: v1\nkind: Secret\nmetadata: {name: a, annotations: [x]}\nstringData: {p: ${M}}\n` },
  { name: 'annotation value is a number', text: `apiVersion: v1\nkind: Secret\nmetadata: {name: a, annotations: {x: 5}}\nstringData: {p: ${M}}\n` },
  // data and stringData
  { name: 'no data', text: secretYaml('') },
  { name: 'data is a list', text: secretYaml(`data: [${B}]\n`) },
  { name: 'data is a string', text: secretYaml(`data: ${B}\n`) },
  { name: 'data value is a number', text: secretYaml(`data: {p: 5, q: ${B}}\n`) },
  { name: 'data value is null', text: secretYaml(`data: {p: null, q: ${B}}\n`) },
  { name: 'data value not base64', text: secretYaml(`data: {p: "${M}!!"}\n`) },
  { name: 'data value unpadded base64', text: secretYaml(`data: {p: ${B.replace(/=+$/, '')}Q}\n`) },
  { name: 'data value URL-safe base64', text: secretYaml(`data: {p: "-_-_${B}"}\n`) },
  { name: 'data value with a space', text: secretYaml(`data: {p: "YW Jj"}\n`) },
  { name: 'data key with a space', text: secretYaml(`data: {"bad key": ${B}}\n`) },
  { name: 'data key empty', text: secretYaml(`data: {"": ${B}}\n`) },
  { name: 'data key ..', text: secretYaml(`data: {"..": ${B}}\n`), codes: [EXIT.input] },
  { name: 'stringData is a list', text: secretYaml(`stringData: [${M}]\n`) },
  { name: 'stringData value is a mapping', text: secretYaml(`stringData: {p: {q: ${M}}}\n`) },
  { name: 'stringData value YAML 1.1 yes', text: secretYaml(`stringData: {p: yes, q: ${M}}\n`) },
  { name: 'stringData value YAML 1.1 octal', text: secretYaml(`stringData: {p: 0777, q: ${M}}\n`) },
  { name: 'stringData value YAML 1.1 sexagesimal', text: secretYaml(`stringData: {p: 12:30:00, q: ${M}}\n`) },
  { name: 'stringData value tilde null', text: secretYaml(`stringData: {p: ~, q: ${M}}\n`) },
  { name: 'stringData value float', text: secretYaml(`stringData: {p: 1e3, q: ${M}}\n`) },
  { name: 'type is a number', text: secretYaml(`type: 5\n${ok}`) },
  { name: 'immutable is a string', text: secretYaml(`immutable: "maybe"\n${ok}`) },
  // bytes
  { name: 'raw NUL in a value', text: secretYaml(`stringData:\n  p: "${M}\u0000x"\n`) },
  { name: 'raw NUL in a key', text: secretYaml(`stringData:\n  "p\u0000q": "${M}"\n`) },
  { name: 'raw escape character in a value', text: secretYaml(`stringData:\n  p: "${M}\u001bx"\n`) },
  { name: 'invalid UTF-8 in a value', text: utf8(secretYaml(`stringData:\n  p: "${M}`), [0xc3, 0x28], '"\n') },
  { name: 'invalid UTF-8 in a key', text: utf8(secretYaml('stringData:\n  "p'), [0xff], `": ${M}\n`) },
  { name: 'invalid UTF-8 in the name', text: utf8('apiVersion: v1\nkind: Secret\nmetadata:\n  name: a', [0xfe], `\nstringData: {p: ${M}}\n`) },
  { name: 'overlong UTF-8 encoding', text: utf8(secretYaml(`stringData:\n  p: "${M}`), [0xc0, 0xaf], '"\n') },
  { name: 'UTF-16 with a BOM', text: Buffer.from(`\ufeff${good('a')}`, 'utf16le') },
  { name: 'BOM and CRLF (accepted)', text: `\ufeff${good('a').replace(/\n/g, '\r\n')}`, codes: [EXIT.ok] },
  { name: 'CRLF only (accepted)', text: good('a').replace(/\n/g, '\r\n'), codes: [EXIT.ok] },
  { name: 'bare CR line ends', text: good('a').replace(/\n/g, '\r') },
  // duplicate keys
  { name: 'duplicate data key', text: secretYaml(`stringData:\n  p: ${M}\n  p: x\n`) },
  { name: 'duplicate kind', text: `apiVersion: v1\nkind: Secret\nkind: ConfigMap\nmetadata: {name: a}\nstringData: {p: ${M}}\n` },
  { name: 'duplicate metadata.name', text: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: a\n  name: b\nstringData: {p: ${M}}\n` },
  { name: 'JSON duplicate key (last wins, as Go)', text: `{"apiVersion":"v1","kind":"Secret","metadata":{"name":"a"},"stringData":{"p":"x","p":"${M}"}}`, codes: [EXIT.ok, EXIT.input] },
  // streams
  { name: 'bad kind in the middle of a stream', text: `${good('a')}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n---\n${good('c')}` },
  { name: 'bad base64 in the last document', text: `${good('a')}---\n${good('b')}---\n${secretYaml(`data: {p: "${M}*"}\n`, 'c')}` },
  { name: 'syntax error in the second document', text: `${good('a')}---\napiVersion: v1\nkind: Secret\nmetadata: {name: b\n---\n${good('c')}` },
  { name: 'List with a bad item', text: `apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Secret, metadata: {name: a}, stringData: {p: ${M}}}\n- {apiVersion: v1, kind: Secret, metadata: {name: b}, data: {p: "%%"}}\n` },
  { name: 'List items not a list', text: `apiVersion: v1\nkind: List\nitems: {a: b}\n` },
  { name: '10000 documents, the last one bad', text: `${Array.from({ length: 9_999 }, (_, i) => good(`s${i}`)).join('---\n')}---\n${secretYaml('data: {p: "!"}\n', 'last')}`, only: 'one' },
  { name: '3000 documents (accepted)', text: Array.from({ length: 3_000 }, (_, i) => good(`s${i}`)).join('---\n'), codes: [EXIT.ok], only: 'one' },
  // big values
  { name: '50 MB value', text: secretYaml(`stringData:\n  p: "${M}${'x'.repeat(50 * 1024 * 1024)}"\n`), only: 'one' },
  { name: '50 MB base64 value', text: secretYaml(`data:\n  p: ${Buffer.alloc(37 * 1024 * 1024, 0x41).toString('base64')}\n`), only: 'one' },
  { name: '10 MB key name', text: secretYaml(`stringData:\n  ${'k'.repeat(10 * 1024 * 1024)}: ${M}\n`), only: 'one' },
  { name: '100000 keys', text: secretYaml(`stringData:\n${Array.from({ length: 100_000 }, (_, i) => `  k${i}: ${M}`).join('\n')}\n`), only: 'one', codes: [EXIT.ok, EXIT.input] },
];

export type SecretContext = 'seal' | 'kubeseal' | 'big';

export function secretCases(ctx: SecretContext): BadCase[] {
  return variants.filter((v) => (ctx === 'big') === (v.only !== undefined)).flatMap((v) => casesFor(v, ctx));
}

function casesFor(v: Variant, ctx: SecretContext): BadCase[] {
  const codes = v.codes ?? [EXIT.input];
  const accepting = codes.includes(EXIT.ok);
  if (ctx === 'big') return [{ name: `seal stdin: ${v.name}`, args: ['seal', '--cert', CERT], stdin: v.text, codes, subject: 'stdin', timeoutMs: 60_000 }];
  if (ctx === 'seal') {
    return [
      { name: `seal stdin: ${v.name}`, args: ['seal', '--cert', CERT], stdin: v.text, codes, subject: 'stdin' },
      {
        name: `seal -f -w (existing output): ${v.name}`,
        args: ['seal', '--cert', CERT, '-f', '@in.yaml', '-w', '@out.yaml'],
        files: { 'in.yaml': v.text, 'out.yaml': 'ORIGINAL CONTENT\n' },
        codes, subject: '@in.yaml', guard: accepting ? [] : ['out.yaml'],
      },
    ];
  }
  return [
    {
      name: `kubeseal -f -w: ${v.name}`,
      args: ['kubeseal', '--cert', CERT, '-f', '@in.json', '-w', '@out.json'],
      files: { 'in.json': v.text },
      codes, subject: '@in.json', guard: accepting ? [] : ['out.json'],
    },
    { name: `kubeseal stdin: ${v.name}`, args: ['kubeseal', '--cert', CERT, '--scope', 'namespace-wide'], stdin: v.text, codes, subject: 'stdin' },
  ];
}
