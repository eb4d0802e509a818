// ServiceAccount tokens minted through TokenRequest, reused until most of their lifetime has passed,
// so a reconcile does not cost a TokenRequest per store. Wraps an ObjectReader.
import type { ObjectReader } from './sources.js';

export function cachingTokens(reader: ObjectReader, o: { now?: () => number; defaultExpirationSeconds?: number; reuseFraction?: number } = {}): ObjectReader {
  const mint = reader.serviceAccountToken?.bind(reader);
  if (!mint) return reader;
  const now = o.now ?? Date.now;
  const cache = new Map<string, { token: Promise<string | undefined>; until: number }>();
  return {
    ...reader,
    getSecret: reader.getSecret.bind(reader),
    getConfigMap: reader.getConfigMap.bind(reader),
    serviceAccountAnnotations: reader.serviceAccountAnnotations?.bind(reader),
    namespaceLabels: reader.namespaceLabels?.bind(reader),
    async serviceAccountToken(namespace, name, opts) {
      const key = `${namespace}/${name}|${(opts.audiences ?? []).join(',')}|${opts.expirationSeconds ?? ''}`;
      const hit = cache.get(key);
      if (hit && now() < hit.until) return hit.token;
      const lifetime = (opts.expirationSeconds ?? o.defaultExpirationSeconds ?? 600) * 1000;
      const entry = { token: mint(namespace, name, opts), until: now() + lifetime * (o.reuseFraction ?? 0.5) };
      cache.set(key, entry);
      entry.token.catch(() => { if (cache.get(key) === entry) cache.delete(key); });
      return entry.token;
    },
  };
}
