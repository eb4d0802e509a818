// ESO's Vault path building, kept bit for bit (providers/v1/vault/client_get.go): `buildPath` for
// data reads and `buildMetadataPath` for metadata reads and LIST. Including its quirks: a key that
// starts with the mount name loses it, and without `path` the first segment is taken as the mount.

export interface KvStoreRef { path?: string; version: 'v1' | 'v2' }

/** Go `strings.Cut(s, sep)` → the part after the first `sep`. */
const after = (s: string, sep: string) => s.slice(s.indexOf(sep) + sep.length);

export function buildPath(store: KvStoreRef, key: string): string {
  let out = key;
  if (store.path !== undefined) {
    const cut = `${store.path}/`;
    if (out.startsWith(cut)) {
      out = after(out, cut);
      if (out.startsWith('data/') && store.version === 'v2') out = after(out, 'data/');
    }
    const mount = store.path.split('/');
    if (store.version === 'v2') mount.push('data');
    return [...mount, ...out.split('/')].join('/');
  }
  if (!out.includes('/data/') && store.version === 'v2') {
    const parts = out.split('/');
    return [parts[0]!, 'data', ...parts.slice(1)].join('/');
  }
  return out;
}

export const ERR_PATH_INVALID = "provided Path isn't a valid kv v2 path";

/** Throws ERR_PATH_INVALID (as ESO) for KV v2 without a store path when the key has no `data`. */
export function buildMetadataPath(store: KvStoreRef, key: string): string {
  if (store.version === 'v1') return store.path === undefined ? key : `${store.path}/${key}`; // ESO dereferences a nil path here
  if (store.path === undefined) {
    if (!key.includes('data')) throw new Error(ERR_PATH_INVALID);
    return key.replace('/data/', '/metadata/');
  }
  let out = key;
  const cut = `${store.path}/`;
  if (out.startsWith(cut)) {
    out = after(out, cut);
    if (out.startsWith('data/')) out = after(out, 'data/');
  }
  return `${store.path}/metadata/${out}`;
}
