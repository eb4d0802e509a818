// `npm run dev-cluster -- [--port N] [--kubeconfig FILE] [--crds DIR]… [--https] [--gc]
// [--service NS/NAME=URL]…`: a local API server for the sandbox. Prints where it listens and stays up
// until killed. --service routes the service proxy of NS/NAME to URL (e.g. a controller started by hand);
// without it, Endpoints/EndpointSlices with loopback addresses are routed to, as pods' IPs are.
import '../../../src/node-guard.js';
import { Command } from 'commander';
import { stopWhenOrphaned } from '../sandbox/parent-watch.js';
import { startKubeApiServer } from './index.js';

const program = new Command('dev-cluster')
  .description('protocol-faithful Kubernetes API server for tests and the local sandbox')
  .option('--port <n>', 'port on 127.0.0.1 (0 picks a free one)', '0')
  .option('--kubeconfig <file>', 'write an admin kubeconfig here')
  .option('--crds <dir>', 'install the CRDs in this folder (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
  .option('--token <token>', 'admin bearer token (random by default)')
  .option('--https', 'serve HTTPS with a generated CA')
  .option('--gc', 'run the garbage collector and namespace controller')
  .option('--service <ns/name=url>', 'route the service proxy of NS/NAME to URL (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
  .action(async (o: { port: string; kubeconfig?: string; crds: string[]; token?: string; https?: boolean; gc?: boolean; service: string[] }) => {
    const port = Number(o.port);
    if (!/^\d+$/.test(o.port) || port > 65535) program.error(`error: dev-cluster: --port: "${o.port}" is not a port number (0 to 65535)`, { exitCode: 1 });
    const routes = o.service.map((v) => parseServiceRoute(v) ?? program.error(`error: dev-cluster: --service: "${v}" is not NAMESPACE/NAME=http://127.0.0.1:PORT`, { exitCode: 1 }));
    const server = await startKubeApiServer({ port, crdDirs: o.crds, https: !!o.https, garbageCollector: !!o.gc, record: false, ...(o.token ? { adminToken: o.token } : {}) });
    for (const r of routes) await server.registerServiceProxy(r.namespace, r.name, r.url);
    if (o.kubeconfig) server.writeKubeconfig(o.kubeconfig);
    process.stdout.write(`listening on ${server.url}\n`);
    if (o.kubeconfig) process.stdout.write(`kubeconfig written to ${o.kubeconfig}\n`);
    for (const r of routes) process.stdout.write(`service ${r.namespace}/${r.name} → ${r.url}\n`);
    const stop = (): void => { void server.close().then(() => process.exit(0)); };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    stopWhenOrphaned(stop); // `kill <npm pid>` must not leave the server listening
  });

/** `NS/NAME=URL` with an http(s) URL; undefined when malformed. */
function parseServiceRoute(v: string): { namespace: string; name: string; url: string } | undefined {
  const m = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-a-z0-9]*[a-z0-9])?)=(https?:\/\/.+)$/.exec(v);
  if (!m) return undefined;
  try { new URL(m[5]!); } catch { return undefined; }
  return { namespace: m[1]!, name: m[3]!, url: m[5]! };
}

await program.parseAsync(process.argv);
