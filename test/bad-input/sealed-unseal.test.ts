// Tampered and malformed SealedSecrets through `cloak unseal --key` (stdin, and -f with an existing -w file).
import { corpus } from './harness.js';
import { sealedCases } from './sealed-variants.js';

corpus('bad SealedSecrets: unseal', sealedCases('unseal'));
