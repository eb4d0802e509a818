// The two function sets: Bitnami's (Sprig minus env/expandenv/getHostByName) and ESO's (the same
// plus ESO's own PEM/PKCS#12/JWK/RSA/YAML helpers). Template functions override builtins, as in Go.
import type { GoFunc } from '../value.js';
import { builtins } from './builtins.js';
import { certFuncs } from './certs.js';
import { cryptoFuncs } from './crypto.js';
import { dateFuncs } from './dates.js';
import { esoFuncs } from './eso.js';
import { jsonFuncs } from './json.js';
import { listFuncs } from './lists.js';
import { numberFuncs } from './numbers.js';
import { pathFuncs } from './paths.js';
import { regexFuncs } from './regex.js';
import { semverFuncs } from './semver.js';
import { stringFuncs } from './strings.js';

export type FuncSetName = 'eso' | 'sprigBitnami';

const sprig: Record<string, GoFunc> = {
  hello: { params: [], fn: () => 'Hello!' },
  ...stringFuncs, ...numberFuncs, ...listFuncs, ...jsonFuncs, ...cryptoFuncs, ...regexFuncs, ...dateFuncs,
  ...semverFuncs, ...pathFuncs, ...certFuncs,
};

const sets = new Map<FuncSetName, Map<string, GoFunc>>();

export function funcSet(name: FuncSetName): Map<string, GoFunc> {
  let s = sets.get(name);
  if (!s) {
    s = new Map(Object.entries({ ...builtins, ...sprig, ...(name === 'eso' ? esoFuncs : {}) }));
    sets.set(name, s);
  }
  return s;
}
