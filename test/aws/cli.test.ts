// `npm run dev-aws` (the test server as a process) and the provider's lazy SDK loading.
import { ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';

const node = process.execPath;
const cli = fileURLToPath(new URL('../support/aws/cli.js', import.meta.url));
const provider = new URL('../../src/providers/aws/index.js', import.meta.url).href;

describe('dev-aws and module loading', () => {
  it('starts the server on the given region and credentials, prints how to reach it, and stops on SIGTERM', async () => {
    const child = spawn(node, [cli, '--port', '0', '--access-key-id', 'AKIDDEVAWS0000000001', '--secret-access-key', 'dev-secret', '--region', 'eu-west-1'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    while (!/AWS_ENDPOINT_URL=.*\n/.test(out)) {
      const [chunk] = (await once(child.stdout, 'data')) as [string];
      out += chunk;
    }
    const url = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out)?.[1];
    assert.ok(url, out);
    assert.match(out, /^AWS_ACCESS_KEY_ID=AKIDDEVAWS0000000001$/m);
    assert.match(out, /^AWS_SECRET_ACCESS_KEY=dev-secret$/m);
    const sm = new SecretsManagerClient({ region: 'eu-west-1', endpoint: url, credentials: { accessKeyId: 'AKIDDEVAWS0000000001', secretAccessKey: 'dev-secret' }, maxAttempts: 1 });
    try {
      assert.deepEqual((await sm.send(new ListSecretsCommand({}))).SecretList, []);
    } finally {
      sm.destroy();
    }
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0);
  });

  it('refuses an access key id without its secret', async () => {
    await assert.rejects(promisify(execFile)(node, [cli, '--access-key-id', 'X']), (e: { code?: number; stderr?: string }) => {
      assert.equal(e.code, 1);
      assert.match(e.stderr ?? '', /--access-key-id and --secret-access-key together/);
      return true;
    });
  });

  it('loads the AWS SDK only when a store connects', async () => {
    const script = `
      import { registerHooks } from 'node:module';
      const seen = new Set();
      registerHooks({ resolve(spec, ctx, next) { if (spec.startsWith('@aws-sdk/')) seen.add(spec); return next(spec, ctx); } });
      const { awsProvider } = await import(${JSON.stringify(provider)});
      const before = seen.size;
      const c = await awsProvider.connect({ service: 'SecretsManager', region: 'us-east-1' },
        { store: { kind: 'SecretStore', name: 's' }, secrets: {}, env: { AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' } });
      await c.close();
      console.log(JSON.stringify({ before, after: [...seen].filter((s) => s.startsWith('@aws-sdk/client-')).sort() }));`;
    const { stdout } = await promisify(execFile)(node, ['--input-type=module', '-e', script]);
    assert.deepEqual(JSON.parse(stdout), { before: 0, after: ['@aws-sdk/client-secrets-manager', '@aws-sdk/client-sts'] });
  });
});
