// The Secret an ExternalSecret produces from its fetched data: name, namespace, type, immutable,
// metadata (copied from the ExternalSecret without a template, from template.metadata with one),
// data, and ESO's bookkeeping (managed label, data-hash annotation).
import { createHash } from 'node:crypto';
import { inputError } from '../errors.js';
import type { ExternalSecretObject } from '../manifests/external-types.js';
import type { SecretMap } from '../providers/types.js';
import type { SecretObject } from '../sealed/types.js';
import { goRender, type Render } from './render.js';
import { esLabel } from './resolve.js';
import type { ObjectReader } from './sources.js';
import { applyTemplate } from './template.js';

export const LABEL_MANAGED = 'reconcile.external-secrets.io/managed';
export const ANNOTATION_DATA_HASH = 'reconcile.external-secrets.io/data-hash';

const skipAnnotations = new Set(['kubectl.kubernetes.io/last-applied-configuration']);

/** ESO's data hash: hex SHA3-224 of Go's `fmt.Sprintf("%+v", secret.Data)` (sorted `map[k:[b b]]`). */
export function dataHash(data: Record<string, Uint8Array>): string {
  const keys = Object.keys(data).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const body = keys.map((k) => `${k}:[${Array.from(data[k]!).join(' ')}]`).join(' ');
  return createHash('sha3-224').update(`map[${body}]`).digest('hex');
}

export interface DesiredSecretOptions {
  render?: Render;
  /** Reads templateFrom ConfigMaps/Secrets (in the ExternalSecret's namespace). */
  reader?: ObjectReader;
}

export async function desiredSecret(es: ExternalSecretObject, fetched: SecretMap, o: DesiredSecretOptions = {}): Promise<SecretObject> {
  const target = es.spec.target ?? {};
  const namespace = es.metadata.namespace ?? 'default';
  let labels: Record<string, string> = {};
  let annotations: Record<string, string> = {};
  let data: SecretMap = fetched;
  let type = 'Opaque';
  if (target.template) {
    const ev = target.template.engineVersion;
    if (ev !== undefined && ev !== 'v2') {
      throw inputError('UnsupportedTemplateEngine', `template engineVersion ${JSON.stringify(ev)} is not supported`, {
        subject: esLabel(es), hint: 'use engineVersion v2 (ESO removed v1)',
      });
    }
    const t = await applyTemplate(target.template, fetched, {
      render: o.render ?? goRender, reader: o.reader, namespace, subject: esLabel(es),
    });
    labels = t.labels;
    annotations = t.annotations;
    data = t.data;
    if (t.type) type = t.type;
  } else {
    labels = { ...(es.metadata.labels ?? {}) };
    for (const [k, v] of Object.entries(es.metadata.annotations ?? {})) if (!skipAnnotations.has(k)) annotations[k] = v;
  }
  labels[LABEL_MANAGED] = 'true';
  annotations[ANNOTATION_DATA_HASH] = dataHash(data);
  const encoded: Record<string, string> = {};
  for (const k of Object.keys(data).sort()) encoded[k] = Buffer.from(data[k]!).toString('base64');
  const secret: SecretObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: target.name || es.metadata.name, namespace, labels, annotations },
    type,
    data: encoded,
  };
  if (target.immutable) secret.immutable = true;
  return secret;
}
