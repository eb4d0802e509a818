// Bad Secret manifests through `cloak kubeseal` (-f with a -w file that must not appear, and stdin).
import { corpus } from './harness.js';
import { secretCases } from './secret-variants.js';

corpus('bad Secret manifests: kubeseal', secretCases('kubeseal'));
