// Controller throughput: 1,000 SealedSecrets sealed to 4 active keys, from apply to every Secret
// written, against the in-process Kubernetes test server and the real controller process. The
// baseline is `openssl speed -multi 2 rsa4096` private-key operations per second, measured in this run.
// The test API server runs in this process on the same cores, so its CPU time counts against the controller.
import { execFileSync } from 'node:child_process';
import { printTable } from './table.js';
import { generateSealingKey, readCertificate } from '../src/crypto/index.js';
import { keySecretManifest, sealSecret, unsealItems } from '../src/sealed/index.js';
import { DecryptPool } from '../controller/sealed/index.js';
import { Informer } from '../controller/runtime/index.js';
import { silentLogger } from '../controller/log.js';
import { ensureNamespace, ssPath, startCluster, startController, waitFor } from '../test/support/controller/harness.js';

const COUNT = 1000;
const KEYS = 4;
const NS = 'bench';

function opensslPrivateOps(): number {
  const out = execFileSync('openssl', ['speed', '-multi', '2', '-seconds', '3', 'rsa4096'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const line = out.split('\n').find((l) => /^rsa\s+4096 bits/.test(l));
  const nums = line?.trim().split(/\s+/).slice(3).map((x) => Number(x.replace(/s$/, ''))) ?? [];
  // columns: sign(s) verify(s) sign/s verify/s
  const signPerSec = nums[2];
  if (!signPerSec) throw new Error(`cannot parse openssl speed output:\n${out}`);
  return signPerSec;
}

export async function run(): Promise<void> {
  // Measured before and after the run and averaged: the machine's load drifts during a run.
  const before = opensslPrivateOps();
  const cluster = await startCluster();
  try {
    await ensureNamespace(cluster.client, NS);
    const keys = await Promise.all(Array.from({ length: KEYS }, (_, i) => generateSealingKey({ now: new Date(Date.now() - (KEYS - i) * 86_400_000) })));
    for (const k of keys) {
      await cluster.client.request('POST', '/api/v1/namespaces/kube-system/secrets', { body: keySecretManifest({ namespace: 'kube-system', generateName: 'sealed-secrets-key', keyPem: k.keyPem, certPem: k.certPem }) });
    }
    const certs = keys.map((k) => readCertificate(k.certPem, 'bench'));
    const objects = Array.from({ length: COUNT }, (_, i) => sealSecret({
      where: 'bench', metadata: { name: `s${i}`, namespace: NS },
      items: new Map([['password', Buffer.from(`value-${i}`)]]),
    }, certs[i % KEYS]!));

    // The controller's crypto path alone: the same objects through the decrypt pool, no API traffic.
    const pool = new DecryptPool(2);
    const decryptKeys = keys.map((k) => ({ privateKey: k.privateKey, fingerprint: k.fingerprint })).reverse();
    const poolStart = performance.now();
    await Promise.all(objects.map((o) => unsealItems(o, decryptKeys, pool.decrypt)));
    const poolRate = COUNT / ((performance.now() - poolStart) / 1000);
    await pool.close();

    const ctl = await startController(cluster, ['--decrypt-threads=2', '--workers=16', '--key-renew-period=0', '--resync-period=0']);
    try {
      await waitFor('controller ready', async () => (await fetch(`${ctl.api}/readyz`)).status === 200, 60_000, ctl.logs);
      const written = new Map<string, number>();
      const watcher = new Informer({ name: 'bench', client: cluster.client, path: `/api/v1/namespaces/${NS}/secrets`, log: silentLogger });
      watcher.on({ add: (s) => { const n = (s.metadata as { name: string }).name; if (!written.has(n)) written.set(n, performance.now()); } });
      watcher.start();
      await watcher.synced;

      const applied = new Map<string, number>();
      const start = performance.now();
      let next = 0;
      await Promise.all(Array.from({ length: 16 }, async () => {
        while (next < COUNT) {
          const o = objects[next++]!;
          applied.set(o.metadata.name as string, performance.now());
          await cluster.client.request('POST', ssPath(NS), { body: o });
        }
      }));
      await waitFor('all Secrets', () => written.size >= COUNT, 600_000, ctl.logs);
      const total = (Math.max(...written.values()) - start) / 1000;
      await watcher.stop();
      const latencies = [...applied].map(([n, t]) => (written.get(n) ?? 0) - t).sort((a, b) => a - b);
      const p50 = latencies[Math.floor(latencies.length / 2)] ?? 0;
      const rate = COUNT / total;
      const baseline = (before + opensslPrivateOps()) / 2;
      printTable(['measure', 'value', 'ratio'], [
        ['openssl speed -multi 2 rsa4096 private ops/s (baseline, mean of before/after)', baseline, 1],
        [`controller items/s (${COUNT} SealedSecrets, ${KEYS} keys, apply → Secret)`, rate, rate / baseline],
        ['decrypt pool only: SealedSecrets unsealed/s (2 threads, hinted key first)', poolRate, poolRate / baseline],
        ['total seconds apply → all Secrets written', total, ''],
        ['p50 apply → Secret latency (ms)', p50, ''],
      ]);
    } finally {
      await ctl.stop();
    }
  } finally {
    await cluster.close();
  }
}
