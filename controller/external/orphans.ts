// ESO's created-by label and orphan cleanup (deleteOrphanedSecrets): with creationPolicy=Owner the
// target Secret carries `reconcile.external-secrets.io/created-by: hex(sha3-224("<ns>/<es-name>"))`;
// when spec.target.name changes, every Secret with that label other than the current target is
// deleted. Cloak also skips a Secret that another object controls (the label alone can be copied).
import { createHash } from 'node:crypto';
import type { ExternalSecretObject } from '../../src/manifests/external-types.js';
import type { Json, KubeClient } from '../kube/index.js';
import { isNotFound } from '../kube/index.js';
import { controllerOf } from './write.js';

export const LABEL_CREATED_BY = 'reconcile.external-secrets.io/created-by';

/** ESO's esutils.ObjectHash of "<namespace>/<name>" (Go's %v of a string is the string itself). */
export function createdByValue(es: ExternalSecretObject): string {
  return createHash('sha3-224').update(`${es.metadata.namespace}/${es.metadata.name}`).digest('hex');
}

/** Deletes the Secrets this ExternalSecret created under another name; returns their names. */
export async function deleteOrphans(client: KubeClient, es: ExternalSecretObject, target: string, candidates: readonly Readonly<Json>[]): Promise<string[]> {
  const label = createdByValue(es);
  const deleted: string[] = [];
  for (const s of candidates) {
    const m = s.metadata as { name: string; namespace: string; uid: string; labels?: Record<string, string> };
    if (m.namespace !== es.metadata.namespace || m.name === target || m.labels?.[LABEL_CREATED_BY] !== label) continue;
    const owner = controllerOf(s);
    if (owner && owner.uid !== es.metadata.uid) continue;
    try {
      await client.request('DELETE', `/api/v1/namespaces/${m.namespace}/secrets/${m.name}`, { body: { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: m.uid } } });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    deleted.push(m.name);
  }
  return deleted;
}
