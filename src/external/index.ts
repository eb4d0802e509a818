// The ExternalSecret engine: stores → credentials → provider clients (shared, cached, limited) →
// dataFrom then data → conversions → the desired Secret.
export { resolveExternalSecret, esLabel, type ResolveOptions, type ResolveResult } from './resolve.js';
export { desiredSecret, dataHash, LABEL_MANAGED, ANNOTATION_DATA_HASH, type DesiredSecretOptions } from './secret.js';
export { openStore, withStores, stableJson, type EngineContext, type StoreHandle } from './connect.js';
export { resolveStore, conditionsAllow, selectorMatches, storeLabel } from './store.js';
export { findCredentialRefs, resolveCredentials, credentialsDigest, type CredentialRef } from './credentials.js';
export { memorySources, keyValueBytes, type EngineSources, type ObjectReader, type StoreSource } from './sources.js';
export { rewriteMap, rewriteRegexp } from './rewrite.js';
export { applyTemplate, type TemplateOutput } from './template.js';
export { goRender, renderText, type Render } from './render.js';
export { cachingTokens } from './token-cache.js';
