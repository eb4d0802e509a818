// ESO's kubernetes provider reads over a fetched Secret object (providers/v1/kubernetes/client.go):
// whole-secret JSON, `property` (exact data key first, then `key.rest` through gjson), metadata
// (`labels`/`annotations`), and the map/property forms of dataFrom.extract.
import { providerError } from '../../errors.js';
import { goBase64Decode } from '../shared/decoding.js';
import { getJsonPath } from '../shared/property.js';
import { marshalNoEscape } from '../shared/property.js';
import type { RemoteRef, SecretMap } from '../types.js';

export interface SecretJson {
  metadata?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  data?: Record<string, string>;
}

const utf8 = new TextEncoder();

export function secretData(s: SecretJson): SecretMap {
  const out: SecretMap = Object.create(null);
  for (const [k, v] of Object.entries(s.data ?? {})) out[k] = new Uint8Array(Buffer.from(v, 'base64'));
  return out;
}

/** Go `string(bytes)` then JSON: invalid UTF-8 becomes U+FFFD, as Buffer#toString does. */
export function stringMap(m: SecretMap): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [k, v] of Object.entries(m)) out[k] = Buffer.from(v).toString('utf8');
  return out;
}

/** JSON of Go `map[string][]byte`: values base64. */
function bytesMapJson(m: SecretMap): string {
  const o: Record<string, string> = Object.create(null);
  for (const [k, v] of Object.entries(m)) o[k] = Buffer.from(v).toString('base64');
  return marshalNoEscape(o);
}

function notInSecret(ref: RemoteRef, where: 'data' | 'metadata') {
  return providerError('PropertyNotFound', `property ${ref.property} does not exist in ${where} of secret ${JSON.stringify(ref.key)}`, {
    hint: 'fix remoteRef.property',
  });
}

/** ESO `GetSecret` after the API read. */
export function getFromSecret(s: SecretJson, ref: RemoteRef): Uint8Array {
  const fetchMeta = ref.metadataPolicy === 'Fetch';
  if (!ref.property) {
    if (fetchMeta) {
      return utf8.encode(marshalNoEscape({ annotations: s.metadata?.annotations ?? null, labels: s.metadata?.labels ?? null }));
    }
    return utf8.encode(marshalNoEscape(stringMap(secretData(s))));
  }
  if (fetchMeta) {
    const v = fromMetadata(s, ref.property);
    if (v === undefined) throw notInSecret(ref, 'metadata');
    return v;
  }
  const data = secretData(s);
  if (Object.hasOwn(data, ref.property)) return data[ref.property]!;
  const idx = ref.property.indexOf('.');
  if (idx <= 0 || idx === ref.property.length - 1) throw notInSecret(ref, 'data');
  const head = data[ref.property.slice(0, idx)];
  if (head === undefined || !Object.hasOwn(data, ref.property.slice(0, idx))) throw notInSecret(ref, 'data');
  const v = getJsonPath(Buffer.from(head).toString('utf8'), ref.property.slice(idx + 1));
  if (v === undefined) throw notInSecret(ref, 'data');
  return utf8.encode(v);
}

function fromMetadata(s: SecretJson, property: string): Uint8Array | undefined {
  const path = property.split('.');
  const meta = path[0] === 'labels' ? s.metadata?.labels : path[0] === 'annotations' ? s.metadata?.annotations : undefined;
  if (path[0] !== 'labels' && path[0] !== 'annotations') return undefined;
  if (path.length === 1) return utf8.encode(marshalNoEscape(meta ?? null));
  if (!meta || !Object.hasOwn(meta, path[1]!)) return undefined;
  const v = meta[path[1]!]!;
  if (path.length === 2) return utf8.encode(v);
  // ESO joins the remaining parts without separators
  const found = getJsonPath(v, path.slice(2).join(''));
  return found === undefined ? undefined : utf8.encode(found);
}

/** ESO `GetSecretMap` after the API read. */
export function mapFromSecret(s: SecretJson, ref: RemoteRef): SecretMap {
  let m: SecretMap;
  if (ref.metadataPolicy === 'Fetch') {
    m = Object.create(null);
    m.labels = utf8.encode(marshalNoEscape(s.metadata?.labels ?? null));
    m.annotations = utf8.encode(marshalNoEscape(s.metadata?.annotations ?? null));
  } else {
    m = secretData(s);
  }
  if (!ref.property) return m;
  const json = bytesMapJson(m);
  if (ref.property.includes('.')) {
    const r = mapFromValue(json, ref.property.replaceAll('.', '\\.'));
    if (r) return r;
  }
  const r = mapFromValue(json, ref.property);
  if (!r) {
    throw providerError('PropertyNotFound', `property ${ref.property} does not exist in key ${ref.key}`, { hint: 'fix extract.property' });
  }
  return r;
}

function mapFromValue(json: string, path: string): SecretMap | undefined {
  const v = getJsonPath(json, path);
  if (v === undefined) return undefined;
  const decoded = goBase64Decode(utf8.encode(v), false);
  if (!decoded) throw providerError('InvalidValue', 'property value is not base64', { hint: 'extract.property must name a data key' });
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(decoded).toString('utf8'));
  } catch {
    throw providerError('InvalidJSON', 'failed to unmarshal secret: invalid JSON format', { hint: 'the property must hold a JSON object' });
  }
  const out: SecretMap = Object.create(null);
  if (parsed === null) return out;
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw providerError('InvalidJSON', 'failed to unmarshal secret: invalid JSON format', { hint: 'the property must hold a JSON object' });
  }
  for (const [k, x] of Object.entries(parsed as Record<string, unknown>)) out[k] = utf8.encode(marshalNoEscape(x));
  return out;
}

/** A found Secret's value in `find` results: JSON of its data as strings. */
export function findValue(s: SecretJson): Uint8Array {
  return utf8.encode(marshalNoEscape(stringMap(secretData(s))));
}
