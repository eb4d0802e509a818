// Seeded fuzz: hybrid decrypt (typed errors, no modified ciphertext decrypts, round trip) and the
// SealedSecret decoder (unsealItems + buildSecret over arbitrary objects).
import { seededTests } from './run.js';

seededTests(/hybrid|SealedSecret decoder/);
