// ESO's cleanup finalizer, but only where it does something: present exactly while
// target.deletionPolicy=Delete (ESO adds it to every ExternalSecret, so a stopped controller blocks
// namespace deletion everywhere). A stale one (policy changed, or left by ESO) is removed. On
// deletion the Secret is deleted only when this ExternalSecret controls it (ESO's
// cleanupManagedSecrets), then the finalizer is removed.
import type { ExternalSecretObject } from '../../src/manifests/external-types.js';
import type { Json, KubeClient } from '../kube/index.js';
import { isNotFound } from '../kube/index.js';
import { controllerOf } from './write.js';

export const FINALIZER = 'externalsecrets.external-secrets.io/externalsecret-cleanup';

const esUrl = (es: ExternalSecretObject) => `/apis/external-secrets.io/v1/namespaces/${es.metadata.namespace}/externalsecrets/${es.metadata.name}`;
const finalizersOf = (es: ExternalSecretObject) => (es.metadata.finalizers as string[] | undefined) ?? [];

export const wantsFinalizer = (es: ExternalSecretObject) => es.spec.target?.deletionPolicy === 'Delete';
export const hasFinalizer = (es: ExternalSecretObject) => finalizersOf(es).includes(FINALIZER);

/** Adds or removes our finalizer (a merge patch guarded by resourceVersion); the patched object, or undefined when already right. */
export async function syncFinalizer(client: KubeClient, es: ExternalSecretObject, want: boolean, signal?: AbortSignal): Promise<ExternalSecretObject | undefined> {
  if (hasFinalizer(es) === want) return undefined;
  const others = finalizersOf(es).filter((f) => f !== FINALIZER);
  const finalizers = want ? [...others, FINALIZER] : others;
  return client.request<ExternalSecretObject>('PATCH', esUrl(es), {
    body: { metadata: { resourceVersion: es.metadata.resourceVersion, finalizers: finalizers.length ? finalizers : null } },
    contentType: 'application/merge-patch+json', ...(signal ? { signal } : {}),
  });
}

/** Deletion with our finalizer: delete the target Secret if deletionPolicy=Delete and we control it; true when one was deleted. */
export async function cleanupManagedSecret(client: KubeClient, es: ExternalSecretObject, existing: Readonly<Json> | undefined): Promise<boolean> {
  if (!wantsFinalizer(es) || !existing || controllerOf(existing)?.uid !== es.metadata.uid) return false;
  const m = existing.metadata as { namespace: string; name: string; uid: string };
  try {
    await client.request('DELETE', `/api/v1/namespaces/${m.namespace}/secrets/${m.name}`, { body: { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: m.uid } } });
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  return true;
}
