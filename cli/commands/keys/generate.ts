import { mkdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { generateSealingKey } from '../../../src/crypto/keygen.js';
import { inputError, usageError } from '../../../src/errors.js';
import { toYaml } from '../../../src/manifests/documents.js';
import { writeFileAtomic } from '../../../src/manifests/atomic-write.js';
import { keySecretManifest } from '../../../src/sealed/key-secret.js';
import type { CliIo } from '../../io.js';
import type { GenerateFlags } from './index.js';

export async function runGenerate(io: CliIo, f: GenerateFlags): Promise<void> {
  const bits = Number(f.bits);
  if (!Number.isInteger(bits) || bits < 2048 || bits > 16384) throw usageError('BadBits', `invalid --bits "${f.bits}"`, { hint: 'use 2048, 3072 or 4096 (default)' });
  const days = Number(f.validityDays);
  if (!Number.isInteger(days) || days < 1) throw usageError('BadValidity', `invalid --validity-days "${f.validityDays}"`, { hint: 'use a whole number of days, e.g. 3650' });
  const dir = resolve(io.cwd, f.out);
  const files = ['tls.key', 'tls.crt', 'key-secret.yaml'].map((n) => join(dir, n));
  if (!f.force) {
    for (const p of files) {
      if (await stat(p).then(() => true, () => false)) throw inputError('FileExists', 'refusing to overwrite an existing key file', { subject: p, hint: 'choose another --out directory or pass --force' });
    }
  }
  const outIsFile = await stat(dir).then((s) => !s.isDirectory(), () => false);
  if (outIsFile) throw inputError('OutNotDirectory', 'is a file, but --out names the directory to write tls.key, tls.crt and key-secret.yaml into', { subject: f.out, hint: 'pass a new or existing directory, e.g. --out keys' });
  await mkdirs(dir).catch((e: NodeJS.ErrnoException) => {
    throw inputError('OutUnwritable', `cannot create the directory: ${e.code ?? e.message}`, { subject: f.out, hint: 'pass a directory you can write to' });
  });
  const key = await generateSealingKey({ bits, validityDays: days, ...(f.cn ? { commonName: f.cn } : {}) });
  const manifest = keySecretManifest({ namespace: f.namespace, keyPem: key.keyPem, certPem: key.certPem });
  await writeFileAtomic(files[0] as string, key.keyPem, { mode: 0o600 });
  await writeFileAtomic(files[1] as string, key.certPem, { mode: 0o644 });
  await writeFileAtomic(files[2] as string, toYaml(manifest), { mode: 0o600 });
  io.stderr(`generated RSA-${bits} key ${key.fingerprint} in ${f.out} (tls.key is private: keep it out of Git)\n`);
  io.stdout(`${key.fingerprint}\n`);
}

/**
 * `mkdir -p` one level at a time: Node's recursive mkdir loops forever where mkdir answers ENOENT
 * for a parent that exists (`/proc/x`), which hung `keys generate --out /proc/...`.
 */
async function mkdirs(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    if (await stat(d).then(() => true, () => false)) break;
    missing.unshift(d);
    if (dirname(d) === d) break;
  }
  for (const d of missing) {
    await mkdir(d).catch((e: NodeJS.ErrnoException) => { if (e.code !== 'EEXIST') throw e; });
  }
}
