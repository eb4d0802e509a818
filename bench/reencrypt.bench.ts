// Offline `cloak reencrypt DIR --key OLD --cert NEW` over a repo of files with 4 items each, through
// the real bin/cloak (start-up, worker threads, YAML, writes included), in items/s against the rate
// of RSA-4096 private operations (OAEP decrypt, the op each item needs) that this same Node binary's
// OpenSSL does on 2 threads, measured in this run before and after the re-encryption and averaged.
// BENCH_REENCRYPT_FILES sets the repo size (default 250 files; the issue's row is 1,000).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { encodeBase64, generateSealingKey, hybridEncrypt, readCertificate } from '../src/crypto/index.js';
import { printTable } from './table.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const ITEMS = 4;
const THREADS = 2;

/** OAEP-SHA256 RSA-4096 private decrypts per second on `threads` worker threads of this Node. */
async function nodePrivateOps(keyPem: string, seconds = 2, threads = THREADS): Promise<number> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const c = require('node:crypto');
    const key = c.createPrivateKey(workerData.keyPem);
    const pub = c.createPublicKey(c.createPublicKey(key).export({ type: 'spki', format: 'pem' }));
    const opts = (k) => ({ key: k, padding: c.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: Buffer.from('bench/s') });
    const blob = c.publicEncrypt(opts(pub), c.randomBytes(32));
    for (let i = 0; i < 3; i++) c.privateDecrypt(opts(key), blob);
    let n = 0; const start = performance.now(); const end = start + workerData.seconds * 1000;
    while (performance.now() < end) { c.privateDecrypt(opts(key), blob); n++; }
    parentPort.postMessage(n / ((performance.now() - start) / 1000));`;
  const rates = await Promise.all(Array.from({ length: threads }, () => new Promise<number>((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: { keyPem, seconds } });
    w.once('message', (r: number) => { resolve(r); void w.terminate(); });
    w.once('error', reject);
  })));
  return rates.reduce((a, b) => a + b, 0);
}

export async function run(): Promise<void> {
  const files = Number(process.env['BENCH_REENCRYPT_FILES'] ?? 250);
  const dir = mkdtempSync(join(tmpdir(), 'cloak-bench-reenc-'));
  try {
    const oldKeyPem = readFileSync(`${root}keys-example/tls.key`, 'utf8');
    const oldCert = readCertificate(readFileSync(`${root}keys-example/tls.crt`, 'utf8'), 'tls.crt');
    const next = await generateSealingKey({ bits: 4096 });
    writeFileSync(join(dir, 'new.crt'), next.certPem);
    const repo = join(dir, 'repo');
    for (let i = 0; i < files; i++) {
      const sub = join(repo, `team-${i % 10}`);
      mkdirSync(sub, { recursive: true });
      const name = `app-${i}`;
      const label = Buffer.from(`bench/${name}`);
      const items = Array.from({ length: ITEMS }, (_, k) => `    item-${k}: ${encodeBase64(hybridEncrypt(oldCert.publicKey, Buffer.from(`value-${i}-${k}`), label))}\n`).join('');
      writeFileSync(join(sub, `${name}.yaml`), `# ${name}\napiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: ${name}\n  namespace: bench\n  annotations:\n    cloak.dev/sealing-key: ${oldCert.fingerprint}\nspec:\n  encryptedData:\n${items}  template:\n    metadata:\n      name: ${name}\n      namespace: bench\n`);
    }

    const before = await nodePrivateOps(oldKeyPem);
    const t = performance.now();
    const r = spawnSync(`${root}bin/cloak`, ['reencrypt', repo, '--key', `${root}keys-example/tls.key`, '--cert', join(dir, 'new.crt')], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
    const secs = (performance.now() - t) / 1000;
    if (r.status !== 0) throw new Error(`cloak reencrypt failed: ${r.stderr}`);
    const after = await nodePrivateOps(oldKeyPem);
    const baseline = (before + after) / 2;
    const rate = (files * ITEMS) / secs;
    printTable(['offline reencrypt (RSA-4096, 4 items/file)', 'items', 'seconds', 'items/s', 'Node OpenSSL private ops/s (2 threads)', 'ratio', 'goal'], [
      [`${files} files × ${ITEMS} items, bin/cloak wall time`, files * ITEMS, secs, rate, baseline, rate / baseline, '>= 0.7'],
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
