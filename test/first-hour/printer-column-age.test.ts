// `kubectl get es|secretstore` against the test API server prints date printer columns (AGE, LAST SYNC)
// as ages ("5s", "3m20s"), as the apiserver's CRD table convertor does (ConvertToHumanReadableDateType
// with apimachinery's HumanDuration), not as raw timestamps.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../support/cloak-cli.js';
import { Kubectl, startKubeApiServer } from '../support/kube/index.js';
import { humanAge } from '../support/kube/table.js';

test('humanAge follows HumanDuration', () => {
  const now = Date.parse('2026-01-10T00:00:00Z');
  const ago = (ms: number): string => humanAge(new Date(now - ms).toISOString().replace(/\.\d+Z$/, 'Z'), now);
  const s = 1000, m = 60 * s, h = 60 * m, d = 24 * h;
  assert.deepEqual(
    [ago(0), ago(-1 * s), ago(-5 * s), ago(59 * s), ago(119 * s), ago(2 * m), ago(3 * m + 20 * s), ago(10 * m + 30 * s), ago(179 * m), ago(3 * h), ago(7 * h + 59 * m), ago(8 * h), ago(47 * h), ago(2 * d), ago(3 * d + 4 * h), ago(30 * d), ago(800 * d), ago(3000 * d)],
    ['0s', '0s', '<invalid>', '59s', '119s', '2m', '3m20s', '10m', '179m', '3h', '7h59m', '8h', '47h', '2d', '3d4h', '30d', '2y70d', '8y'],
  );
  assert.equal(humanAge('not a time', now), '<invalid>');
});

test('kubectl get secretstore shows AGE as an age', async () => {
  const server = await startKubeApiServer({ crdDirs: [join(ROOT, 'crds')] });
  const k = new Kubectl();
  try {
    server.writeKubeconfig(k.kubeconfig);
    const apply = await k.run(['apply', '-f', '-'], { input: 'apiVersion: external-secrets.io/v1\nkind: SecretStore\nmetadata: {name: fake, namespace: default}\nspec:\n  provider:\n    fake:\n      data: [{key: a, value: b}]\n' });
    assert.equal(apply.code, 0, apply.stderr);
    const r = await k.run(['get', 'secretstore', 'fake']);
    assert.equal(r.code, 0, r.stderr);
    const [head, row] = r.stdout.trim().split('\n').map((l) => l.trim().split(/\s{2,}/));
    assert.equal(head![1], 'AGE');
    assert.match(row![1]!, /^\d+s$/);
  } finally {
    k.dispose();
    await server.close();
  }
});
