// `npm run dev-aws -- [--port N] [--access-key-id ID --secret-access-key KEY] [--region R] [--role ARN]…`
// Starts the AWS Secrets Manager + STS test server until interrupted.
import { parseArgs } from 'node:util';
import { startAwsServer } from './index.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'access-key-id': { type: 'string' },
    'secret-access-key': { type: 'string' },
    region: { type: 'string' },
    role: { type: 'string', multiple: true },
  },
});

if ((values['access-key-id'] === undefined) !== (values['secret-access-key'] === undefined)) {
  process.stderr.write('dev-aws: give --access-key-id and --secret-access-key together\n');
  process.exit(1);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`dev-aws: --port must be a port number, got ${values.port}\n`);
  process.exit(1);
}

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
