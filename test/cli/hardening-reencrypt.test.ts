// Offline reencrypt of a file nested 10k deep: a typed one-line error naming the file, not the
// parser's "Maximum call stack size exceeded"; the file is left untouched.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT, runCloak } from '../support/cloak-cli.js';
import { tempDir } from '../support/temp-dir.js';

test('reencrypt of YAML nested 10k deep fails with a typed error and leaves the file alone', async () => {
  const dir = tempDir();
  const file = join(dir, 'deep.yaml');
  const text = `apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: {name: app, namespace: demo}\nspec:\n  encryptedData: {a: AgBB}\n  x: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`;
  writeFileSync(file, text);
  const r = await runCloak(['reencrypt', '--key', join(ROOT, 'keys-example/tls.key'), '--cert', join(ROOT, 'keys-example/tls.crt'), file]);
  assert.equal(r.code, 2, r.stderr);
  const errors = r.stderr.split('\n').filter((l) => l.startsWith('error: '));
  assert.match(errors[0]!, /^error: .*deep\.yaml: nesting deeper than 100 levels \(/);
  assert.ok(!/call stack/i.test(r.stderr), r.stderr);
  assert.equal(readFileSync(file, 'utf8'), text);
});
