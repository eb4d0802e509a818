// Seeded fuzz: the YAML/JSON Secret reader and validator only ever fail with typed errors.
import { seededTests } from './run.js';

seededTests(/Secret reader/);
