export { createApiServer, parseSealedSecret, type ApiHandlers, type ApiServerOptions, type KeyInfo, type RetireResult } from './server.js';
export { ClientRateLimiter } from './rate-limit.js';
