// Reading one secret the way ESO's Vault provider does (client_get.go): KV v1/v2 unwrapping,
// `version`, `metadataPolicy: Fetch`, and `property` (literal top-level key first, then a gjson
// path over the JSON of the whole secret).
import { providerError, inputError } from '../../errors.js';
import type { RemoteRef, SecretMap } from '../types.js';
import { secretNotFound } from '../shared/errors.js';
import { byteValue, getJsonPath, marshalGo } from '../shared/property.js';
import { explodeDecodedJson } from '../shared/json-map.js';
import type { VaultApi } from './client.js';
import type { TokenSession } from './token-lifecycle.js';
import { buildMetadataPath, buildPath, type KvStoreRef } from './paths.js';
import { vaultError, type ErrorScope } from './errors.js';

export interface Reader {
  api: VaultApi;
  session: TokenSession;
  store: KvStoreRef;
  scope: ErrorScope;
  /** Counts data-plane calls (reads and lists) for metrics and tests. */
  calls: { reads: number; lists: number };
}

const utf8 = new TextEncoder();
const SYSTEM_METADATA_KEYS = ['created_time', 'current_version', 'delete_version_after'];

/** The secret's key/value map, or SecretNotFound (404, or a deleted/destroyed KV v2 version). */
export async function readSecret(r: Reader, key: string, version?: string): Promise<Record<string, unknown>> {
  const path = buildPath(r.store, key);
  const query = version ? { version } : undefined;
  let res;
  try {
    r.calls.reads++;
    res = await r.session.run(() => r.api.read(path, query, true));
  } catch (e) {
    throw vaultError(e, r.scope, 'read', path + (version ? `?version=${version}` : ''));
  }
  const data = res?.data;
  if (data === undefined || data === null) throw secretNotFound(`${r.scope.store}: Vault read "${path}"`);
  if (r.store.version === 'v1') return data;
  if (!('data' in data)) throw providerError('VaultUnexpectedResponse', 'failed to find data field', { subject: `${r.scope.store}: Vault read "${path}"`, hint: 'is this a KV v2 mount? set spec.provider.vault.version: v1 for KV v1' });
  const inner = data.data;
  if (inner === null || inner === undefined) throw secretNotFound(`${r.scope.store}: Vault read "${path}"`);
  if (typeof inner !== 'object' || Array.isArray(inner)) throw providerError('VaultUnexpectedResponse', 'failed to unmarshall JSON', { subject: `${r.scope.store}: Vault read "${path}"` });
  return inner as Record<string, unknown>;
}

/** ESO's readSecretMetadata: custom_metadata plus created_time, current_version, delete_version_after (as strings). */
export async function readSecretMetadata(r: Reader, key: string): Promise<Record<string, string>> {
  let path: string;
  try {
    path = buildMetadataPath(r.store, key);
  } catch (e) {
    throw inputError('VaultPathInvalid', (e as Error).message, { subject: `${r.scope.store}: key "${key}"`, hint: 'set spec.provider.vault.path to the KV v2 mount, or use a key containing /data/' });
  }
  let res;
  try {
    r.calls.reads++;
    res = await r.session.run(() => r.api.read(path));
  } catch (e) {
    const err = vaultError(e, r.scope, 'metadata read', path);
    if (err.code === 'SecretNotFound') throw providerError('VaultMetadataNotFound', 'secret not found', { subject: `${r.scope.store}: Vault metadata "${path}"` });
    throw err;
  }
  const data = res?.data ?? {};
  const out: Record<string, string> = {};
  if (r.store.version === 'v2') {
    for (const k of SYSTEM_METADATA_KEYS) if (data[k] !== undefined && data[k] !== null) out[k] = goSprintV(data[k]);
  }
  const cm = data.custom_metadata;
  if (cm && typeof cm === 'object' && !Array.isArray(cm)) for (const [k, v] of Object.entries(cm)) out[k] = typeof v === 'string' ? v : goSprintV(v);
  return out;
}

/** fmt.Sprintf("%v") for the JSON scalars Vault returns. */
function goSprintV(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** ESO's getSecretValue. */
export function secretValue(data: Record<string, unknown>, property: string | undefined, subject: string): Uint8Array {
  const json = marshalGo(data);
  if (!property) return utf8.encode(json);
  if (Object.prototype.hasOwnProperty.call(data, property)) return byteValue(data[property]);
  const v = getJsonPath(json, property);
  if (v === undefined) throw providerError('PropertyNotFound', `cannot find secret data for key: ${JSON.stringify(property)}`, { subject, hint: 'check remoteRef.property (gjson path syntax; escape literal dots as \\.)' });
  return utf8.encode(v);
}

export async function getSecret(r: Reader, ref: RemoteRef): Promise<Uint8Array> {
  const subject = `${r.scope.store}: key "${ref.key}"`;
  if (ref.metadataPolicy === 'Fetch') {
    if (r.store.version === 'v1') throw inputError('VaultMetadataUnsupported', 'cannot perform metadata fetch operations with kv version v1', { subject, hint: 'metadataPolicy: Fetch needs a KV v2 store' });
    const md = await readSecretMetadata(r, ref.key);
    if (Object.keys(md).length === 0) return new Uint8Array();
    return secretValue(md, ref.property, subject);
  }
  const data = await readSecret(r, ref.key, ref.version);
  return secretValue(data, ref.property, subject);
}

export async function getSecretMap(r: Reader, ref: RemoteRef): Promise<SecretMap> {
  const bytes = await getSecret(r, ref);
  return explodeDecodedJson(Buffer.from(bytes).toString('utf8'), `${r.scope.store}: key "${ref.key}"`);
}
