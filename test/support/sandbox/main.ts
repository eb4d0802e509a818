// `npm run sandbox -- [--dir DIR] [--key-size BITS]`: the test API server, Vault and AWS test servers and the real
// cloak-controller together, until Ctrl-C or SIGTERM. Prints the `export …` lines for another shell
// (also in DIR/env.sh) and stops every process it started on exit. Without --dir, a temporary folder
// is used and removed on exit.
import '../../../src/node-guard.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { stopWhenOrphaned } from './parent-watch.js';
import { startSandbox, type Sandbox } from './start.js';

function usage(message: string): never {
  process.stderr.write(`error: sandbox: ${message} (usage: npm run sandbox -- [--dir DIR] [--key-size BITS])\n`);
  process.exit(1);
}
const { values } = (() => { try { return parseArgs({ options: { dir: { type: 'string' }, 'key-size': { type: 'string' } } }); } catch (e) { return usage((e as Error).message.split('\n')[0]!); } })();
const keySize = values['key-size'] === undefined ? undefined : Number(values['key-size']);
if (keySize !== undefined && (!/^\d+$/.test(values['key-size']!) || keySize < 2048)) usage(`--key-size: "${values['key-size']}" is not a number of bits (2048 or more)`);
const temporary = values.dir === undefined;
const dir = temporary ? mkdtempSync(join(tmpdir(), 'cloak-sandbox-')) : resolve(values.dir!);

let sandbox: Sandbox | undefined;
let stopping = false;
const shutdown = (code: number): void => {
  if (stopping) return;
  stopping = true;
  process.stderr.write('sandbox: stopping\n');
  void (sandbox?.stop() ?? Promise.resolve()).then(() => {
    if (temporary) rmSync(dir, { recursive: true, force: true });
    process.exit(code);
  });
};
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => shutdown(0));
// `kill <npm pid>` ends npm and its shell, not us: stop then too, so nothing is left listening.
stopWhenOrphaned(() => shutdown(0));
// Last resort if this process dies without the signal handlers: never leave the controller behind.
process.on('exit', () => { if (sandbox && sandbox.controller.child.exitCode === null) sandbox.controller.child.kill('SIGKILL'); });

try {
  sandbox = await startSandbox({ dir, ...(keySize ? { keySize } : {}), log: (line) => process.stderr.write(`sandbox: ${line}\n`) });
} catch (e) {
  process.stderr.write(`error: sandbox: ${(e as Error).message}\n`);
  shutdown(1);
}
if (sandbox && !stopping) {
  sandbox.controller.child.once('exit', (code) => {
    if (stopping) return;
    process.stderr.write(`error: sandbox: cloak-controller exited (${code}); last log lines:\n${sandbox!.controller.logs().split('\n').slice(-10).join('\n')}\n`);
    shutdown(1);
  });
  process.stdout.write(`# Cloak sandbox is up. In another shell, run (or: . ${join(dir, 'env.sh')}):\n${sandbox.exports}# Ctrl-C here stops everything.\n`);
}
