// `cloak keys list`: the controller's keys as a table (or JSON), newest first.
import type { CliIo } from '../../io.js';
import { connectController, type ClusterFlags } from './cluster-options.js';

export async function listKeys(o: ClusterFlags & { format: 'table' | 'json' }, io: CliIo): Promise<void> {
  const ep = await connectController(o, io);
  const { listControllerKeys } = await import('../../../src/kube/index.js');
  const keys = [...(await listControllerKeys(ep))].sort((a, b) => b.created.localeCompare(a.created));
  if (o.format === 'json') {
    io.stdout(JSON.stringify({ keys }, null, 2) + '\n');
    return;
  }
  const rows = [
    ['FINGERPRINT', 'CREATED', 'STATUS', 'SEALEDSECRETS', 'NAME'],
    ...keys.map((k) => [
      k.fingerprint,
      k.created.replace(/\.\d+Z$/, 'Z'),
      k.newest ? 'newest' : k.active ? 'active' : 'inactive',
      String(k.sealedSecrets),
      k.name,
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) io.stdout(r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ') + '\n');
  if (keys.length === 0) io.stderr(`controller ${ep.namespace}/${ep.name} has no keys yet\n`);
}
