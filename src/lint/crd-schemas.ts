// The openAPIV3Schema of each kind Cloak serves, read from the package's crds/ directory (the same
// files `kubectl apply -f crds/` installs), so lint rejects exactly what the API server would.
// A CRD file is parsed only when a document of its kind is linted (they are large).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

type Schema = Record<string, unknown>;

export interface CrdSchemas {
  /** undefined: not one of our kinds; 'unknown-version': our kind, but that version is not served. */
  schemaFor(apiVersion: string, kind: string): Schema | undefined | 'unknown-version';
}

interface KindEntry { versions: Map<string, Schema> }

const MARKER = 'bitnami.com_sealedsecrets.yaml';

/** Walks up from this module (dist/src/lint or dist/cli-bundle) to the directory holding crds/. */
export function findCrdDir(from: string = fileURLToPath(import.meta.url)): string | undefined {
  let dir = dirname(from);
  for (;;) {
    if (existsSync(join(dir, 'crds', MARKER))) return join(dir, 'crds');
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

export function loadCrdSchemas(dir: string): CrdSchemas {
  const files = readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort();
  const loaded = new Map<string, KindEntry>();
  const parsedFiles = new Set<string>();
  const parse = (f: string): void => {
    if (parsedFiles.has(f)) return;
    parsedFiles.add(f);
    for (const d of parseAllDocuments(readFileSync(join(dir, f), 'utf8'), { version: '1.1' }) as Array<{ toJS(): unknown }>) {
      const crd = d.toJS() as { kind?: string; spec?: { group?: string; names?: { kind?: string }; versions?: Array<{ name?: string; served?: boolean; schema?: { openAPIV3Schema?: Schema } }> } } | null;
      if (crd?.kind !== 'CustomResourceDefinition' || !crd.spec?.names?.kind || !crd.spec.group) continue;
      const versions = new Map<string, Schema>();
      for (const v of crd.spec.versions ?? []) if (v.name && v.served !== false && v.schema?.openAPIV3Schema) versions.set(v.name, v.schema.openAPIV3Schema);
      loaded.set(`${crd.spec.group}/${crd.spec.names.kind}`, { versions });
    }
  };
  const entry = (group: string, kind: string): KindEntry | undefined => {
    const key = `${group}/${kind}`;
    if (!loaded.has(key)) {
      // controller-gen's file name: GROUP_PLURAL.yaml; otherwise read them all once.
      const guess = `${group}_${kind.toLowerCase()}s.yaml`;
      if (files.includes(guess)) parse(guess);
      if (!loaded.has(key)) files.forEach(parse);
    }
    return loaded.get(key);
  };
  const groups = new Set(files.map((f) => f.split('_')[0]));
  return {
    schemaFor(apiVersion, kind) {
      const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
      if (!group || !groups.has(group)) return undefined;
      const e = entry(group, kind);
      if (!e) return undefined;
      return e.versions.get(version ?? '') ?? 'unknown-version';
    },
  };
}
