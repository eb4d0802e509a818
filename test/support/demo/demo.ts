// `npm run demo`: Cloak end to end in under a minute, with no cluster and no network. Starts the
// in-process Kubernetes test server, installs the CRDs and RBAC from deploy/, runs cloak-controller
// under its ServiceAccount, seals a Secret with `cloak seal` (certificate fetched through the API
// server), applies it with kubectl, rotates the key, re-encrypts; then the external half: a Vault test
// server, a SecretStore (token auth) and an ExternalSecret applied with kubectl, the Secret appears,
// the Vault value changes and `cloak refresh es` picks it up; and tears everything down.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startKubeApiServer } from '../kube/index.js';
import { startVaultServer, type VaultTestServer } from '../vault/index.js';
import { installCloak, type Installed } from '../deploy/install.js';
import { kubectl } from '../deploy/kubectl.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const CLOAK = join(ROOT, 'bin/cloak');
const color = process.stdout.isTTY && !process.env.NO_COLOR;
const bold = (s: string) => (color ? `\x1b[1m${s}\x1b[0m` : s);
const dim = (s: string) => (color ? `\x1b[2m${s}\x1b[0m` : s);

let step = 0;
const TOTAL = 11;
const say = (title: string, why: string) => {
  process.stdout.write(`\n${bold(`[${++step}/${TOTAL}] ${title}`)}\n${dim(why)}\n`);
};
const show = (cmd: string, out: string) => {
  process.stdout.write(`$ ${cmd}\n`);
  if (out.trim()) process.stdout.write(out.replace(/\s+$/, '') + '\n');
};

function run(cmd: string, args: string[], o: { env: Record<string, string>; input?: string; cwd: string }): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: o.cwd, env: { PATH: process.env.PATH ?? '', ...o.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString('utf8'); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString('utf8'); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(o.input ?? '');
  });
}

