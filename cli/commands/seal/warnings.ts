// Seal's warnings on stderr (one line each): a namespace the input did not give, and a
// --merge-into whose input names another object than the file.
import { readDocuments } from '../../../src/manifests/documents.js';
import type { SealedSecretObject, ValidSecret } from '../../../src/sealed/index.js';
import { scopeFromAnnotations } from '../../../src/sealed/scope.js';

export function namespaceWarning(what: string, scope: string, namespace: string): string {
  const from = namespace === 'default' ? '' : ' (the kubeconfig context\'s)';
  return `warning: ${what}: no namespace given, sealed for namespace "${namespace}"${from}, which ${scope} scope binds: set metadata.namespace or pass -n\n`;
}

/** namespaceWarning for each input Secret without a namespace that `sealed[i]` binds to one. */
export function missingNamespaceWarnings(secrets: readonly ValidSecret[], sealed: readonly SealedSecretObject[]): string[] {
  const out: string[] = [];
  for (const [i, s] of secrets.entries()) {
    const used = sealed[i]?.metadata.namespace;
    const effective = scopeFromAnnotations(sealed[i]?.metadata.annotations);
    if (!s.metadata.namespace && used && effective !== 'cluster-wide') out.push(namespaceWarning(`${s.where} Secret ${s.metadata.name}`, effective, used));
  }
  return out;
}

export function mergeNameWarnings(fileText: string, file: string, secrets: ValidSecret[]): string[] {
  let meta: Record<string, unknown> = {};
  try {
    meta = (readDocuments(fileText, file)[0]?.object.metadata ?? {}) as Record<string, unknown>;
  } catch {
    return [];
  }
  const name = typeof meta.name === 'string' ? meta.name : '';
  const namespace = typeof meta.namespace === 'string' ? meta.namespace : '';
  const out: string[] = [];
  for (const s of secrets) {
    const ns = typeof s.metadata.namespace === 'string' ? s.metadata.namespace : '';
    const nameDiffers = s.metadata.name !== name;
    const nsDiffers = ns !== '' && namespace !== '' && ns !== namespace;
    if (!nameDiffers && !nsDiffers) continue;
    const input = `${ns ? `${ns}/` : ''}${s.metadata.name}`;
    const target = `${namespace ? `${namespace}/` : ''}${name}`;
    out.push(`warning: ${s.where} Secret ${input} merged into SealedSecret ${target} (${file}): the items are sealed for ${target}, the file's ${nameDiffers ? 'name' : 'namespace'}, not ${input}: check this is the right file\n`);
  }
  return out;
}
