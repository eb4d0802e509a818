// The ExternalSecret refresh decision: ESO's HashMeta against Go's own fmt "%+v" (the hash input),
// shouldRefresh for each refreshPolicy, isSecretValid, and the requeue delay.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { dataHash } from '../../src/external/index.js';
import type { ExternalSecretObject } from '../../src/manifests/external-types.js';
import { hashMeta, isSecretValid, requeueAfterMs, shouldRefresh, syncedResourceVersion } from '../../controller/external/index.js';
import { jitteredIntervalMs } from '../../controller/external/jitter.js';

const GO = `package main
import ("encoding/json"; "fmt"; "os")
type meta struct { annotations map[string]string; labels map[string]string }
func main() {
  var cases []struct{ A map[string]string; L map[string]string }
  if err := json.NewDecoder(os.Stdin).Decode(&cases); err != nil { panic(err) }
  for _, c := range cases { s := fmt.Sprintf("%+v", meta{annotations: c.A, labels: c.L}); fmt.Printf("%q\\n", s) }
}
`;

const metaCases: Array<{ A?: Record<string, string>; L?: Record<string, string> }> = [
  {}, { A: {} }, { L: { team: 'a' } }, { A: { 'force-sync': '1', b: 'x y', 'a.b/c': '' }, L: { z: '1', Z: '2', é: '3', a: '4' } },
];

test('HashMeta: the %+v text agrees with Go, hashed with SHA3-224', { skip: !existsSync('/usr/bin/go') && 'Go not installed' }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cloak-hashmeta-'));
  try {
    await writeFile(join(dir, 'main.go'), GO);
    const run = promisify(execFile)('go', ['run', 'main.go'], { cwd: dir, env: { ...process.env, GO111MODULE: 'off', GOFLAGS: '', GOCACHE: join(dir, 'cache') } });
    run.child.stdin!.end(JSON.stringify(metaCases));
    const lines = (await run).stdout.trim().split('\n').map((l) => JSON.parse(l) as string);
    metaCases.forEach((c, i) => {
      const expected = createHash('sha3-224').update(lines[i]!).digest('hex');
      assert.equal(hashMeta({ annotations: c.A, labels: c.L }), expected, lines[i]);
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

function es(spec: Partial<ExternalSecretObject['spec']>, status?: Record<string, unknown>, meta: Record<string, unknown> = {}): ExternalSecretObject {
  return { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'x', namespace: 'n', generation: 2, ...meta }, spec, ...(status ? { status } : {}) };
}

test('shouldRefresh follows ESO for each policy', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  const base = es({});
  const srv = syncedResourceVersion(base.metadata);
  const at = (iso: string) => ({ refreshTime: iso, syncedResourceVersion: srv });
  assert.equal(shouldRefresh(es({}), now), true, 'never synced');
  assert.equal(shouldRefresh(es({}, at('2026-01-01T11:30:00Z')), now), false, 'default 1h not elapsed');
  assert.equal(shouldRefresh(es({}, at('2026-01-01T10:53:00Z')), now), true, '1h (+10% jitter at most) elapsed');
  assert.equal(shouldRefresh(es({}, at('2026-01-01T12:30:00Z')), now), true, 'refreshTime in the future');
  assert.equal(shouldRefresh(es({}, at('2026-01-01T11:30:00Z'), { annotations: { 'force-sync': '1' } }), now), true, 'metadata changed');
  assert.equal(shouldRefresh(es({}, at('2026-01-01T11:30:00Z'), { generation: 3 }), now), true, 'generation changed');
  assert.equal(shouldRefresh(es({ refreshInterval: '0' }, { ...at('2020-01-01T00:00:00Z'), syncedResourceVersion: 'stale' }), now), false, 'interval 0 once synced');
  assert.equal(shouldRefresh(es({ refreshInterval: '0' }), now), true, 'interval 0 never synced');
  assert.equal(shouldRefresh(es({ refreshPolicy: 'CreatedOnce' }, { ...at('2020-01-01T00:00:00Z'), syncedResourceVersion: 'stale' }), now), false);
  assert.equal(shouldRefresh(es({ refreshPolicy: 'CreatedOnce' }, { syncedResourceVersion: srv }), now), true, 'no refreshTime');
  assert.equal(shouldRefresh(es({ refreshPolicy: 'OnChange' }, at('2020-01-01T00:00:00Z')), now), false);
  assert.equal(shouldRefresh(es({ refreshPolicy: 'OnChange' }, { ...at('2020-01-01T00:00:00Z'), syncedResourceVersion: 'stale' }), now), true);
  assert.equal(requeueAfterMs(es({ refreshInterval: '10m' }), now - 60_000, now), jitteredIntervalMs(600_000, undefined, now - 60_000) - 60_000, 'jittered interval minus the time since');
  assert.equal(requeueAfterMs(es({ refreshInterval: '0' }), now, now), undefined);
  assert.equal(requeueAfterMs(es({ refreshPolicy: 'OnChange' }), now, now), undefined);
});

test('isSecretValid: exists, managed label, data hash matches; Orphan always valid', () => {
  const data = { a: Buffer.from('1').toString('base64') };
  const good = { metadata: { uid: 'u', labels: { 'reconcile.external-secrets.io/managed': 'true' }, annotations: { 'reconcile.external-secrets.io/data-hash': dataHash({ a: new TextEncoder().encode('1') }) } }, data };
  assert.equal(isSecretValid(good, es({})), true);
  assert.equal(isSecretValid(undefined, es({})), false);
  assert.equal(isSecretValid({ ...good, data: { a: Buffer.from('2').toString('base64') } }, es({})), false);
  assert.equal(isSecretValid({ ...good, metadata: { ...good.metadata, labels: {} } }, es({})), false);
  assert.equal(isSecretValid(undefined, es({ target: { creationPolicy: 'Orphan' } })), true);
});
