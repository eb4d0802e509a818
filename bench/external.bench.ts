// ExternalSecrets at scale: 10,000 ExternalSecrets over 1,000 distinct Vault keys in 100 namespaces,
// all sharing one ClusterSecretStore (Vault appRole), synced by the real controller process against
// the in-process Kubernetes and Vault test servers. Reports Vault reads and logins for the first sync
// and for one full refresh window, time from apply to every ExternalSecret Ready, the controller's
// peak RSS, and API writes per ExternalSecret. ESO makes one read per ExternalSecret per refresh plus
// a login per reconcile with appRole (~40,000 calls for this set, reference §8); the ratio column
// compares against one read per ExternalSecret per refresh. BENCH_ES_COUNT shrinks the run.
import { readFileSync } from 'node:fs';
import { printTable } from './table.js';
import { Informer } from '../controller/runtime/index.js';
import { silentLogger } from '../controller/log.js';
import type { Json } from '../controller/kube/index.js';
import { ensureNamespace, startCluster, startController, waitFor } from '../test/support/controller/harness.js';
import { startVaultServer } from '../test/support/vault/index.js';

const COUNT = Number(process.env.BENCH_ES_COUNT ?? 10_000);
const NAMESPACES = Math.min(100, COUNT);
const KEYS = Math.min(1000, COUNT);
const REFRESH_S = 30;
const ESO = '/apis/external-secrets.io/v1';

type Es = { metadata: { namespace: string; name: string }; status?: { refreshTime?: string; conditions?: Array<{ type: string; status: string }> } };
const isReady = (o: Readonly<Json>) => (o as unknown as Es).status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

