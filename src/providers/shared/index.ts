// Shared provider building blocks: gjson property lookup, ESO's value conversions, the SecretNotFound
// error, and the caches and limits the engine puts around provider clients.
export { getJsonPath, hasJsonPath, byteValue, marshalNoEscape, marshalGo, parseJsonUseNumber, JsonNumber } from './property.js';
export { secretNotFound, isSecretNotFound, SecretNotFoundCode } from './errors.js';
