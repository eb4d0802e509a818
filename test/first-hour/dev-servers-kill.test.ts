// `kill` of `npm run dev-vault` / `npm run dev-aws` (npm, whose `sh -c` does not pass the signal on)
// leaves nothing listening: the servers stop when their parent goes away.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

for (const script of ['dev-vault', 'dev-aws']) {
  test(`kill of \`npm run ${script}\` leaves nothing listening`, async () => {
    const child = spawn('npm', ['run', '--silent', script, '--', '--port', '0'], { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', HOME: tmpdir() }, stdio: ['ignore', 'pipe', 'pipe'] });
    const url = await new Promise<string>((resolve, reject) => {
      let text = '';
      child.stdout.on('data', (c: Buffer) => { text += c.toString(); const m = /listening on (http:\/\/\S+)/.exec(text); if (m) resolve(m[1]!); });
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${text}`)));
    });
    const up = () => fetch(url, { signal: AbortSignal.timeout(2000) }).then(() => true, () => false);
    assert.ok(await up());
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGTERM');
    await exited;
    for (let i = 0; i < 150 && (await up()); i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(await up(), false, `${script} still listens on ${url} after npm was killed`);
  });
}