export async function run(): Promise<void> {
  const vault = await startVaultServer();
  const cluster = await startCluster();
  try {
    const kv: Record<string, Record<string, string>> = {};
    for (let k = 0; k < KEYS; k++) kv[`secret/app/k${k}`] = { password: `value-${k}` };
    const seeded = await vault.seed({
      kv,
      policies: { reader: 'path "secret/data/app/*" { capabilities = ["read"] }' },
      auth: { approle: { type: 'approle', roles: { eso: { token_policies: ['reader'], token_ttl: '1h' } } } },
    });
    const role = seeded.approle.eso!;
    const c = cluster.client;
    await ensureNamespace(c, 'eso');
    await c.request('POST', '/api/v1/namespaces/eso/secrets', {
      body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'approle', namespace: 'eso' }, stringData: { 'secret-id': role.secretId } },
    });
    await c.request('POST', `${ESO}/clustersecretstores`, {
      body: {
        apiVersion: 'external-secrets.io/v1', kind: 'ClusterSecretStore', metadata: { name: 'vault' },
        spec: { provider: { vault: { server: vault.url, path: 'secret', version: 'v2', auth: { appRole: { path: 'approle', roleId: role.roleId, secretRef: { name: 'approle', namespace: 'eso', key: 'secret-id' } } } } } },
      },
    });
    for (let n = 0; n < NAMESPACES; n++) await ensureNamespace(c, `team-${n}`);

    const ctl = await startController(cluster, ['--concurrent=16']);
    // Measurement only: BENCH_PHASE_SIGNAL (e.g. SIGUSR2) is sent to the controller after each phase, for a
    // --heapsnapshot-signal or a diagnostic --import given through CLOAK_CONTROLLER_NODE_OPTIONS.
    const phaseDone = () => { if (process.env.BENCH_PHASE_SIGNAL) ctl.proc.kill(process.env.BENCH_PHASE_SIGNAL as NodeJS.Signals); };
    try {
      await waitFor('controller ready', async () => (await fetch(`${ctl.api}/readyz`)).status === 200, 60_000, ctl.logs);
      const ready = new Map<string, string>(); // ES key → refreshTime when Ready
      const watcher = new Informer({ name: 'bench-es', client: c, path: `${ESO}/externalsecrets`, log: silentLogger });
      const seen = (o: Readonly<Json>) => {
        const m = (o as unknown as Es).metadata;
        if (isReady(o)) ready.set(`${m.namespace}/${m.name}`, (o as unknown as Es).status?.refreshTime ?? '');
      };
      watcher.on({ add: seen, update: (_o, o) => seen(o) });
      watcher.start();
      await watcher.synced;

      const loginsBefore = vault.count('PUT', /auth\/approle\/login/) + vault.count('POST', /auth\/approle\/login/);
      const readsBefore = vault.count('GET', /^\/?secret\/data\/app\//);
      cluster.server.hooks.clearRequests();
      const start = performance.now();
      let next = 0;
      await Promise.all(Array.from({ length: 16 }, async () => {
        while (next < COUNT) {
          const i = next++;
          const ns = `team-${i % NAMESPACES}`;
          await c.request('POST', `${ESO}/namespaces/${ns}/externalsecrets`, {
            body: {
              apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: `es-${i}`, namespace: ns },
              spec: {
                refreshInterval: `${REFRESH_S}s`,
                secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' },
                target: { name: `s-${i}` },
                data: [{ secretKey: 'password', remoteRef: { key: `app/k${i % KEYS}`, property: 'password' } }],
              },
            },
          });
        }
      }));
      const appliedS = (performance.now() - start) / 1000;
      await waitFor('all ExternalSecrets Ready', () => ready.size >= COUNT, 900_000, ctl.logs);
      const allReadyS = (performance.now() - start) / 1000;
      const firstReads = vault.count('GET', /^\/?secret\/data\/app\//) - readsBefore;
      const firstLogins = vault.count('PUT', /auth\/approle\/login/) + vault.count('POST', /auth\/approle\/login/) - loginsBefore;
      const writes = (re: RegExp, methods: string[]) => cluster.server.hooks.requests.filter((r) => methods.includes(r.method) && re.test(r.path)).length;
      const firstSecretWrites = writes(/^\/api\/v1\/namespaces\/[^/]+\/secrets/, ['POST', 'PUT', 'PATCH']);
      const firstStatusWrites = writes(/\/externalsecrets\/[^/]+\/status$/, ['PUT', 'PATCH']);
      const firstEvents = writes(/\/events$/, ['POST']);
      const rssAfterSync = peakRssMb(ctl.proc.pid!);
      phaseDone();

      // One full refresh window with unchanged data: every ExternalSecret refreshes once more.
      const synced = new Map(ready);
      cluster.server.hooks.clearRequests();
      const r0 = vault.count('GET', /^\/?secret\/data\/app\//);
      const l0 = vault.count('PUT', /auth\/approle\/login/) + vault.count('POST', /auth\/approle\/login/);
      const windowStart = performance.now();
      await waitFor('every ExternalSecret refreshed once more', () => [...synced].every(([k, t]) => (ready.get(k) ?? '') > t), 900_000, ctl.logs);
      const windowS = (performance.now() - windowStart) / 1000;
      const refreshReads = vault.count('GET', /^\/?secret\/data\/app\//) - r0;
      const refreshLogins = vault.count('PUT', /auth\/approle\/login/) + vault.count('POST', /auth\/approle\/login/) - l0;
      const refreshSecretWrites = writes(/^\/api\/v1\/namespaces\/[^/]+\/secrets/, ['POST', 'PUT', 'PATCH']);
      const refreshStatusWrites = writes(/\/externalsecrets\/[^/]+\/status$/, ['PUT', 'PATCH']);
      const rss = peakRssMb(ctl.proc.pid!);
      phaseDone();
      await watcher.stop();

      const label = `${COUNT} ExternalSecrets, ${KEYS} Vault keys, ${NAMESPACES} namespaces, 1 ClusterSecretStore (appRole)`;
      process.stdout.write(`${label}; refreshInterval ${REFRESH_S}s\n\n`);
      printTable(['measure', 'value', 'goal', 'ratio vs ESO-style (1 read/ES)'], [
        ['Vault reads, first sync', firstReads, `≤ ${KEYS}`, firstReads / COUNT],
        ['Vault logins, first sync', firstLogins, '1', ''],
        ['Vault reads, one full refresh window', refreshReads, `≤ ${KEYS}`, refreshReads / COUNT],
        ['Vault logins, one full refresh window', refreshLogins, '0 (token TTL 1h)', ''],
        ['seconds to apply all ExternalSecrets', appliedS, '', ''],
        ['seconds apply → all Ready', allReadyS, '≤ 60', ''],
        ['seconds for one full refresh window', windowS, `≤ ${REFRESH_S * 1.1} (interval +10 %)`, ''],
        ['controller peak RSS MB after first sync', rssAfterSync, '', ''],
        ['controller peak RSS MB after refresh', rss, '≤ 300', ''],
        ['Secret writes per ExternalSecret, first sync', firstSecretWrites / COUNT, '1', ''],
        ['status writes per ExternalSecret, first sync', firstStatusWrites / COUNT, '1', ''],
        ['Events per ExternalSecret, first sync', firstEvents / COUNT, '', ''],
        ['Secret writes per ExternalSecret, refresh with unchanged data', refreshSecretWrites / COUNT, '0', ''],
        ['status writes per ExternalSecret, refresh with unchanged data (refreshTime)', refreshStatusWrites / COUNT, '', ''],
      ]);
    } finally {
      await ctl.stop();
    }
  } finally {
    await cluster.close();
    await vault.close();
  }
}
