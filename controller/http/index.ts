export { createApiServer, parseSealedSecret, type ApiHandlers, type ApiServerOptions, type KeyInfo } from './server.js';
export { ClientRateLimiter } from './rate-limit.js';
export { sealedSecretHandlers, isCannotDecrypt, type SealedHandlerDeps } from './sealed-handlers.js';
