// `cloak keys backup -o FILE`: the controller's key Secrets, read with the caller's own RBAC, written
// as the v1 List `kubectl get secret -l sealedsecrets.bitnami.com/sealed-secrets-key -o yaml` prints
// (so `cloak unseal --key FILE`, `kubeseal --recovery-private-key FILE` and `kubectl apply -f FILE` all take it).
import { clusterError } from '../../../src/errors.js';
import type { CliIo } from '../../io.js';
import type { ClusterFlags } from './cluster-options.js';

export async function backupKeys(o: ClusterFlags & { output: string }, io: CliIo): Promise<void> {
  const { loadKubeConfig, listKeySecrets, defaultControllerNamespace, keyLabel } = await import('../../../src/kube/index.js');
  const { toYaml, writeFileAtomic } = await import('../../../src/manifests/index.js');
  const target = await loadKubeConfig({ kubeconfig: o.kubeconfig, context: o.context, env: io.env, cwd: io.cwd });
  const namespace = o.controllerNamespace ?? defaultControllerNamespace;
  const secrets = await listKeySecrets(target, namespace);
  if (secrets.length === 0) {
    throw clusterError('NoKeys', `no Secrets labelled ${keyLabel} in namespace ${namespace}`, {
      subject: `context "${target.contextName}"`,
      hint: 'pass --controller-namespace where the controller keeps its keys',
    });
  }
  const list = { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items: secrets.map(restorable) };
  const text = toYaml(list);
  if (o.output === '-') io.stdout(text);
  else {
    const { resolve } = await import('node:path');
    await writeFileAtomic(resolve(io.cwd, o.output), text, { mode: 0o600 });
  }
  const where = o.output === '-' ? 'the output' : o.output;
  io.stderr(
    `warning: ${where} holds ${secrets.length} PRIVATE key${secrets.length === 1 ? '' : 's'} of ${namespace}: whoever reads it can decrypt every SealedSecret of this cluster. Keep it encrypted and offline; never commit it.\n`,
  );
}

/** Drops server-owned fields so `kubectl apply -f` can restore the Secrets into a fresh cluster. */
function restorable(s: Record<string, unknown>): Record<string, unknown> {
  const meta = { ...((s.metadata as Record<string, unknown>) ?? {}) };
  for (const f of ['uid', 'resourceVersion', 'managedFields', 'selfLink', 'generation', 'ownerReferences']) delete meta[f];
  const annotations = meta.annotations as Record<string, string> | undefined;
  if (annotations) {
    const rest = { ...annotations };
    delete rest['kubectl.kubernetes.io/last-applied-configuration'];
    if (Object.keys(rest).length > 0) meta.annotations = rest;
    else delete meta.annotations;
  }
  return { apiVersion: 'v1', kind: 'Secret', metadata: meta, ...(s.type !== undefined ? { type: s.type } : {}), data: s.data ?? {} };
}
