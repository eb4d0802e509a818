// Sealing: CLI cold start vs bare Node, and in-process seal/unseal rates vs OpenSSL's own RSA
// speed and vs node-forge doing the same work, all measured in this run on this machine.
import { execFileSync } from 'node:child_process';
import { constants, createPublicKey, publicEncrypt, randomBytes, verify as cryptoVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import forge from 'node-forge';
import { hybridDecrypt, hybridEncrypt, parsePrivateKeyPem, readCertificate } from '../src/crypto/index.js';
import { opsPerSecond, wallTimeMs } from './measure.js';
import { printTable } from './table.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const node = process.execPath;

export async function run(): Promise<void> {
  const env = { ...process.env };
  delete env['NODE_EXTRA_CA_CERTS'];
  const secret = readFileSync(`${root}keys-example/secret.yaml`, 'utf8');
  const bare = wallTimeMs(node, ['-e', '0'], { env });
  const seal = wallTimeMs(`${root}bin/cloak`, ['seal', '--cert', `${root}keys-example/tls.crt`], { env, input: secret });
  const version = wallTimeMs(`${root}bin/cloak`, ['--version'], { env });
  // Flow-style metadata is outside the fast path's YAML subset (cli/fast-seal): commander and the yaml library load.
  const normal = wallTimeMs(`${root}bin/cloak`, ['seal', '--cert', `${root}keys-example/tls.crt`], { env, input: secret.replace(/metadata:\n  name: (\S+)\n  namespace: (\S+)\n/, 'metadata: {name: $1, namespace: $2}\n') });
  printTable(['start-up (median of 15, ms)', 'ms', 'ratio vs node -e 0', 'goal'], [
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
  const nodeOaep = await opsPerSecond(() => publicEncrypt(oaepOnly, sessionKey));

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
}

/** `openssl speed rsa4096`: sign/s is the private-key rate, verify/s the public-key rate. */
function opensslSpeed(): { sign: number; verify: number } {
  const out = execFileSync('openssl', ['speed', '-seconds', '2', 'rsa4096'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const m = /rsa 4096 bits\s+\S+\s+\S+\s+([\d.]+)\s+([\d.]+)/.exec(out);
  if (!m) throw new Error(`cannot read openssl speed output:\n${out}`);
  return { sign: Number(m[1]), verify: Number(m[2]) };
}
