// Bad Secret manifests through big inputs (50 MB values, 10k documents, 100k keys) on `cloak seal` stdin.
import { corpus } from './harness.js';
import { secretCases } from './secret-variants.js';

corpus('bad Secret manifests: big', secretCases('big'));
