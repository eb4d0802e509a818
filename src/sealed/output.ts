// Output in kubeseal's layouts: YAML with every mapping sorted and `---` before each document;
// JSON with Go's struct order (kind, apiVersion, metadata, spec{template, encryptedData}).
import { toYaml } from '../manifests/documents.js';
import type { SealedSecretObject, SecretObject } from './types.js';

export type OutputFormat = 'yaml' | 'json';

export function formatObjects(objects: Array<SealedSecretObject | SecretObject>, format: OutputFormat): string {
  if (format === 'yaml') return objects.map((o) => `---\n${toYaml(o, { sortKeys: true })}`).join('');
  return objects.map((o) => `${JSON.stringify(goOrder(o), null, 2)}\n`).join('');
}

function goOrder(o: SealedSecretObject | SecretObject): unknown {
  if (o.kind === 'SealedSecret') {
    const spec = o.spec;
    const template = spec.template
      ? pick(spec.template, ['metadata', 'type', 'immutable', 'data'])
      : undefined;
    return {
      kind: o.kind,
      apiVersion: o.apiVersion,
      metadata: metaOrder(o.metadata),
      spec: { ...(template ? { template: { ...template, ...(template['metadata'] ? { metadata: metaOrder(template['metadata'] as Record<string, unknown>) } : {}) } } : {}), encryptedData: sorted(spec.encryptedData), ...(spec.data ? { data: spec.data } : {}) },
      ...(o.status ? { status: o.status } : {}),
    };
  }
  return { kind: o.kind, apiVersion: o.apiVersion, metadata: metaOrder(o.metadata), ...(o.immutable !== undefined ? { immutable: o.immutable } : {}), ...(o.data ? { data: sorted(o.data) } : {}), ...(o.type ? { type: o.type } : {}) };
}

const META_ORDER = ['name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'labels', 'annotations', 'ownerReferences', 'finalizers'];

function metaOrder(m: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of META_ORDER) if (m[k] !== undefined) out[k] = k === 'labels' || k === 'annotations' ? sorted(m[k] as Record<string, unknown>) : m[k];
  for (const k of Object.keys(m).sort()) if (!(k in out) && m[k] !== undefined) out[k] = m[k];
  return out;
}

function pick(o: object, keys: string[]): Record<string, unknown> {
  const src = o as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of keys) if (src[k] !== undefined && src[k] !== null) out[k] = src[k];
  return out;
}

function sorted<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
