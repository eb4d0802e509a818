// Maps kubeseal's flags onto Cloak's commands (defaults as kubeseal: JSON output, strict scope).
import { usageError } from '../../../src/errors.js';
import { readCertRef } from '../../shared/cert-source.js';
import { clusterCertFetcher } from '../../shared/cluster-cert.js';
import { runSeal } from '../seal/run.js';
import { runUnseal } from '../unseal/run.js';
import type { CliIo } from '../../io.js';
import { kubesealFormat, type KubesealFlags } from './index.js';

export async function runKubeseal(io: CliIo, f: KubesealFlags): Promise<void> {
  const cluster = {
    ...(f.kubeconfig ? { kubeconfig: f.kubeconfig } : {}),
    ...(f.context ? { context: f.context } : {}),
    ...(f.controllerName ? { controllerName: f.controllerName } : {}),
    ...(f.controllerNamespace ? { controllerNamespace: f.controllerNamespace } : {}),
  };
  if (f.fetchCert) {
    const ref = f.cert || io.env['SEALED_SECRETS_CERT'] || io.env['CLOAK_CERT'];
    const { pem } = ref ? await readCertRef(io, ref) : await clusterCertFetcher(io, cluster)();
    io.stdout(pem);
    return;
  }
  if (f.recoveryUnseal) {
    if (!f.recoveryPrivateKey?.length) throw usageError('NoKey', '--recovery-unseal requires --recovery-private-key', { hint: 'pass --recovery-private-key FILE (a PEM key or a key backup)' });
    await runUnseal(io, { key: f.recoveryPrivateKey, ...(f.secretFile ? { file: f.secretFile } : {}), output: f.format ?? 'json', ...(f.sealedSecretFile ? { write: f.sealedSecretFile } : {}) }, { format: 'json' });
    return;
  }
  if (f.validate || f.reEncrypt || f.rotate) {
    const { runOnlineKubeseal } = await import('./online.js');
    await runOnlineKubeseal(io, f, cluster);
    return;
  }
  await runSeal(io, {
    ...(f.secretFile ? { file: f.secretFile } : {}),
    ...(f.cert ? { cert: f.cert } : {}),
    ...(f.scope && f.scope !== 'strict' ? { scope: f.scope } : {}),
    ...(f.name ? { name: f.name } : {}),
    ...(f.namespace ? { namespace: f.namespace } : {}),
    output: kubesealFormat(f),
    ...(f.sealedSecretFile ? { write: f.sealedSecretFile } : {}),
    ...(f.allowEmptyData ? { allowEmptyData: true } : {}),
    ...(f.raw ? { raw: true } : {}),
    ...(f.fromFile ? { fromFile: f.fromFile } : {}),
    ...(f.mergeInto ? { mergeInto: f.mergeInto } : {}),
    ...cluster,
  }, { format: 'json' });
}
