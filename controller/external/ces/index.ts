export { ClusterExternalSecretController, type CesControllerOptions } from './controller.js';
export { reconcileClusterExternalSecret, cesRefreshMs, DEFAULT_CES_REFRESH, type CesReconcileContext } from './reconcile.js';
export { targetNamespaces, selects, selectorError, isTerminating, LABEL_NAMESPACE_NAME } from './select.js';
export { childName, newChild, updatedChild, isOwnedBy, controllingCes, cesOwnerReference, fingerprint, storedState } from './child.js';
export { nextCesStatus, writeCesStatus, readyCondition, MESSAGE_NAMESPACES_FAILED, REASON_ALREADY_EXISTS, REASON_NOT_WATCHED } from './status.js';
export { WriteOverlay } from './overlay.js';
export type { ClusterExternalSecretObject, ClusterExternalSecretSpec, ClusterExternalSecretStatus, NamespaceObject } from './types.js';
export { CesMetrics } from './metrics.js';
