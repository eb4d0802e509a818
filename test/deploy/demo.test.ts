// `npm run demo` (dist/test/support/demo/demo.js) runs end to end and exits 0: install, controller
// under its ServiceAccount, seal with the fetched cert, kubectl apply, rotate, re-encrypt, retire; then
// Vault, a SecretStore + ExternalSecret applied with kubectl, the Secret, a changed value picked up by
// `cloak refresh es`, `kubectl wait --for=condition=Ready es/…`.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
test('the demo runs end to end and exits 0', async () => {
  const r = await new Promise<{ code: number; out: string }>((resolve, reject) => {
    const child = spawn(join(ROOT, 'node_modules/.bin/node'), [join(ROOT, 'dist/test/support/demo/demo.js')], {
      env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent-home', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString('utf8'); });
    child.stderr.on('data', (c: Buffer) => { out += c.toString('utf8'); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
  assert.equal(r.code, 0, r.out);
  for (const expected of [
    '[11/11] Tear down',
    'sealedsecret.bitnami.com/db-credentials created',
    'sealedsecret.bitnami.com/db-credentials condition met',
    'password username',
    'Synced=True',
    'db-credentials.sealed.yaml: re-encrypted 1 SealedSecret',
    'SealedSecret default/db-credentials: ok',
    'retired key SHA256:',
    'secretstore.external-secrets.io/vault created',
    'externalsecret.external-secrets.io/app-db created',
    'externalsecret.external-secrets.io/app-db condition met',
    '$ kubectl get secret app-db -o go-template=… (key names only)\npassword username',
    'externalsecret.external-secrets.io/app-db refreshed',
    "the Secret's password changed: yes, to the new Vault value",
    'app-db  vault  1h       SecretSynced  True',
  ]) {
    assert.ok(r.out.includes(expected), `missing "${expected}" in:\n${r.out}`);
  }
  for (const value of ['demo-only-not-a-real-password', 'vault-value-one', 'vault-value-two', 'demo-root']) {
    assert.ok(!r.out.includes(value), `the demo printed a secret value (${value})`);
  }
});
