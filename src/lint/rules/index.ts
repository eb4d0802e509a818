// Every lint rule, in the order findings of one document are reported.
import type { Rule } from '../types.js';
import { ciphertextFormat } from './ciphertext-format.js';
import { crdSchema } from './crd-schema.js';
import { keyAge } from './key-age.js';
import { kustomizeSecretLiteral } from './kustomize-literals.js';
import { plaintextSecret } from './plaintext-secret.js';
import { sealedScope } from './sealed-scope.js';
import { unknownKey } from './unknown-key.js';

export const rules: Rule[] = [plaintextSecret, kustomizeSecretLiteral, sealedScope, ciphertextFormat, unknownKey, keyAge, crdSchema];
