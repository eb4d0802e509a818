// Forces an ExternalSecret to resync: a merge patch setting `force-sync=<unix seconds>`, the
// annotation ESO's docs use (any annotation change makes ESO, and Cloak's controller, reconcile).
import type { CliIo } from '../../io.js';

export const forceSyncAnnotation = 'force-sync';

export async function refreshExternalSecret(
  io: CliIo,
  o: { name: string; namespace?: string | undefined; kubeconfig?: string | undefined; context?: string | undefined },
): Promise<void> {
  const { loadKubeConfig, kubeRequest, apiError } = await import('../../../src/kube/index.js');
  const target = await loadKubeConfig({ kubeconfig: o.kubeconfig, context: o.context, namespace: o.namespace, env: io.env, cwd: io.cwd });
  const ns = target.namespace;
  const path = `/apis/external-secrets.io/v1/namespaces/${encodeURIComponent(ns)}/externalsecrets/${encodeURIComponent(o.name)}`;
  const body = JSON.stringify({ metadata: { annotations: { [forceSyncAnnotation]: String(Math.floor(Date.now() / 1000)) } } });
  const res = await kubeRequest(target, { method: 'PATCH', path, body, contentType: 'application/merge-patch+json' });
  if (res.status !== 200) {
    throw apiError(res, { subject: `externalsecret ${ns}/${o.name}`, verb: 'patch', resource: 'externalsecrets.external-secrets.io', namespace: ns });
  }
  io.stdout(`externalsecret.external-secrets.io/${o.name} refreshed\n`);
}
