// The 12 whole SealedSecrets in test/fixtures/interop, made by Bitnami's own code: 8 must unseal to
// the expected Secret and 4 must fail, through the library and through `cloak unseal`.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { readDocuments } from '../../src/manifests/documents.js';
import { buildSecret, readPrivateKeys, unsealItems, type SealedSecretObject } from '../../src/sealed/index.js';
import { runCloak, FIXTURES } from '../support/cloak-cli.js';

interface Expect {
  error?: string;
  secret?: { name: string; namespace: string; type: string; labels: Record<string, string>; annotations: Record<string, string>; immutable: boolean | null; data: Record<string, string> };
}

const dir = join(FIXTURES, 'interop/cases');
const cases = readdirSync(dir).filter((f) => f.endsWith('.sealed.yaml')).sort().map((f) => {
  const base = f.replace('.sealed.yaml', '');
  return { base, file: join(dir, f), expect: JSON.parse(readFileSync(join(dir, `${base}.expect.json`), 'utf8')) as Expect };
});
const backup = join(FIXTURES, 'interop/keys/backup.yaml');

function assertSecret(secret: Record<string, unknown>, e: NonNullable<Expect['secret']>, base: string): void {
  const meta = secret['metadata'] as Record<string, unknown>;
  assert.equal(meta['name'], e.name, base);
  assert.equal(meta['namespace'], e.namespace, base);
  assert.equal(secret['type'], e.type, base);
  assert.deepEqual(secret['data'], e.data, base);
  assert.equal(secret['immutable'] ?? null, e.immutable, base);
  for (const [k, v] of Object.entries(e.labels)) assert.equal((meta['labels'] as Record<string, string>)?.[k], v, `${base} label ${k}`);
  for (const [k, v] of Object.entries(e.annotations)) assert.equal((meta['annotations'] as Record<string, string>)?.[k], v, `${base} annotation ${k}`);
  const owner = (meta['ownerReferences'] as Array<Record<string, unknown>>)[0];
  assert.deepEqual({ apiVersion: owner?.['apiVersion'], kind: owner?.['kind'], name: owner?.['name'], controller: owner?.['controller'] },
    { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', name: e.name, controller: true });
}

describe('interop cases through the library', () => {
  const keys = readPrivateKeys(readFileSync(backup, 'utf8'), 'backup.yaml');
  it('reads both controller keys from the v1 List backup', () => {
    assert.equal(keys.length, 2);
    assert.deepEqual(keys.map((k) => k.secretName).sort(), ['sealed-secrets-keyab12c', 'sealed-secrets-keyzz9q1'].sort());
  });
  assert.equal(cases.length, 12);
  for (const c of cases) {
    it(c.base, async () => {
      const [doc] = readDocuments(readFileSync(c.file, 'utf8'), c.base);
      const ss = doc!.object as unknown as SealedSecretObject;
      if (c.expect.error) {
        await assert.rejects(unsealItems(ss, keys), (e: Error) => e.message.startsWith(c.expect.error as string));
        return;
      }
      const { data } = await unsealItems(ss, keys);
      assertSecret(buildSecret(ss, data) as unknown as Record<string, unknown>, c.expect.secret!, c.base);
    });
  }
});

describe('interop cases through `cloak unseal`', () => {
  for (const c of cases) {
    it(c.base, async () => {
      const r = await runCloak(['unseal', '--key', backup, '-f', c.file, '-o', 'json']);
      if (c.expect.error) {
        assert.equal(r.code, 3, r.stderr);
        assert.equal(r.stdout, '');
        assert.match(r.stderr, /^error: SealedSecret [^:]+: no key could decrypt secret \(/);
        assert.equal(r.stderr.trim().split('\n').length, 1, 'one line');
        return;
      }
      assert.equal(r.code, 0, r.stderr);
      assertSecret(JSON.parse(r.stdout), c.expect.secret!, c.base);
    });
  }

  it('prints YAML by default, one Secret per input document', async () => {
    const c = cases[0]!;
    const r = await runCloak(['unseal', '--key', backup], { input: readFileSync(c.file) });
    assert.equal(r.code, 0, r.stderr);
    const secret = parse(r.stdout.replace(/^---\n/, '')) as Record<string, unknown>;
    assertSecret(secret, c.expect.secret!, c.base);
  });

  it('prints a v1 List for several SealedSecrets with -o json', async () => {
    const ok = cases.filter((c) => !c.expect.error).slice(0, 3);
    const r = await runCloak(['unseal', '--key', join(FIXTURES, 'interop/keys/old.key.pem'), '--key', join(FIXTURES, 'interop/keys/new.key.pem'), '-o', 'json'],
      { input: ok.map((c) => readFileSync(c.file, 'utf8')).join('\n') });
    assert.equal(r.code, 0, r.stderr);
    const list = JSON.parse(r.stdout) as { kind: string; items: Array<Record<string, unknown>> };
    assert.equal(list.kind, 'List');
    ok.forEach((c, i) => assertSecret(list.items[i]!, c.expect.secret!, c.base));
  });
});
