export { SealedSecretController, type SealedControllerOptions } from './controller.js';
export { reconcileSealedSecret, type ReconcileContext, type Unsealed } from './reconcile.js';
export { planApply, sameContent, isControlledBy, ANNOTATION_MANAGED, ANNOTATION_PATCH, ANNOTATION_UNSEALED_WITH, type ApplyPlan } from './apply.js';
export { nextStatus, syncedCondition, type Condition, type SealedStatus } from './status.js';
export { ResultCache, unsealInputHash, stableJson } from './result-cache.js';
export { DecryptPool } from './decrypt-pool.js';
export { resealSealedSecret } from './reseal.js';
export { loadTemplateEngine, renderSecretTemplate } from './template.js';
