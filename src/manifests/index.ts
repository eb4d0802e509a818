export { readDocuments, toYaml, toJson, type KubeObject, type SourceDocument } from './documents.js';
export { writeFileAtomic } from './atomic-write.js';
