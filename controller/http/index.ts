export { createApiServer, parseSealedSecret, type ApiHandlers, type ApiServerOptions, type KeyInfo } from './server.js';
export { ClientRateLimiter } from './rate-limit.js';
