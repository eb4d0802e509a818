// Tampered SealedSecrets through `cloak kubeseal --recovery-unseal`, and wrong private keys through
// both offline decrypt commands.
import { corpus } from './harness.js';
import { keyCases, sealedCases } from './sealed-variants.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir('cloak-bad-keys-');
corpus('bad SealedSecrets and keys: recovery', () => [...sealedCases('recovery'), ...keyCases(dir)]);
