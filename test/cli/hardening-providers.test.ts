// `cloak external get` against provider endpoints that never answer or never stop sending (Vault,
// AWS Secrets Manager, the kubernetes provider): each fails within the timeout or at the size cap
// with one line naming the ExternalSecret entry, the store and the fix, exit 4; no hang, no OOM.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCloak } from '../support/cloak-cli.js';
import { hostileServers } from '../support/hostile-server.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir();
const hostile = hostileServers();
/** The endless answer starts like a Vault KV read, so the reader is deep in a JSON string when it is cut. */
const server = (mode: 'silent' | 'endless') => hostile.start(mode, mode === 'endless' ? '{"data":{"data":{"k":"' : '');

after(() => hostile.close());

const creds = `---
apiVersion: v1
kind: Secret
metadata: {name: creds, namespace: app}
stringData: {token: s.planted-token-value, id: AKIAPLANTED, key: planted-secret-key}
`;
const es = (kind: string) => `---
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata: {name: db, namespace: app}
spec:
  secretStoreRef: {name: ${kind}, kind: SecretStore}
  data: [{secretKey: password, remoteRef: {key: db, property: password}}]
`;
const store = (name: string, provider: string) => `apiVersion: external-secrets.io/v1
kind: SecretStore
metadata: {name: ${name}, namespace: app}
spec:
  provider:
${provider}`;

function write(name: string, text: string): string {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}

function vault(url: string) {
  return store('vault', `    vault: {server: "${url}", path: secret, version: v2, auth: {tokenSecretRef: {name: creds, key: token}}}\n`);
}
function aws() {
  return store('aws', `    aws: {service: SecretsManager, region: eu-central-1, auth: {secretRef: {accessKeyIDSecretRef: {name: creds, key: id}, secretAccessKeySecretRef: {name: creds, key: key}}}}\n`);
}
function kube(url: string) {
  return store('kubernetes', `    kubernetes: {remoteNamespace: default, server: {url: "${url}"}, auth: {token: {bearerToken: {name: creds, key: token}}}}\n`);
}

async function expectFailure(args: string[], env: Record<string, string>, re: RegExp, maxMs: number): Promise<void> {
  const started = Date.now();
  const r = await runCloak(['external', 'get', ...args], { env });
  const took = Date.now() - started;
  assert.equal(r.code, 4, r.stderr);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, /^error: ExternalSecret app\/db spec\.data\[0\] \(secretKey "password", key "db", property "password"\): SecretStore app\/\w+: /);
  assert.match(lines[0]!, re);
  assert.ok(!/planted/.test(r.stderr), 'no credential in the message');
  assert.ok(took < maxMs, `took ${took}ms`);
}

describe('external get: provider deadlines and size caps', () => {
  it('Vault that never answers: fails within --timeout, naming Vault and the fix', async () => {
    const f = write('vault-silent.yaml', `${vault(await server('silent'))}${creds}${es('vault')}`);
    await expectFailure(['-f', f, '--timeout', '1s'], {}, /Vault at http:\/\/127\.0\.0\.1:\d+ did not answer in time .*raise the timeout/, 15_000);
  });

  it('Vault honours CLOAK_TIMEOUT too', async () => {
    const f = write('vault-silent-env.yaml', `${vault(await server('silent'))}${creds}${es('vault')}`);
    await expectFailure(['-f', f], { CLOAK_TIMEOUT: '1s' }, /did not answer in time \(no complete answer within 1000ms\)/, 15_000);
  });

  it('Vault that streams without end: stops at the size cap (or the deadline), never grows without bound', async () => {
    const f = write('vault-endless.yaml', `${vault(await server('endless'))}${creds}${es('vault')}`);
    await expectFailure(['-f', f, '--timeout', '20s'], {}, /Vault at http:\/\/127\.0\.0\.1:\d+ (sent a response larger than \d+ bytes|did not answer in time)/, 60_000);
  });

  it('AWS Secrets Manager that never answers: fails within --timeout per attempt', async () => {
    const f = write('aws-silent.yaml', `${aws()}${creds}${es('aws')}`);
    await expectFailure(['-f', f, '--timeout', '1s'], { AWS_ENDPOINT_URL: await server('silent'), AWS_MAX_ATTEMPTS: '1' },
      /AWS did not answer GetSecretValue in time \(1 attempt\) \(.*raise the timeout/, 15_000);
  });

  it('the kubernetes provider against an API server that never answers', async () => {
    const f = write('kube-silent.yaml', `${kube(await server('silent'))}${creds}${es('kubernetes')}`);
    await expectFailure(['-f', f, '--timeout', '1s'], {}, /Kubernetes API at http:\/\/127\.0\.0\.1:\d+: no complete answer within 1000ms/, 15_000);
  });

  it('an invalid --timeout is a usage error before any request', async () => {
    const f = write('vault-usage.yaml', `${vault('http://127.0.0.1:9')}${creds}${es('vault')}`);
    const r = await runCloak(['external', 'get', '-f', f, '--timeout', 'soon']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^error: invalid CLOAK_TIMEOUT or --timeout "soon"/);
  });
});
