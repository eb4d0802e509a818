// `npm run dev-aws -- [--port N] [--access-key-id ID --secret-access-key KEY] [--region R] [--role ARN]…`
// Starts the AWS Secrets Manager + STS test server until interrupted.
import '../../../src/node-guard.js';
import { parseArgs } from 'node:util';
import { startAwsServer } from './index.js';
import { stopWhenOrphaned } from '../sandbox/parent-watch.js';

function usage(message: string): never {
  process.stderr.write(`error: dev-aws: ${message} (usage: npm run dev-aws -- [--port N] [--access-key-id ID --secret-access-key KEY] [--region R] [--role ARN]...)\n`);
  process.exit(1);
}
const parsed = (() => { try { return parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'access-key-id': { type: 'string' },
    'secret-access-key': { type: 'string' },
    region: { type: 'string' },
    role: { type: 'string', multiple: true },
  },
}); } catch (e) { return usage((e as Error).message.split('\n')[0]!); } })();
const { values } = parsed;

if ((values['access-key-id'] === undefined) !== (values['secret-access-key'] === undefined)) {
  usage('give --access-key-id and --secret-access-key together');
}
const port = Number(values.port);
if (!/^\d+$/.test(values.port) || port > 65535) usage(`--port: "${values.port}" is not a port number (0 to 65535)`);

const server = await startAwsServer({
  port,
  ...(values['access-key-id'] !== undefined ? { accessKeyId: values['access-key-id'] } : {}),
  ...(values['secret-access-key'] !== undefined ? { secretAccessKey: values['secret-access-key'] } : {}),
  ...(values.region !== undefined ? { region: values.region } : {}),
});
for (const arn of values.role ?? []) server.createRole(arn);

process.stdout.write(
  `listening on ${server.url}\n` +
    `region: ${server.region}\n` +
    `AWS_ACCESS_KEY_ID=${server.credentials.accessKeyId}\n` +
    `AWS_SECRET_ACCESS_KEY=${server.credentials.secretAccessKey}\n` +
    `AWS_ENDPOINT_URL=${server.url}\n`,
);

const stop = () => {
  void server.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
stopWhenOrphaned(stop); // `kill <npm pid>` must not leave the server listening
