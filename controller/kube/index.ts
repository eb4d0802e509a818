export { createKubeClient, loadKubeConfig, type KubeClient, type Json, type RequestOptions, type WatchCallback, type WatchHandle } from './client.js';
export { KubeApiError, isNotFound, isAlreadyExists, isConflict, isTransient } from './errors.js';
