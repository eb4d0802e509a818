// The controller process runs with 8 MB semi-spaces however it was started (it executes itself again
// with the flag, same pid), and an operator's own setting wins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SEMI_SPACE_FLAG, semiSpaceConfigured } from '../../controller/heap-flags.js';
import { startCluster, startController, waitFor } from '../support/controller/harness.js';

const cmdline = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);

test('an explicit --max-semi-space-size (argv or NODE_OPTIONS) is recognised', () => {
  assert.equal(semiSpaceConfigured([], undefined), false);
  assert.equal(semiSpaceConfigured(['--enable-source-maps'], '--max-old-space-size=512'), false);
  assert.equal(semiSpaceConfigured(['--max-semi-space-size=4'], undefined), true);
  assert.equal(semiSpaceConfigured([], '--inspect --max_semi_space_size=32'), true);
  assert.equal(semiSpaceConfigured(['--max-semi-space-size', '8'], ''), true);
});

test('the controller re-executes itself with the semi-space flag (same pid, same arguments); an explicit one is kept', { timeout: 60_000 }, async () => {
  const cluster = await startCluster();
  try {
    const ctl = await startController(cluster);
    try {
      await waitFor('controller ready', async () => (await fetch(`${ctl.api}/readyz`)).status === 200, 30_000, ctl.logs);
      const args = cmdline(ctl.proc.pid!);
      assert.equal(args[1], SEMI_SPACE_FLAG);
      assert.ok(args.some((a) => a.endsWith('controller/main.js')) && args.includes('--namespace=kube-system'), args.join(' '));
    } finally {
      await ctl.stop();
    }
    const own = await startController(cluster, [], { NODE_OPTIONS: '--max-semi-space-size=4' });
    try {
      await waitFor('controller ready', async () => (await fetch(`${own.api}/readyz`)).status === 200, 30_000, own.logs);
      assert.ok(!cmdline(own.proc.pid!).includes(SEMI_SPACE_FLAG), 'not executed again');
    } finally {
      await own.stop();
    }
  } finally {
    await cluster.close();
  }
});