async function main(): Promise<number> {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'cloak-demo-'));
  const server = await startKubeApiServer();
  let installed: Installed | undefined;
  let vault: VaultTestServer | undefined;
  try {
    say('Start a Kubernetes API server', 'An in-process, protocol-faithful test API server (RBAC enforced) stands in for a cluster.');
    process.stdout.write(`API server at ${server.url}\n`);

    say('Install the CRD and the controller\'s RBAC', 'kubectl applies the kustomize base from deploy/ (no pods run here, so the controller is started as a local process in the next step).');
    installed = await installCloak({ server, dir, controllerArgs: [] });
    show('kubectl kustomize deploy/kustomize/base | kubectl apply -f -', installed.applyOutput + (installed.skipped.length ? `(left out, the test server does not serve them: ${installed.skipped.join(', ')})\n` : ''));

    say('Start cloak-controller', 'It runs with the cloak-controller ServiceAccount\'s token, so it can do only what deploy/ grants. It generates its first sealing key.');
    const kc = installed.adminKubeconfig;
    const env = { KUBECONFIG: kc, HOME: dir };
    const argv = installed.controller.child.spawnargs.slice(2).map((a) => a.replace(dir + '/', ''));
    show(`cloak-controller ${argv.join(' ')}   # token of ServiceAccount kube-system/cloak-controller`, `listening on ${installed.controller.apiUrl}, reached through the API server at /api/v1/namespaces/kube-system/services/http:cloak-controller:http/proxy/`);
    const keys0 = await run(CLOAK, ['keys', 'list'], { env, cwd: dir });
    if (keys0.code !== 0) throw new Error(`cloak keys list failed: ${keys0.stderr}`);
    show('cloak keys list', keys0.stdout);

    say('Seal a Secret', '`cloak seal` fetches the controller\'s certificate through the API server and encrypts each value; only the controller can decrypt it.');
    const secret = await kubectl(['create', 'secret', 'generic', 'db-credentials', '-n', 'default', '--from-literal=username=app', '--from-literal=password=demo-only-not-a-real-password', '--dry-run=client', '-o', 'yaml'], { kubeconfig: kc });
    if (secret.code !== 0) throw new Error(`kubectl create secret failed: ${secret.stderr}`);
    const sealedPath = join(dir, 'db-credentials.sealed.yaml');
    const seal = await run(CLOAK, ['seal', '-w', sealedPath], { env, cwd: dir, input: secret.stdout });
    if (seal.code !== 0) throw new Error(`cloak seal failed: ${seal.stderr}`);
    const sealed = `# Safe to commit: only the controller can decrypt these values.\n${readFileSync(sealedPath, 'utf8')}`;
    writeFileSync(sealedPath, sealed);
    show(`kubectl create secret generic db-credentials --from-literal=… --dry-run=client -o yaml | cloak seal -w ${relative(dir, sealedPath)}`, seal.stderr);
    show(`cat ${relative(dir, sealedPath)}`, abbreviate(sealed));

    say('Apply it with kubectl', 'The controller decrypts it into a Secret and reports Synced=True on the SealedSecret.');
    await applyAndWait(sealedPath, kc);
    const keysOf = await kubectl(['get', 'secret', 'db-credentials', '-n', 'default', '-o', 'go-template={{range $k, $v := .data}}{{$k}} {{end}}'], { kubeconfig: kc });
    show('kubectl get secret db-credentials -o go-template=… (key names only; values stay secret)', keysOf.stdout);
    const cond = await kubectl(['get', 'sealedsecret', 'db-credentials', '-n', 'default', '-o', 'jsonpath={range .status.conditions[*]}{.type}={.status}{"\\n"}{end}'], { kubeconfig: kc });
    show('kubectl get sealedsecret db-credentials -o jsonpath={.status.conditions}', cond.stdout);

    say('Rotate the sealing key', '`cloak keys rotate` asks through the Kubernetes API (your RBAC on key Secrets decides); the controller generates the key in the cluster and seals with it at once. The old key still decrypts.');
    const rot = await run(CLOAK, ['keys', 'rotate'], { env, cwd: dir });
    if (rot.code !== 0) throw new Error(`cloak keys rotate failed: ${rot.stderr}`);
    show('cloak keys rotate', rot.stdout);
    show('cloak keys list', (await run(CLOAK, ['keys', 'list'], { env, cwd: dir })).stdout);

    say('Re-encrypt with the new key', '`cloak reencrypt` re-seals in place through the controller; comments and layout stay, only ciphertexts change.');
    const before = readFileSync(sealedPath, 'utf8');
    const re = await run(CLOAK, ['reencrypt', '-f', relative(dir, sealedPath)], { env, cwd: dir });
    if (re.code !== 0) throw new Error(`cloak reencrypt failed: ${re.stderr}`);
    show(`cloak reencrypt -f ${relative(dir, sealedPath)}`, re.stderr);
    const after = readFileSync(sealedPath, 'utf8');
    const changed = before.split('\n').filter((l, i) => l !== after.split('\n')[i]).length;
    process.stdout.write(`${changed} lines changed (the ciphertexts and the key hint); the comment is still there: ${after.startsWith('# Safe to commit') ? 'yes' : 'no'}\n`);
    await applyAndWait(sealedPath, kc);
    await waitObserved(server.url, server.adminToken);
    const validate = await run(CLOAK, ['validate', '-f', relative(dir, sealedPath)], { env, cwd: dir });
    show(`cloak validate -f ${relative(dir, sealedPath)}`, validate.stdout);
    const listed = await run(CLOAK, ['keys', 'list', '-o', 'json'], { env, cwd: dir });
    show('cloak keys list', (await run(CLOAK, ['keys', 'list'], { env, cwd: dir })).stdout);
    const unused = (JSON.parse(listed.stdout) as { keys: Array<{ fingerprint: string; newest: boolean; sealedSecrets: number }> }).keys.find((k) => !k.newest && k.sealedSecrets === 0);
    if (unused) {
      const retire = await run(CLOAK, ['keys', 'retire', unused.fingerprint], { env, cwd: dir });
      if (retire.code !== 0) throw new Error(`cloak keys retire failed: ${retire.stderr}`);
      show(`cloak keys retire ${unused.fingerprint}   # no SealedSecret needs it any more`, retire.stdout);
    }

    vault = await startVaultServer({ rootToken: 'demo-root' });
    await externalHalf(vault, kc, env, dir);

    say('Tear down', 'Stop the controller, the API server and Vault, and remove the temporary files.');
    return 0;
  } catch (e) {
    process.stderr.write(`\ndemo failed: ${e instanceof Error ? e.message : String(e)}\n`);
    if (installed) process.stderr.write(`controller log (last lines):\n${installed.controller.logs().split('\n').slice(-15).join('\n')}\n`);
    return 1;
  } finally {
    await installed?.controller.stop();
    await vault?.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
    process.stdout.write(`done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
}

/** Vault → SecretStore + ExternalSecret → Secret; a changed Vault value picked up by `cloak refresh es`. */
async function externalHalf(vault: VaultTestServer, kc: string, env: Record<string, string>, dir: string): Promise<void> {
  say('Start Vault and store a secret', 'A Vault test server (KV v2 at secret/) holds the database password; the cluster only ever gets a copy.');
  process.stdout.write(`Vault at ${vault.url}\n`);
  await vaultPut(vault, 'demo/db', { username: 'app', password: 'vault-value-one' });
  show(`curl -H "X-Vault-Token: …" -d '{"data":{"username":"app","password":"…"}}' ${vault.url}/v1/secret/data/demo/db`, '');

  say('Apply a SecretStore and an ExternalSecret', 'External Secrets Operator manifests, unchanged: the store logs in with a token from a Secret, the ExternalSecret copies every field of demo/db into the Secret app-db.');
  const tokenSecret = await kubectl(['create', 'secret', 'generic', 'vault-token', '-n', 'default', `--from-literal=token=${vault.rootToken}`], { kubeconfig: kc });
  if (tokenSecret.code !== 0) throw new Error(`kubectl create secret vault-token failed: ${tokenSecret.stderr}`);
  show('kubectl create secret generic vault-token --from-literal=token=…', tokenSecret.stdout);
  const manifests = join(dir, 'app-db.external.yaml');
  writeFileSync(manifests, `apiVersion: external-secrets.io/v1
kind: SecretStore
metadata: {name: vault, namespace: default}
spec:
  provider:
    vault:
      server: ${vault.url}
      path: secret
      version: v2
      auth:
        tokenSecretRef: {name: vault-token, key: token}
---
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata: {name: app-db, namespace: default}
spec:
  refreshInterval: 1h
  secretStoreRef: {name: vault, kind: SecretStore}
  target: {name: app-db}
  dataFrom:
    - extract: {key: demo/db}
`);
  show(`cat ${relative(dir, manifests)}`, readFileSync(manifests, 'utf8'));
  const apply = await kubectl(['apply', '-f', manifests], { kubeconfig: kc });
  if (apply.code !== 0) throw new Error(`kubectl apply of the SecretStore and ExternalSecret failed: ${apply.stderr}`);
  show(`kubectl apply -f ${relative(dir, manifests)}`, apply.stdout);
  await waitReady('es/app-db', kc);
  const keysOf = await kubectl(['get', 'secret', 'app-db', '-n', 'default', '-o', 'go-template={{range $k, $v := .data}}{{$k}} {{end}}'], { kubeconfig: kc });
  show('kubectl get secret app-db -o go-template=… (key names only)', keysOf.stdout);
  const first = await secretValue(kc, 'app-db', 'password');

  say('Change the value in Vault and refresh', 'With refreshInterval: 1h nothing would change for an hour; `cloak refresh es` sets ESO\'s force-sync annotation and the controller syncs at once.');
  await vaultPut(vault, 'demo/db', { username: 'app', password: 'vault-value-two' });
  show('curl … -d \'{"data":{"username":"app","password":"…(new)"}}\' …/v1/secret/data/demo/db', '');
  const refresh = await run(CLOAK, ['refresh', 'es', 'app-db', '-n', 'default'], { env, cwd: dir });
  if (refresh.code !== 0) throw new Error(`cloak refresh es failed: ${refresh.stderr}`);
  show('cloak refresh es app-db', refresh.stdout);
  let second = first;
  for (let i = 0; i < 300 && second === first; i++) {
    await new Promise((r) => setTimeout(r, 100));
    second = await secretValue(kc, 'app-db', 'password');
  }
  if (second === first) throw new Error('the Secret app-db still holds the old value 30 s after cloak refresh es');
  process.stdout.write(`the Secret's password changed: ${second === 'vault-value-two' ? 'yes, to the new Vault value' : 'to an unexpected value'}\n`);
  await waitReady('es/app-db', kc);
  show('cloak external status', (await run(CLOAK, ['external', 'status', '-n', 'default'], { env, cwd: dir })).stdout);
}

async function vaultPut(vault: VaultTestServer, path: string, data: Record<string, string>): Promise<void> {
  const res = await fetch(`${vault.url}/v1/secret/data/${path}`, { method: 'POST', headers: { 'X-Vault-Token': vault.rootToken }, body: JSON.stringify({ data }) });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`Vault write of secret/${path} answered ${res.status}`);
}

