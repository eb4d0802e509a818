// The openAPIV3Schema of each kind Cloak serves, read from the package's crds/ directory (the same
// files `kubectl apply -f crds/` installs), so lint rejects exactly what the API server would.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

type Schema = Record<string, unknown>;

export interface CrdSchemas {
  /** undefined: not one of our kinds; 'unknown-version': our kind, but that version is not served. */
  schemaFor(apiVersion: string, kind: string): Schema | undefined | 'unknown-version';
}

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
  const byKind = new Map<string, { group: string; versions: Map<string, Schema> }>();
  for (const f of readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort()) {
    for (const d of parseAllDocuments(readFileSync(join(dir, f), 'utf8'), { version: '1.1' }) as Array<{ toJS(): unknown }>) {
      const crd = d.toJS() as { kind?: string; spec?: { group?: string; names?: { kind?: string }; versions?: Array<{ name?: string; served?: boolean; schema?: { openAPIV3Schema?: Schema } }> } } | null;
      if (crd?.kind !== 'CustomResourceDefinition' || !crd.spec?.names?.kind || !crd.spec.group) continue;
      const versions = new Map<string, Schema>();
      for (const v of crd.spec.versions ?? []) if (v.name && v.served !== false && v.schema?.openAPIV3Schema) versions.set(v.name, v.schema.openAPIV3Schema);
      byKind.set(crd.spec.names.kind, { group: crd.spec.group, versions });
    }
  }
  return {
    schemaFor(apiVersion, kind) {
      const entry = byKind.get(kind);
      if (!entry) return undefined;
      const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
      if (group !== entry.group) return undefined;
      return entry.versions.get(version ?? '') ?? 'unknown-version';
    },
  };
}
