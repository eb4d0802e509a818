// Provider reads through the ExternalSecret engine: 1,000 ExternalSecrets (one ref each) over 100
// distinct Vault keys with approle login, against the in-process Vault test server. The baseline is
// ESO's model measured in this run: a fresh client per reconcile (login + read + revoke every time).
import { performance } from 'node:perf_hooks';
import { memorySources, resolveExternalSecret, type EngineContext } from '../src/external/index.js';
import type { ExternalSecretObject, SecretStoreObject } from '../src/manifests/external-types.js';
import { ClientCache } from '../src/providers/shared/client-cache.js';
import { ReadCache } from '../src/providers/shared/read-cache.js';
import { StoreLimiter } from '../src/providers/shared/rate-limit.js';
import { startVaultServer } from '../test/support/vault/index.js';
import { printTable } from './table.js';

const REFS = 1000;
const KEYS = 100;
const PARALLEL = 8;

export async function run(): Promise<void> {
  const vault = await startVaultServer();
  try {
    const kv: Record<string, Record<string, string>> = {};
    for (let i = 0; i < KEYS; i++) kv[`secret/app/k${i}`] = { password: `pw-${i}` };
    const seeded = await vault.seed({
      kv,
      policies: { reader: 'path "secret/*" { capabilities = ["read"] }' },
      auth: { approle: { type: 'approle', roles: { bench: { token_policies: ['reader'], token_ttl: '1h' } } } },
    });
    const { roleId, secretId } = seeded.approle.bench!;
    const store: SecretStoreObject = {
      apiVersion: 'external-secrets.io/v1', kind: 'SecretStore', metadata: { name: 'vault', namespace: 'bench', resourceVersion: '1' },
      spec: { provider: { vault: { server: vault.url, path: 'secret', version: 'v2', auth: { appRole: { path: 'approle', roleId, secretRef: { name: 'approle', key: 'secret-id' } } } } } },
    };
    const sources = memorySources({
      stores: [store], defaultNamespace: 'bench',
      objects: [{ kind: 'Secret', metadata: { name: 'approle', namespace: 'bench' }, data: { 'secret-id': Buffer.from(secretId).toString('base64') } }],
    });
    const es = (i: number): ExternalSecretObject => ({
      apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: `es-${i}`, namespace: 'bench' },
      spec: { secretStoreRef: { name: 'vault' }, data: [{ secretKey: 'password', remoteRef: { key: `app/k${i % KEYS}`, property: 'password' } }] },
    });

    const scenario = async (name: string, ctx: () => EngineContext) => {
      const before = { logins: vault.count('POST', /^auth\/approle\/login$/), reads: vault.count('GET', /^secret\/data\//), all: vault.requests.length };
      const t0 = performance.now();
      let next = 0;
      await Promise.all(Array.from({ length: PARALLEL }, async () => {
        while (next < REFS) {
          const i = next++;
          const r = await resolveExternalSecret(es(i), ctx());
          if (Buffer.from(r.data.password!).toString() !== `pw-${i % KEYS}`) throw new Error(`wrong value for es-${i}`);
        }
      }));
      const ms = performance.now() - t0;
      return {
        name, ms,
        logins: vault.count('POST', /^auth\/approle\/login$/) - before.logins,
        reads: vault.count('GET', /^secret\/data\//) - before.reads,
        requests: vault.requests.length - before.all,
      };
    };

    const base = await scenario('no caches (ESO: client per reconcile)', () => ({ sources }));
    const clients = new ClientCache();
    const pooled = await scenario('client cache (token reused)', () => ({ sources, clients }));
    await clients.close();
    const clients2 = new ClientCache();
    const reads = new ReadCache();
    const limiter = new StoreLimiter({ concurrency: 8 });
    const cached = await scenario('client cache + shared read cache (1h window)', () => ({ sources, clients: clients2, reads, readMaxAgeMs: 3_600_000, limiter }));
    await clients2.close();

    printTable(
      [`${REFS} refs over ${KEYS} keys`, 'ms', 'vault requests', 'logins', 'KV reads', 'time vs baseline', 'requests vs baseline'],
      [base, pooled, cached].map((s) => [s.name, s.ms, s.requests, s.logins, s.reads, s.ms / base.ms, s.requests / base.requests]),
    );
  } finally {
    await vault.close();
  }
}
