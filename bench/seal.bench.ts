// Sealing: CLI cold start vs bare Node, and in-process seal/unseal rates vs OpenSSL's own RSA
// speed and vs node-forge doing the same work, all measured in this run on this machine.
import { execFileSync } from 'node:child_process';
import { constants, createPublicKey, publicEncrypt, randomBytes, verify as cryptoVerify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import forge from 'node-forge';
import { hybridDecrypt, hybridEncrypt, parsePrivateKeyPem, readCertificate } from '../src/crypto/index.js';
import { opsPerSecond, wallTimesInterleavedMs } from './measure.js';
import { printTable } from './table.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const node = process.execPath;

export async function run(): Promise<void> {
  const env = { ...process.env };
  delete env['NODE_EXTRA_CA_CERTS'];
  const secret = readFileSync(`${root}keys-example/secret.yaml`, 'utf8');
  const cloak = `${root}bin/cloak`;
  const sealArgs = ['seal', '--cert', `${root}keys-example/tls.crt`];
  // Flow-style metadata is outside the fast path's YAML subset (cli/fast-seal): commander and the yaml library load.
  const flow = secret.replace(/metadata:\n  name: (\S+)\n  namespace: (\S+)\n/, 'metadata: {name: $1, namespace: $2}\n');
  const [bare, seal, version, normal] = wallTimesInterleavedMs([
    { cmd: node, args: ['-e', '0'], env },
    { cmd: cloak, args: sealArgs, env, input: secret },
    { cmd: cloak, args: ['--version'], env },
    { cmd: cloak, args: sealArgs, env, input: flow },
  ]) as [number, number, number, number];
  printTable(['start-up (median of 21, run in turn, ms)', 'ms', 'ratio vs node -e 0', 'goal'], [
    ['node -e 0', bare, 1, ''],
    ['cloak --version', version, version / bare, ''],
    ['cloak seal (2 items, RSA-4096 cert)', seal, seal / bare, '<= 1.5'],
    ['cloak seal, normal path (same Secret, flow-style metadata)', normal, normal / bare, ''],
  ]);
  process.stdout.write('\n');

  const cert = readCertificate(readFileSync(`${root}keys-example/tls.crt`, 'utf8'), 'tls.crt');
  const [key] = parsePrivateKeyPem(readFileSync(`${root}keys-example/tls.key`, 'utf8'), 'tls.key');
  const label = Buffer.from('demo/db-credentials');
  const value = randomBytes(64);
  const blob = hybridEncrypt(cert.publicKey, value, label);
  const sealRate = await opsPerSecond(() => hybridEncrypt(cert.publicKey, value, label));
  const unsealRate = await opsPerSecond(() => hybridDecrypt(key!.privateKey, blob, label));
  const { sign, verify } = opensslSpeed();
  // The public-op ceiling of the OpenSSL inside this Node (often not the system openssl's version):
  // one RSA-4096 verify per call with the same key, no OAEP and no AES.
  const sig = Buffer.alloc(512, 1);
  const nodeVerify = await opsPerSecond(() => cryptoVerify('sha256', value, cert.publicKey, sig));
  // The floor of the format through Node's API: the one RSA-OAEP call an item needs, nothing else
  // (Node makes a new EVP_PKEY_CTX per call; openssl speed reuses one).
  const sessionKey = randomBytes(32);
  const oaepOnly = { key: cert.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: label };
  // With stack traces off, as src/crypto/hybrid.ts does around its native calls.
  const nodeOaep = await opsPerSecond(() => {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      return publicEncrypt(oaepOnly, sessionKey);
    } finally {
      Error.stackTraceLimit = limit;
    }
  });

  const fPub = forge.pki.publicKeyFromPem(createPublicKey(key!.privateKey).export({ type: 'spki', format: 'pem' }).toString());
  const fPriv = forge.pki.privateKeyFromPem(key!.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
  const oaep = { md: forge.md.sha256.create(), mgf1: { md: forge.md.sha256.create() }, label: label.toString('binary') };
  const forgeSeal = () => {
    const sk = forge.random.getBytesSync(32);
    const c = forge.cipher.createCipher('AES-GCM', sk);
    c.start({ iv: '\0'.repeat(12) });
    c.update(forge.util.createBuffer(value.toString('binary')));
    c.finish();
    return fPub.encrypt(sk, 'RSA-OAEP', oaep) + c.output.getBytes() + c.mode.tag.getBytes();
  };
  const forgeBlob = forgeSeal();
  const forgeUnseal = () => {
    const sk = fPriv.decrypt(forgeBlob.slice(0, 512), 'RSA-OAEP', oaep);
    const d = forge.cipher.createDecipher('AES-GCM', sk);
    d.start({ iv: '\0'.repeat(12), tag: forge.util.createBuffer(forgeBlob.slice(-16)) });
    d.update(forge.util.createBuffer(forgeBlob.slice(512, -16)));
    if (!d.finish()) throw new Error('forge decrypt failed');
  };
  const forgeSealRate = await opsPerSecond(forgeSeal);
  const forgeUnsealRate = await opsPerSecond(forgeUnseal, 3);
  printTable(['RSA-4096 item (64 B value)', 'cloak items/s', 'openssl speed ops/s', 'ratio (goal >= 0.8)', 'node-forge items/s', 'cloak / forge'], [
    ['seal (public op)', sealRate, verify, sealRate / verify, forgeSealRate, sealRate / forgeSealRate],
    ['unseal (private op)', unsealRate, sign, unsealRate / sign, forgeUnsealRate, unsealRate / forgeUnsealRate],
  ]);
  process.stdout.write('\n');
  printTable(['reference: the OpenSSL in this Node', 'ops/s', 'cloak seal / this'], [
    [`crypto.verify RSA-4096 (Node ${process.versions.node}, OpenSSL ${process.versions.openssl})`, nodeVerify, sealRate / nodeVerify],
    ['crypto.publicEncrypt RSA-OAEP-SHA256 of a 32 B session key only', nodeOaep, sealRate / nodeOaep],
  ]);
  const floor = cOaepFloor(`${root}keys-example/tls.crt`);
  process.stdout.write('\n');
  if ('error' in floor) {
    process.stdout.write(`reference in C (bench/native/oaep-floor.c) not measured: ${floor.error}\n`);
  } else {
    printTable(['reference: the same RSA-OAEP step in C, system libcrypto', 'ops/s', 'vs openssl speed verify', 'cloak seal / this'], [
      ['new EVP_PKEY_CTX per item (what Node\'s API does)', floor.fresh, floor.fresh / verify, sealRate / floor.fresh],
      ['one EVP_PKEY_CTX reused (what openssl speed does)', floor.reuse, floor.reuse / verify, sealRate / floor.reuse],
    ]);
  }
}

/** bench/native/oaep-floor.c built with the system C compiler and libcrypto headers, if present. */
function cOaepFloor(cert: string): { fresh: number; reuse: number } | { error: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cloak-oaep-floor-'));
  try {
    const exe = join(dir, 'oaep-floor');
    try {
      execFileSync('cc', ['-O2', '-o', exe, `${root}bench/native/oaep-floor.c`, '-lcrypto'], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch {
      return { error: 'needs cc and the libcrypto headers (Debian: gcc, libssl-dev)' };
    }
    const out = execFileSync(exe, [cert, '2'], { encoding: 'utf8' });
    const fresh = Number(/^new (\S+)/m.exec(out)?.[1]);
    const reuse = Number(/^reuse (\S+)/m.exec(out)?.[1]);
    return fresh > 0 && reuse > 0 ? { fresh, reuse } : { error: `unreadable output: ${out.trim()}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `openssl speed rsa4096`: sign/s is the private-key rate, verify/s the public-key rate. */
function opensslSpeed(): { sign: number; verify: number } {
  const out = execFileSync('openssl', ['speed', '-seconds', '2', 'rsa4096'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const m = /rsa 4096 bits\s+\S+\s+\S+\s+([\d.]+)\s+([\d.]+)/.exec(out);
  if (!m) throw new Error(`cannot read openssl speed output:\n${out}`);
  return { sign: Number(m[1]), verify: Number(m[2]) };
}
