// `dataFrom.find` for Vault (ESO's client_get_all_secrets.go): recursive LIST under the metadata
// path, candidates named by their full relative path, filtered by name regexp or by equality of
// custom_metadata tags, each read whole. Key conversion (`/` → `_`) is the engine's job.
import { inputError } from '../../errors.js';
import type { FindRef, SecretMap } from '../types.js';
import { isSecretNotFound, secretNotFound } from '../shared/errors.js';
import { compileGoRegexp, goMatch } from '../shared/go-regexp.js';
import { buildMetadataPath } from './paths.js';
import { vaultError } from './errors.js';
import { getSecret, readSecretMetadata, type Reader } from './read.js';

async function listSecrets(r: Reader, path: string): Promise<string[]> {
  let url: string;
  try {
    url = buildMetadataPath(r.store, path);
  } catch (e) {
    throw inputError('VaultPathInvalid', (e as Error).message, { subject: `${r.scope.store}: find.path "${path}"`, hint: 'find on KV v2 needs spec.provider.vault.path, or a find.path containing /data/' });
  }
  let res;
  try {
    r.calls.lists++;
    res = await r.session.run(() => r.api.list(url));
  } catch (e) {
    const err = vaultError(e, r.scope, 'list', url);
    if (isSecretNotFound(err)) throw secretNotFound(`${r.scope.store}: Vault list "${url}"`);
    throw err;
  }
  const keys = res?.data?.keys;
  if (!Array.isArray(keys)) return [];
  const out: string[] = [];
  for (const k of keys.map(String)) {
    const full = path === '' ? k : path + k;
    if (!k.endsWith('/')) out.push(full);
    else out.push(...(await listSecrets(r, full)));
  }
  return out;
}

export async function getAllSecrets(r: Reader, ref: FindRef): Promise<SecretMap> {
  if (r.store.version === 'v1' && ref.tags !== undefined) {
    throw inputError('VaultTagsUnsupported', 'cannot perform find by tag operations with kv version v1', { subject: `${r.scope.store}: dataFrom.find.tags`, hint: 'tags need a KV v2 store' });
  }
  const candidates = await listSecrets(r, ref.path !== undefined ? `${ref.path}/` : '');
  const matcher = ref.name ? compileGoRegexp(ref.name.regexp, `${r.scope.store}: dataFrom.find.name.regexp`) : undefined;
  const out: SecretMap = Object.create(null);
  for (const name of candidates) {
    if (matcher) {
      if (!goMatch(matcher, name)) continue;
    } else {
      const md = await readSecretMetadata(r, name);
      if (!Object.entries(ref.tags ?? {}).every(([k, v]) => md[k] === v)) continue;
    }
    try {
      out[name] = await getSecret(r, { key: name });
    } catch (e) {
      if (isSecretNotFound(e)) continue;
      throw e;
    }
  }
  return out;
}
