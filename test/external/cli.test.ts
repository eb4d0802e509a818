// `cloak external get` as a user runs it: the real binary, ESO example files, masked by default.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { runCloak } from '../support/cloak-cli.js';

const ex = fileURLToPath(new URL('../../../test/fixtures/eso-examples/', import.meta.url));

describe('cloak external get', () => {
  it('prints the golden Secret for fake-provider-es.yaml, masked unless --reveal', async () => {
    const masked = await runCloak(['external', 'get', '-f', `${ex}fake-provider-es.yaml`, '--store', `${ex}fake-provider-store.yaml`]);
    assert.equal(masked.code, 0, masked.stderr);
    const m = parse(masked.stdout) as { metadata: { name: string; annotations: Record<string, string> }; data: Record<string, string> };
    assert.equal(m.metadata.name, 'secret-to-be-created');
    assert.deepEqual(m.data, { foo_bar: '<masked: 6 bytes>', john: '<masked: 3 bytes>' });
    assert.equal(m.metadata.annotations['reconcile.external-secrets.io/data-hash'], '<masked>');
    assert.ok(!masked.stdout.includes('SEVMTE8x') && !masked.stdout.includes('HELLO1'));

    const revealed = await runCloak(['external', 'get', '-f', `${ex}fake-provider-es.yaml`, '--store', `${ex}fake-provider-store.yaml`, '--reveal', '-o', 'json']);
    assert.equal(revealed.code, 0, revealed.stderr);
    const golden = parse((await import('node:fs')).readFileSync(`${ex}fake-provider-secret.yaml`, 'utf8')) as { data: Record<string, string> };
    assert.deepEqual((JSON.parse(revealed.stdout) as { data: Record<string, string> }).data, golden.data);
  });

  it('names the failing entry in one line with the provider exit code', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cloak-external-'));
    try {
      const es = join(dir, 'es.yaml');
      await writeFile(es, (await import('node:fs')).readFileSync(`${ex}fake-provider-es.yaml`, 'utf8').replace('version: v1\n  dataFrom', 'version: v9\n  dataFrom'));
      const r = await runCloak(['external', 'get', '-f', es, '--store', `${ex}fake-provider-store.yaml`]);
      assert.equal(r.code, 4);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, 'error: ExternalSecret default/example spec.data[0] (secretKey "foo_bar", key "/foo/bar", version "v9"): fake ClusterSecretStore "fake" key "/foo/bar" version "v9": secret does not exist\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('missing credentials point at --secret; a missing store is a usage error', async () => {
    const r = await runCloak(['external', 'get', '-f', `${ex}basic-external-secret.yaml`, '--store', `${ex}basic-secret-store.yaml`]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: ExternalSecret default\/example spec.dataFrom\[0\] \(extract key "remote-key-in-the-provider"\): SecretStore default\/secretstore-sample: Secret default\/awssm-secret \(from spec.provider.aws.auth.secretRef.accessKeyIDSecretRef\) not found \(create it, or pass it with --secret\)\n$/);
    const u = await runCloak(['external', 'get', '-f', `${ex}fake-provider-es.yaml`]);
    assert.equal(u.code, 1);
    assert.match(u.stderr, /no store given/);
  });

  it('resolves a Vault example with the token Secret from the same file', async () => {
    const { startVaultServer } = await import('../support/vault/index.js');
    const vault = await startVaultServer({ rootToken: 'root' });
    const dir = await mkdtemp(join(tmpdir(), 'cloak-external-'));
    try {
      await vault.seed({ kv: { 'secret/foo': { 'my-value': 's3cr3t' } }, customMetadata: { 'secret/foo': { dev: 'seth' } } });
      const file = join(dir, 'vault.yaml');
      await writeFile(file, (await import('node:fs')).readFileSync(`${ex}vault-kv2-token-store-and-external-secret.inline.yaml`, 'utf8').replace('http://my.vault.server:8200', vault.url));
      const r = await runCloak(['external', 'get', '-f', file, '--store', file, '--reveal']);
      assert.equal(r.code, 0, r.stderr);
      const s = parse(r.stdout) as { metadata: { name: string }; data: Record<string, string> };
      assert.equal(s.metadata.name, 'example-sync');
      assert.equal(s.data.foobar, 'czNjcjN0'); // the example's own expected value
      assert.equal(Buffer.from(s.data.developer!, 'base64').toString(), 'seth');
    } finally {
      await rm(dir, { recursive: true, force: true });
      await vault.close();
    }
  });
});
