// `cloak seal` for the common case without commander or the yaml library (bundled on its own as
// dist/cli-bundle/fast-seal.js, so a cold start loads one small file): one --cert file, a Secret as
// block YAML (yaml-read.ts) or JSON. It does what cli/commands/seal/run.ts does for such a run, with
// the same shared functions, and byte-identical output; for anything else it writes nothing and
// returns { handled: false } (with stdin if it read it), and bin.ts runs the normal path.
import { isUtf8 } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { MAX_INPUT_CHARS, readDocuments, type KubeObject, type SourceDocument } from '../../src/manifests/documents.js';
import { assertNotExpired, readCertificate } from '../../src/crypto/certificate.js';
import { formatObjects } from '../../src/sealed/output.js';
import { parseScope, type Scope } from '../../src/sealed/scope.js';
import { sealSecret } from '../../src/sealed/seal.js';
import { validateSecret } from '../../src/sealed/secret-input.js';
import { clusterTargets, parseCertSpecs } from '../commands/seal/cert-specs.js';
import { missingNamespaceWarnings } from '../commands/seal/warnings.js';
import { assertStrongKey } from '../shared/cert-source.js';
import { outputFormat, writeOutput } from '../shared/write-output.js';
import type { CliIo } from '../io.js';
import { readSealArgs } from './argv.js';
import { defaultNamespaceWithoutKubeconfig } from './namespace.js';
import type { StdinBytes } from './stdin.js';
import { readYamlMapping } from './yaml-read.js';

export { readStdinSync, replayStdin, type StdinBytes } from './stdin.js';
export { writeStdoutSync } from './stdout.js';

export interface FastIo {
  env: Record<string, string | undefined>;
  cwd: string;
  stdout: (chunk: string) => void;
  stderr: (chunk: string) => void;
  /** All of stdin, or undefined when stdin is a terminal. */
  readStdin: () => StdinBytes | undefined;
}

export type FastResult = { handled: true } | { handled: false; stdin?: StdinBytes };

/** Seals as `cloak seal ARGS` would, or returns { handled: false } having written nothing. */
export async function fastSeal(args: string[], io: FastIo): Promise<FastResult> {
  const f = readSealArgs(args);
  if (!f) return { handled: false };
  // writeOutput reads cwd and writes stdout; it never touches stdin.
  const cliIo = io as Omit<CliIo, 'stdin'> as CliIo;
  let stdin: StdinBytes | undefined;
  try {
    const scope: Scope | undefined = f.scope ? parseScope(f.scope) : undefined;
    const format = outputFormat(f.output, f.write?.replaceAll('{cluster}', ''), 'yaml');
    const specs = parseCertSpecs(f.cert);
    if (clusterTargets(specs, f.write, {})) return { handled: false };
    // loadCertificate's steps for a certificate file, read synchronously (fs/promises costs ~4 ms to
    // load). No certificate means fetching it from the cluster, a URL a fetch that must not run twice.
    const ref = specs[0]?.ref || io.env['CLOAK_CERT'] || io.env['SEALED_SECRETS_CERT'];
    if (!ref || /^(?:https?|file):\/\//i.test(ref)) return { handled: false };
    const cert = readCertificate(readFileSync(resolve(io.cwd, ref), 'utf8'), ref);
    assertStrongKey(cert, ref);
    assertNotExpired(cert, ref);

    let bytes: Buffer;
    let source: string;
    if (f.file && f.file !== '-') {
      bytes = readFileSync(resolve(io.cwd, f.file));
      source = f.file;
    } else {
      stdin = io.readStdin();
      if (!stdin?.complete) return { handled: false, ...(stdin ? { stdin } : {}) };
      bytes = stdin.bytes;
      source = 'stdin';
    }
    if (!isUtf8(bytes)) return { handled: false, ...(stdin ? { stdin } : {}) };
    const text = bytes.toString('utf8');
    if (text.length > MAX_INPUT_CHARS) return { handled: false, ...(stdin ? { stdin } : {}) };
    const trimmed = text.trimStart();
    const docs: SourceDocument[] = trimmed.startsWith('{') || trimmed.startsWith('[')
      ? readDocuments(text, source)
      : [{ object: readYamlMapping(text) as KubeObject, where: source }];
    if (docs.length === 0) return { handled: false, ...(stdin ? { stdin } : {}) };
    const secrets = docs.map((d) => validateSecret(d, { ...(f.name ? { name: f.name } : {}), allowEmptyData: f.allowEmptyData ?? false }));

    // From here on as in runSeal (one certificate, no --raw, no --merge-into).
    let ns: string | undefined;
    const defaultNamespace = f.namespace ? undefined : () => (ns ??= defaultNamespaceWithoutKubeconfig(io.env));
    const sealed = secrets.map((s) => sealSecret(s, cert, {
      ...(scope ? { scope } : {}),
      ...(f.namespace ? { namespace: f.namespace } : {}),
      ...(defaultNamespace && !s.metadata.namespace ? { defaultNamespace: defaultNamespace() } : {}),
    }));
    const warnings = defaultNamespace ? missingNamespaceWarnings(secrets, sealed) : [];
    await writeOutput(cliIo, formatObjects(sealed, format), f.write);
    for (const w of warnings) io.stderr(w);
    return { handled: true };
  } catch {
    // Errors, like everything else outside the subset, are the normal path's to report.
    return { handled: false, ...(stdin ? { stdin } : {}) };
  }
}
