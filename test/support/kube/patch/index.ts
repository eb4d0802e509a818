export { applyJsonPatch } from './json-patch.js';
export { applyMergePatch } from './merge-patch.js';
export { applyStrategicMerge } from './strategic.js';
export { serverSideApply, trackUpdate } from './apply.js';
export type { ListType, ListTypeOf } from './fieldset.js';
