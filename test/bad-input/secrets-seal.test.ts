// Bad Secret manifests through `cloak seal` (stdin, and -f with an existing -w file that must stay unchanged).
import { corpus } from './harness.js';
import { secretCases } from './secret-variants.js';

corpus('bad Secret manifests: seal', secretCases('seal'));
