// `npm run dev-vault -- [--port N] [--root-token T]`: a Vault test server for local experiments.
import { startVaultServer } from './index.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const port = arg('--port');
const server = await startVaultServer({ port: port ? Number(port) : 8200, rootToken: arg('--root-token') ?? 'root' });
process.stdout.write(`listening on ${server.url}\nroot token: ${server.rootToken}\nunseal key: ${server.unsealKey}\n`);
const stop = () => { void server.close().then(() => process.exit(0)); };
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
