export { KeyManager, derivedSuffix, type KeyManagerOptions } from './manager.js';
export { KeyRegistry, type KeyChange } from './registry.js';
export { parseKeySecret, type ControllerKey, type KeyOrderPriority } from './key-secret.js';
