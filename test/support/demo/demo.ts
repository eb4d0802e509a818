// `npm run demo`: Cloak end to end in under a minute, with no cluster and no network. Starts the
// in-process Kubernetes test server, installs the CRD and RBAC from deploy/, runs cloak-controller
// under its ServiceAccount, seals a Secret with `cloak seal` (certificate fetched through the API
// server), applies it with kubectl, rotates the key, re-encrypts, and tears everything down.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startKubeApiServer } from '../kube/index.js';
import { installCloak, type Installed } from '../deploy/install.js';
import { kubectl } from '../deploy/kubectl.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const CLOAK = join(ROOT, 'bin/cloak');
const color = process.stdout.isTTY && !process.env.NO_COLOR;
const bold = (s: string) => (color ? `\x1b[1m${s}\x1b[0m` : s);
const dim = (s: string) => (color ? `\x1b[2m${s}\x1b[0m` : s);

let step = 0;
const TOTAL = 8;
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

    say('Tear down', 'Stop the controller and the API server, and remove the temporary files.');
    return 0;
  } catch (e) {
    process.stderr.write(`\ndemo failed: ${e instanceof Error ? e.message : String(e)}\n`);
    if (installed) process.stderr.write(`controller log (last lines):\n${installed.controller.logs().split('\n').slice(-15).join('\n')}\n`);
    return 1;
  } finally {
    await installed?.controller.stop();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
    process.stdout.write(`done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
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
