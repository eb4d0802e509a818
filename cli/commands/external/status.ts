// `cloak external status [-n NS | -A] [-o table|json]`: ExternalSecrets with their store, refresh
// interval, and the Ready condition (reason, status, last sync, the real error message).
import type { CliIo } from '../../io.js';

export interface ExternalStatusRow {
  namespace: string;
  name: string;
  store: string;
  refreshInterval: string;
  status: string;
  ready: string;
  lastSync: string;
  message: string;
}

interface EsJson {
  metadata?: { name?: string; namespace?: string };
  spec?: { refreshInterval?: string; secretStoreRef?: { name?: string; kind?: string } };
  status?: { refreshTime?: string; conditions?: Array<{ type?: string; status?: string; reason?: string; message?: string }> };
}

export async function externalStatus(
  io: CliIo,
  o: { namespace?: string | undefined; allNamespaces: boolean; format: 'table' | 'json'; kubeconfig?: string | undefined; context?: string | undefined },
): Promise<void> {
  const { loadKubeConfig, kubeRequest, apiError } = await import('../../../src/kube/index.js');
  const { oneLine } = await import('../../../src/kube/api-errors.js');
  const target = await loadKubeConfig({ kubeconfig: o.kubeconfig, context: o.context, namespace: o.namespace, env: io.env, cwd: io.cwd });
  const ns = target.namespace;
  const base = '/apis/external-secrets.io/v1';
  const path = o.allNamespaces ? `${base}/externalsecrets` : `${base}/namespaces/${encodeURIComponent(ns)}/externalsecrets`;
  const res = await kubeRequest(target, { method: 'GET', path });
  if (res.status !== 200) {
    throw apiError(res, {
      subject: o.allNamespaces ? 'externalsecrets in all namespaces' : `externalsecrets in namespace ${ns}`,
      verb: 'list', resource: 'externalsecrets.external-secrets.io', ...(o.allNamespaces ? {} : { namespace: ns }),
    });
  }
  const items = ((JSON.parse(res.body.toString('utf8')) as { items?: EsJson[] }).items ?? []);
  const rows: ExternalStatusRow[] = items.map((es) => {
    const ready = es.status?.conditions?.find((c) => c.type === 'Ready');
    const ref = es.spec?.secretStoreRef;
    return {
      namespace: es.metadata?.namespace ?? '',
      name: es.metadata?.name ?? '',
      store: ref?.name ? (ref.kind === 'ClusterSecretStore' ? `ClusterSecretStore/${ref.name}` : ref.name) : '',
      refreshInterval: es.spec?.refreshInterval ?? '1h',
      status: ready?.reason ?? '',
      ready: ready?.status ?? 'Unknown',
      lastSync: es.status?.refreshTime ?? '',
      message: ready?.message ? oneLine(ready.message) : '',
    };
  }).sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  if (o.format === 'json') {
    io.stdout(JSON.stringify({ externalSecrets: rows }, null, 2) + '\n');
    return;
  }
  if (rows.length === 0) {
    io.stderr(o.allNamespaces ? 'No ExternalSecrets found.\n' : `No ExternalSecrets found in ${ns} namespace.\n`);
    return;
  }
  const head = ['NAME', 'STORE', 'REFRESH', 'STATUS', 'READY', 'LAST-SYNC', 'MESSAGE'];
  const table = [
    o.allNamespaces ? ['NAMESPACE', ...head] : head,
    ...rows.map((r) => {
      const cells = [r.name, r.store, r.refreshInterval, r.status || '-', r.ready, r.lastSync || '-', r.message];
      return o.allNamespaces ? [r.namespace, ...cells] : cells;
    }),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  for (const r of table) io.stdout(r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd() + '\n');
}
