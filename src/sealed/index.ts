export { Scope, parseScope, scopeFromAnnotations, encryptionLabel, withScopeAnnotations, ANNOTATION_CLUSTER_WIDE, ANNOTATION_NAMESPACE_WIDE } from './scope.js';
export { validateSecret, type ValidSecret, type InputOptions } from './secret-input.js';
export { sealSecret, sealRawValue, type SealOptions } from './seal.js';
export { unsealItems, buildSecret, subjectOf, type DecryptKey, type DecryptFn, type UnsealedItems, type BuildOptions } from './unseal.js';
export { readPrivateKeys } from './key-files.js';
export { keySecretManifest, KEY_LABEL, KEY_PREFIX, type KeySecretOptions } from './key-secret.js';
export { formatObjects, type OutputFormat } from './output.js';
export { mergeIntoSealedSecret, type MergeResult } from './merge-into.js';
export {
  ANNOTATION_SEALING_KEY, ANNOTATION_SEALING_KEYS, ANNOTATION_ROTATE_REQUEST, ANNOTATION_ROTATE_HANDLED, SEALED_SECRET_API_VERSION,
  type SealedSecretObject, type SecretObject, type ObjectMeta, type OwnerReference, type SealedSecretTemplate,
} from './types.js';
