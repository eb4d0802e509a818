// ESO's ApplyTemplate for Secret targets: template.type, mergePolicy, templateFrom (configMap,
// secret, literal; Values / KeysAndValues; target Data/Annotations/Labels), template.data, and
// templated metadata. The data model is the fetched keys as strings (Go map[string]string).
import { parse as parseYaml } from 'yaml';
import { inputError, templateError } from '../errors.js';
import type { ExternalSecretTemplate, KeyValueObject, TemplateFrom } from '../manifests/external-types.js';
import type { SecretMap } from '../providers/types.js';
import { renderText, type Render } from './render.js';
import { keyValueBytes, type ObjectReader } from './sources.js';

export interface TemplateOutput {
  type?: string;
  data: SecretMap;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

const utf8 = new TextEncoder();
const text = (v: Uint8Array) => Buffer.from(v).toString('utf8');

export async function applyTemplate(
  tpl: ExternalSecretTemplate, fetched: SecretMap, o: { render: Render; reader?: ObjectReader; namespace: string; subject: string },
): Promise<TemplateOutput> {
  const values: Record<string, string> = Object.create(null);
  for (const [k, v] of Object.entries(fetched)) values[k] = text(v);
  const out: TemplateOutput = { type: tpl.type || undefined, data: Object.create(null), labels: {}, annotations: {} };
  const hasTemplates = (tpl.data && Object.keys(tpl.data).length > 0) || (tpl.templateFrom && tpl.templateFrom.length > 0);
  if (tpl.mergePolicy === 'Merge' || !hasTemplates) Object.assign(out.data, fetched);

  const apply = (target: string | undefined, key: string, value: string | Uint8Array) => {
    const str = () => (typeof value === 'string' ? value : text(value));
    switch ((target ?? 'Data').toLowerCase()) {
      case 'data': out.data[key] = typeof value === 'string' ? utf8.encode(value) : value; break;
      case 'annotations': out.annotations[key] = str(); break;
      case 'labels': out.labels[key] = str(); break;
      default:
        throw inputError('InvalidTemplateTarget', `templateFrom target ${JSON.stringify(target)} is not supported`, {
          subject: o.subject, hint: 'use Data, Annotations or Labels',
        });
    }
  };

  for (const [i, tf] of (tpl.templateFrom ?? []).entries()) {
    const where = `${o.subject} spec.target.template.templateFrom[${i}]`;
    if (tf.literal !== undefined) {
      const rendered = await renderText(o.render, tf.literal, values, `${where}.literal`);
      for (const [k, v] of Object.entries(yamlStringMap(rendered, where))) apply(tf.target, k, v);
    }
    for (const src of [tf.configMap && { kind: 'ConfigMap' as const, ...tf.configMap }, tf.secret && { kind: 'Secret' as const, ...tf.secret }]) {
      if (!src) continue;
      await applySource(src, tf, values, o, where, apply);
    }
  }

  for (const [k, source] of Object.entries(tpl.data ?? {})) {
    out.data[k] = await o.render(source, values, `${o.subject} spec.target.template.data.${k}`);
  }
  for (const [k, source] of Object.entries(tpl.metadata?.labels ?? {})) {
    out.labels[k] = await renderText(o.render, source, values, `${o.subject} spec.target.template.metadata.labels.${k}`);
  }
  for (const [k, source] of Object.entries(tpl.metadata?.annotations ?? {})) {
    out.annotations[k] = await renderText(o.render, source, values, `${o.subject} spec.target.template.metadata.annotations.${k}`);
  }
  return out;
}

async function applySource(
  src: { kind: 'ConfigMap' | 'Secret'; name: string; items: Array<{ key: string; templateAs?: string }> },
  tf: TemplateFrom, values: Record<string, string>,
  o: { render: Render; reader?: ObjectReader; namespace: string }, where: string,
  apply: (target: string | undefined, key: string, value: string | Uint8Array) => void,
): Promise<void> {
  const obj: KeyValueObject | undefined = src.kind === 'ConfigMap'
    ? await o.reader?.getConfigMap(o.namespace, src.name)
    : await o.reader?.getSecret(o.namespace, src.name);
  if (!obj) {
    throw inputError('TemplateSourceNotFound', `${src.kind} ${o.namespace}/${src.name} not found`, {
      subject: where, hint: 'create it, or pass it with --secret',
    });
  }
  for (const item of src.items ?? []) {
    const bytes = keyValueBytes(obj, item.key);
    if (bytes === undefined) {
      throw templateError('TemplateKeyMissing', `error in ${src.kind.toLowerCase()} ${src.name}: missing key ${item.key}`, {
        subject: where, hint: 'fix items[].key',
      });
    }
    const rendered = await o.render(text(bytes), values, `${where} ${src.kind} ${src.name} key ${item.key}`);
    if ((item.templateAs ?? 'Values') === 'KeysAndValues') {
      for (const [k, v] of Object.entries(yamlStringMap(text(rendered), where))) apply(tf.target, k, v);
    } else {
      apply(tf.target, item.key, rendered);
    }
  }
}

/** The rendered output of a KeysAndValues template, as YAML `map[string]string`. */
function yamlStringMap(rendered: string, where: string): Record<string, string> {
  let v: unknown;
  try {
    v = parseYaml(rendered);
  } catch {
    throw templateError('TemplateOutputNotYaml', 'rendered KeysAndValues template is not valid YAML', { subject: where, hint: 'render `key: value` lines' });
  }
  if (v === null || v === undefined) return {};
  if (typeof v !== 'object' || Array.isArray(v)) {
    throw templateError('TemplateOutputNotYaml', 'rendered KeysAndValues template is not a YAML map', { subject: where, hint: 'render `key: value` lines' });
  }
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = typeof x === 'string' ? x : String(x);
  return out;
}
