// `npm run dev-vault -- [--port N] [--root-token T]`: a Vault test server for local experiments.
import '../../../src/node-guard.js';
import { startVaultServer } from './index.js';
import { stopWhenOrphaned } from '../sandbox/parent-watch.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function usage(message: string): never {
  process.stderr.write(`error: dev-vault: ${message} (usage: npm run dev-vault -- [--port N] [--root-token T])\n`);
  process.exit(1);
}
for (const [i, a] of process.argv.slice(2).entries()) {
  if (i % 2 === 0 && a !== '--port' && a !== '--root-token') usage(`unknown argument "${a}"`);
  if (i % 2 === 0 && process.argv[i + 3] === undefined) usage(`${a} needs a value`);
}
const portArg = arg('--port');
const port = portArg === undefined ? 8200 : Number(portArg);
if (!/^\d+$/.test(portArg ?? '8200') || port > 65535) usage(`--port: "${portArg}" is not a port number (0 to 65535)`);
const server = await startVaultServer({ port, rootToken: arg('--root-token') ?? 'root' });
process.stdout.write(`listening on ${server.url}\nroot token: ${server.rootToken}\nunseal key: ${server.unsealKey}\n`);
const stop = () => { void server.close().then(() => process.exit(0)); };
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
stopWhenOrphaned(stop); // `kill <npm pid>` must not leave the server listening
