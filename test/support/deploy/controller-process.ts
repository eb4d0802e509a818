// Runs the real `cloak-controller` process (dist/controller/main.js) against a kubeconfig, waits for
// its "listening" log line, and stops it with SIGTERM. Logs are kept for assertions and failures.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const NODE = join(ROOT, 'node_modules/.bin/node');

export interface ControllerProcess {
  apiUrl: string;
  metricsUrl: string;
  child: ChildProcess;
  logs(): string;
  stop(): Promise<void>;
}

export async function startControllerProcess(o: { kubeconfig: string; namespace?: string; args?: string[]; env?: Record<string, string> }): Promise<ControllerProcess> {
  const args = [
    join(ROOT, 'dist/controller/main.js'),
    `--kubeconfig=${o.kubeconfig}`,
    `--namespace=${o.namespace ?? 'kube-system'}`,
    '--listen-addr=127.0.0.1:0',
    '--listen-metrics-addr=127.0.0.1:0',
    ...(o.args ?? []),
  ];
  const child = spawn(NODE, args, { env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent-home', ...o.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const listening = new Promise<{ addr: string; metricsAddr: string }>((resolve, reject) => {
    const onData = (c: Buffer) => {
      out += c.toString('utf8');
      for (const line of out.split('\n')) {
        if (!line.includes('"listening"')) continue;
        try {
          const j = JSON.parse(line) as { addr: string; metricsAddr: string };
          resolve(j);
        } catch {
          // a partial line; wait for more
        }
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => { out += c.toString('utf8'); });
    child.once('exit', (code) => reject(new Error(`cloak-controller exited with ${code} before listening:\n${out}`)));
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    const { addr, metricsAddr } = await listening;
    return { apiUrl: `http://${addr}`, metricsUrl: `http://${metricsAddr}`, child, logs: () => out, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
