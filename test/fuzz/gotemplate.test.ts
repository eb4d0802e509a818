// Seeded fuzz: the Go template lexer, parser and executor only fail with typed errors, within limits.
import { seededTests } from './run.js';

seededTests(/Go template/);