async function secretValue(kubeconfig: string, name: string, key: string): Promise<string> {
  const r = await kubectl(['get', 'secret', name, '-n', 'default', '-o', `jsonpath={.data.${key}}`], { kubeconfig });
  return Buffer.from(r.stdout, 'base64').toString('utf8');
}

async function waitReady(target: string, kubeconfig: string): Promise<void> {
  const wait = await kubectl(['wait', '--for=condition=Ready', target, '-n', 'default', '--timeout=30s'], { kubeconfig });
  if (wait.code !== 0) throw new Error(`kubectl wait --for=condition=Ready ${target} failed: ${wait.stderr}`);
  show(`kubectl wait --for=condition=Ready ${target}`, wait.stdout);
}

async function applyAndWait(file: string, kubeconfig: string): Promise<void> {
  const apply = await kubectl(['apply', '-f', file], { kubeconfig });
  if (apply.code !== 0) throw new Error(`kubectl apply failed: ${apply.stderr}`);
  show(`kubectl apply -f ${file.split('/').pop()}`, apply.stdout);
  const wait = await kubectl(['wait', '--for=condition=Synced', 'sealedsecret/db-credentials', '-n', 'default', '--timeout=30s'], { kubeconfig });
  if (wait.code !== 0) throw new Error(`kubectl wait failed: ${wait.stderr}`);
  show('kubectl wait --for=condition=Synced sealedsecret/db-credentials', wait.stdout);
}

/** Waits until the controller has processed the SealedSecret's latest generation. */
async function waitObserved(url: string, token: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const res = await fetch(`${url}/apis/bitnami.com/v1alpha1/namespaces/default/sealedsecrets/db-credentials`, { headers: { Authorization: `Bearer ${token}` } });
    const ss = (await res.json()) as { metadata?: { generation?: number }; status?: { observedGeneration?: number; conditions?: Array<{ type: string; status: string }> } };
    const synced = ss.status?.conditions?.find((c) => c.type === 'Synced')?.status === 'True';
    if (synced && ss.status?.observedGeneration === ss.metadata?.generation) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the controller did not sync the re-encrypted SealedSecret within 30 s');
}

/** Long ciphertexts shortened for the screen. */
function abbreviate(yaml: string): string {
  return yaml.replace(/(: *)(Ag[A-Za-z0-9+/=]{40,})/g, (_m, sep: string, v: string) => `${sep}${v.slice(0, 24)}…(${v.length} chars)`);
}

process.exitCode = await main();
