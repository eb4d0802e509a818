// /v1/rotate: re-seal a SealedSecret to the newest key. Scope (and so the OAEP label) comes from the
// top-level metadata only, for unsealing and for re-sealing, so the v0.36.0 escalation (a cluster-wide
// annotation smuggled into spec.template) cannot widen a secret. Template data is kept as templates.
import { encodeBase64, hybridEncrypt } from '../../src/crypto/index.js';
import {
  ANNOTATION_SEALING_KEY, ANNOTATION_SEALING_KEYS, encryptionLabel, scopeFromAnnotations, unsealItems, withScopeAnnotations,
  type DecryptFn, type DecryptKey, type SealedSecretObject,
} from '../../src/sealed/index.js';
import type { Json } from '../kube/index.js';

const SERVER_FIELDS = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds'];

export async function resealSealedSecret(input: Json, keys: DecryptKey[], newest: { publicKey: import('node:crypto').KeyObject; fingerprint: string }, decrypt: DecryptFn): Promise<Json> {
  const ss = structuredClone(input) as unknown as SealedSecretObject;
  ss.metadata ??= {};
  ss.spec ??= { encryptedData: {} }; // no spec decrypts to an empty Secret, as Bitnami's decoder gives
  const { data } = await unsealItems(ss, keys, decrypt);
  const meta = ss.metadata;
  const scope = scopeFromAnnotations(meta.annotations);
  const label = encryptionLabel(meta.namespace ?? '', meta.name ?? '', scope);
  const encryptedData: Record<string, string> = {};
  for (const k of Object.keys(data).sort()) encryptedData[k] = encodeBase64(hybridEncrypt(newest.publicKey, data[k] as Buffer, label));
  ss.spec.encryptedData = encryptedData;
  delete ss.spec.data;
  for (const f of SERVER_FIELDS) delete meta[f];
  const annotations = { ...(meta.annotations ?? {}) };
  delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
  delete annotations[ANNOTATION_SEALING_KEYS];
  annotations[ANNOTATION_SEALING_KEY] = newest.fingerprint;
  meta.annotations = annotations;
  const template = ss.spec.template;
  if (template?.metadata) {
    // Keep the template's scope annotations in step with the scope that actually applies.
    const ta = withScopeAnnotations(template.metadata.annotations ?? {}, scope);
    if (Object.keys(ta).length > 0) template.metadata.annotations = ta;
    else delete template.metadata.annotations;
  }
  delete ss.status;
  return { ...(ss as unknown as Json), apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret' };
}
