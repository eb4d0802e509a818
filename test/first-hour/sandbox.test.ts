// `npm run sandbox` (issue 12), started through npm as a user would: everything is reachable with the
// printed exports (kubectl as admin, the controller through the service proxy, Vault, AWS), a
// kubeconfig with an empty `token:` is anonymous (HTTPS), and `kill` of the npm process stops every
// process and listener the sandbox started and removes its temporary folder.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCloak } from '../support/cloak-cli.js';
import { kubectl } from '../support/deploy/kubectl.js';
import { alive, startSandboxProcess } from '../support/sandbox/process.js';
import { tempDir } from '../support/temp-dir.js';

const home = tempDir('cloak-sandbox-test-');

function listening(url: string): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const s = net.connect(Number(u.port), u.hostname, () => { s.destroy(); resolve(true); });
    s.on('error', () => resolve(false));
  });
}

async function eventually(what: string, ok: () => Promise<boolean> | boolean, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > until) throw new Error(`${what} within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('npm run sandbox: up with the printed exports; kill of npm leaves no process, listener or folder behind', async () => {
  const sb = await startSandboxProcess({ home, viaNpm: true, keySize: 2048 });
  let stopped = false;
  try {
    const { env } = sb;
    assert.match(sb.output(), /^export KUBECONFIG=\S+\/kubeconfig$/m);
    assert.match(sb.output(), /^export PATH=\S+\/bin:"\$PATH"$/m);
    const kubeUrl = /server: (https:\/\/127\.0\.0\.1:\d+)/.exec(readFileSync(env['KUBECONFIG']!, 'utf8'))?.[1];
    assert.ok(kubeUrl, 'the kubeconfig points at an HTTPS server on loopback');
    const controllerUrl = /cloak-controller \(pid \d+\) at (http:\/\/127\.0\.0\.1:\d+)/.exec(sb.output())?.[1];
    assert.ok(controllerUrl && sb.controllerPid > 0, sb.output());

    // The CRDs from deploy/ are installed, and the CLI reaches the controller through the service proxy.
    const crds = await kubectl(['get', 'crd', '-o', 'name'], { kubeconfig: env['KUBECONFIG']! });
    assert.match(crds.stdout, /sealedsecrets\.bitnami\.com/);
    assert.match(crds.stdout, /externalsecrets\.external-secrets\.io/);
    const keys = await runCloak(['keys', 'list', '-o', 'json'], { env: { KUBECONFIG: env['KUBECONFIG']!, HOME: home } });
    assert.equal(keys.code, 0, keys.stderr);
    assert.equal((JSON.parse(keys.stdout) as { keys: unknown[] }).keys.length, 1);
    const vault = await fetch(`${env['VAULT_ADDR']}/v1/sys/health`);
    assert.equal(vault.status, 200);
    assert.ok(await listening(env['AWS_ENDPOINT_URL']!));

    // An empty `token:` is not admin: over HTTPS, no credentials is system:anonymous.
    const anon = join(home, 'anonymous.kubeconfig');
    writeFileSync(anon, readFileSync(env['KUBECONFIG']!, 'utf8').replace(/token: \S+/, 'token: ""'));
    const denied = await kubectl(['get', 'secrets', '-n', 'kube-system'], { kubeconfig: anon });
    assert.equal(denied.code, 1, 'kubectl with an empty token must not list Secrets');
    assert.doesNotMatch(denied.stdout, /sealed-secrets-key/);
    const ca = Buffer.from(/certificate-authority-data: (\S+)/.exec(readFileSync(anon, 'utf8'))![1]!, 'base64').toString('utf8');
    const raw = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      https.get(`${kubeUrl}/api/v1/namespaces/kube-system/secrets`, { ca }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => { body += c.toString(); });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      }).on('error', reject);
    });
    assert.equal(raw.status, 403);
    assert.match(raw.body, /User \\"system:anonymous\\" cannot list resource \\"secrets\\"/);

    // `kill <npm pid>`: npm and its `sh -c` go, and the sandbox notices and stops everything.
    const code = await sb.stop('SIGTERM');
    stopped = true;
    assert.notEqual(code, undefined);
    await eventually('the controller process exits', () => !alive(sb.controllerPid));
    for (const url of [kubeUrl, controllerUrl, env['VAULT_ADDR']!, env['AWS_ENDPOINT_URL']!]) {
      await eventually(`${url} stops listening`, async () => !(await listening(url)));
    }
    await eventually('the temporary folder is removed', () => !existsSync(sb.dir));
  } finally {
    if (!stopped) await sb.stop();
    if (sb.controllerPid > 0 && alive(sb.controllerPid)) process.kill(sb.controllerPid, 'SIGKILL');
  }
});
