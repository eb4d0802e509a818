// Reading one secret (ESO's GetSecret / GetSecretMap for Secrets Manager): `prefix` + key,
// version stage or `uuid/` id, SecretBinary over SecretString, gjson properties with dotted keys
// tried escaped first, metadataPolicy Fetch returning the tags, and extract into a key map.
import { providerError } from '../../errors.js';
import { getJsonPath, marshalGo } from '../shared/index.js';
import type { RemoteRef, SecretMap } from '../types.js';
import type { SecretsApi } from './client.js';
import { mapAwsError } from './errors.js';
import { rawMembers } from './json.js';
import { versionSelector } from './versions.js';

export interface ReadContext {
  api: SecretsApi;
  prefix: string;
  /** Names the store and key in errors, e.g. `SecretStore ns/name: aws key "app/db"`. */
  subject: (key: string) => string;
}

const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

/** ESO: a property with a dot (not leading) is first tried as one literal key (`a\.b`), then as a path. */
export function lookupProperty(json: string, property: string): string | undefined {
  if (property.indexOf('.') > 0) {
    const literal = getJsonPath(json, property.replaceAll('.', '\\.'));
    if (literal !== undefined) return literal;
  }
  return getJsonPath(json, property);
}

function propertyMissing(ctx: ReadContext, key: string, property: string): Error {
  return providerError('PropertyNotFound', `key ${property} does not exist in secret ${key}`, {
    subject: ctx.subject(key), hint: 'check remoteRef.property against the secret\'s JSON keys',
  });
}

async function fetchTags(ctx: ReadContext, key: string, property: string | undefined): Promise<Uint8Array> {
  let out;
  try {
    out = await ctx.api.describeSecret({ SecretId: key });
  } catch (e) {
    throw mapAwsError(e, ctx.subject(key), 'DescribeSecret');
  }
  const tags: Record<string, string> = {};
  for (const t of out.Tags ?? []) if (t.Key !== undefined) tags[t.Key] = t.Value ?? '';
  const json = marshalGo(tags);
  if (!property) return utf8(json);
  if (Object.hasOwn(tags, property)) return utf8(tags[property]!);
  const v = lookupProperty(json, property);
  if (v === undefined) throw propertyMissing(ctx, key, property);
  return utf8(v);
}

export async function getSecret(ctx: ReadContext, ref: RemoteRef): Promise<Uint8Array> {
  const key = ctx.prefix + ref.key;
  if (ref.metadataPolicy === 'Fetch') return fetchTags(ctx, key, ref.property);
  let out;
  try {
    out = await ctx.api.getSecretValue({ SecretId: key, ...versionSelector(ref.version) });
  } catch (e) {
    throw mapAwsError(e, ctx.subject(key), 'GetSecretValue');
  }
  let payload: Uint8Array;
  if (out.SecretBinary !== undefined) payload = out.SecretBinary;
  else if (out.SecretString !== undefined) payload = utf8(out.SecretString);
  else {
    throw providerError('InvalidSecretFormat', 'invalid secret received. no secret string nor binary', { subject: ctx.subject(key) });
  }
  if (!ref.property) return payload;
  const v = lookupProperty(Buffer.from(payload).toString('utf8'), ref.property);
  if (v === undefined) throw propertyMissing(ctx, key, ref.property);
  return utf8(v);
}

/** `dataFrom.extract`: the (property of the) secret as a JSON object, strings unquoted, other values as raw JSON. */
export async function getSecretMap(ctx: ReadContext, ref: RemoteRef): Promise<SecretMap> {
  const data = await getSecret(ctx, ref);
  const key = ctx.prefix + ref.key;
  let members: Array<[string, string]> | null;
  try {
    members = rawMembers(Buffer.from(data).toString('utf8'));
  } catch {
    throw providerError('InvalidSecretFormat', `unable to unmarshal secret ${key}: the value is not a JSON object`, {
      subject: ctx.subject(key), hint: 'use data[].remoteRef for a plain value, or store the secret as a JSON object',
    });
  }
  const map: SecretMap = {};
  for (const [k, raw] of members ?? []) {
    // Go: json.Unmarshal(raw, &string) succeeds for strings and for null (→ "").
    map[k] = raw.startsWith('"') ? utf8(JSON.parse(raw) as string) : raw === 'null' ? new Uint8Array() : utf8(raw);
  }
  return map;
}
