export { ExternalSecretController, type ExternalControllerOptions } from './controller.js';
export { reconcileExternalSecret, type ExternalReconcileContext } from './reconcile.js';
export { apiSources } from './sources.js';
export { hashMeta, syncedResourceVersion } from './meta-hash.js';
export { isSecretValid, shouldRefresh, requeueAfterMs, refreshIntervalMs } from './refresh.js';
export { nextStatus, writeStatus, Reason, Message } from './status.js';
export { planWrite, ownerReference, type WritePlan } from './write.js';
