export { Informer, backoff, metadataOnly, withoutManagedFields, type InformerHandlers, type InformerOptions, type InformerView } from './informer.js';
export { applyEvent, applyList, objectKey, resourceVersionOf, type Store, type StoreEvent } from './store.js';
export { WorkQueue, type Handler, type HandlerResult, type WorkQueueOptions } from './workqueue.js';
export { TokenBucket } from './token-bucket.js';
export { LeaderElector, microTime, type LeaderElectorOptions } from './leader.js';
