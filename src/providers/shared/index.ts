// Shared provider building blocks: gjson property lookup, ESO's value conversions, the SecretNotFound
// error, Go regexps, and the caches and limits the engine puts around provider clients.
export { getJsonPath, hasJsonPath, byteValue, marshalNoEscape, marshalGo, parseJsonUseNumber, JsonNumber } from './property.js';
export { secretNotFound, isSecretNotFound, SecretNotFoundCode } from './errors.js';
export { explodeRawJson, explodeDecodedJson, objectMembers } from './json-map.js';
export { convertKey, convertKeys, validateKeys, type ConversionStrategy } from './keys.js';
export { decodeValue, decodeMap, checkNullBytes, goBase64Decode, type DecodingStrategy, type NullBytePolicy } from './decoding.js';
export { compileGoRegexp, goMatch, goReplaceAll } from './go-regexp.js';
export { ClientCache, type ClientCacheStats } from './client-cache.js';
export { ReadCache, type ReadCacheStats } from './read-cache.js';
export { StoreLimiter, type StoreLimits } from './rate-limit.js';
