// A sandbox killed with SIGKILL (no chance to clean up) still leaves no cloak-controller behind: the
// controller notices it was orphaned and shuts down (test/support/sandbox/orphan-guard.ts).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { alive, startSandboxProcess } from '../support/sandbox/process.js';
import { tempDir } from '../support/temp-dir.js';

const home = tempDir('cloak-sandbox-kill-');

test('SIGKILL of the sandbox: its controller exits by itself', async () => {
  const sb = await startSandboxProcess({ home, dir: join(home, 'sandbox'), keySize: 2048 });
  try {
    assert.ok(sb.controllerPid > 0 && alive(sb.controllerPid), sb.output());
    await sb.stop('SIGKILL');
    const until = Date.now() + 20_000;
    while (alive(sb.controllerPid) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    assert.equal(alive(sb.controllerPid), false, 'the controller outlived the SIGKILLed sandbox');
  } finally {
    if (sb.controllerPid > 0 && alive(sb.controllerPid)) process.kill(sb.controllerPid, 'SIGKILL');
  }
});
