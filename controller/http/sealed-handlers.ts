// /v1/verify and /v1/rotate over the real unseal path. As Bitnami: a SealedSecret that cannot be
// decrypted (or whose template cannot render) answers 409; any other failure (a dead decrypt worker,
// a closed pool, no key loaded) is an internal error, 500, so `cloak validate` does not blame the
// SealedSecret for the controller's own fault.
import { isCloakError } from '../../src/errors.js';
import { buildSecret, unsealItems, type BuildOptions, type DecryptFn, type DecryptKey, type SealedSecretObject } from '../../src/sealed/index.js';
import type { Json } from '../kube/index.js';
import { resealSealedSecret } from '../sealed/reseal.js';
import type { ApiHandlers } from './server.js';

export interface SealedHandlerDeps {
  keys(): DecryptKey[];
  newest(): { publicKey: import('node:crypto').KeyObject; fingerprint: string } | undefined;
  decrypt: DecryptFn;
  renderTemplate: NonNullable<BuildOptions['renderTemplate']>;
}

/** The SealedSecret itself is at fault: no key opens it, it is malformed, or its template fails. */
export function isCannotDecrypt(e: unknown): boolean {
  return isCloakError(e) && (e.code === 'UnsealFailed' || e.family === 'input' || e.family === 'template');
}

export function sealedSecretHandlers(d: SealedHandlerDeps): Pick<ApiHandlers, 'verify' | 'rotate'> {
  return {
    verify: async (ss: Json) => {
      try {
        const object = ss as unknown as SealedSecretObject;
        const { data } = await unsealItems(object, d.keys(), d.decrypt);
        buildSecret(object, data, { renderTemplate: d.renderTemplate }); // template errors fail verification too
        return true;
      } catch (e) {
        if (isCannotDecrypt(e)) return false;
        throw e;
      }
    },
    rotate: async (ss: Json) => {
      const newest = d.newest();
      if (!newest) throw new Error('no sealing key is loaded yet');
      try {
        return await resealSealedSecret(ss, d.keys(), newest, d.decrypt);
      } catch (e) {
        if (isCannotDecrypt(e)) return undefined;
        throw e;
      }
    },
  };
}
