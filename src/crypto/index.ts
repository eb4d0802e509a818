export { hybridEncrypt, hybridDecrypt } from './hybrid.js';
export { decodeBase64Strict, encodeBase64 } from './base64.js';
export { keyFingerprint } from './fingerprint.js';
export { readCertificate, assertNotExpired, type SealingCertificate } from './certificate.js';
export { generateSealingKey, sealingKeyFrom, type SealingKey, type KeyOptions } from './keygen.js';
export { parsePrivateKeyPem, type PrivateKeyEntry } from './private-key.js';
