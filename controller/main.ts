#!/usr/bin/env node
// cloak-controller entry: parse flags once, start, and stop gracefully on SIGTERM/SIGINT. SIGUSR1
// generates a new sealing key (as Bitnami's controller does), on the leader only.
import '../src/node-guard.js';
import './heap-flags.js';

// Loaded after heap-flags.ts, which may execute the process again: the program is loaded once.
await import('../src/regexp-guard.js');
const { isCloakError } = await import('../src/errors.js');
const { helpText, loadConfig } = await import('./config/index.js');
const { createLogger, errorText } = await import('./log.js');
const { startController, VERSION } = await import('./app.js');

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let config;
  try {
    config = loadConfig({ argv, env });
  } catch (e) {
    process.stderr.write(`error: ${isCloakError(e) ? e.line : errorText(e)}\n`);
    return 1;
  }
  if (config.help) { process.stdout.write(helpText()); return 0; }
  if (config.version) { process.stdout.write(`controller version: ${VERSION}\n`); return 0; }
  const log = createLogger({ level: config.log.level, format: config.log.format, infoToStdout: config.log.infoToStdout });
  let started = false;
  const stopped = new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info('signal received', { signal });
      // Still starting (e.g. the API server is unreachable): nothing to hand over, just exit.
      if (!started) process.exit(0);
      resolve();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  let handle;
  try {
    handle = await startController(config, { log, ...(env.POD_NAME ? { identity: env.POD_NAME } : {}) });
  } catch (e) {
    log.error('start failed', { error: isCloakError(e) ? e.line : errorText(e) });
    return 4;
  }
  started = true;
  const h = handle;
  process.on('SIGUSR1', () => {
    // Only the leader makes keys: a follower generating one would race the leader's own key schedule.
    if (!h.isLeader()) { log.warn('SIGUSR1 ignored: this replica is not the leader; send it to the leader', { identity: h.identity }); return; }
    h.rotateKey().then(
      (k) => log.info('key rotated on SIGUSR1', { secret: k.name, fingerprint: k.fingerprint }),
      (e: unknown) => log.error('key rotation on SIGUSR1 failed', { error: errorText(e) }),
    );
  });
  await stopped;
  const force = setTimeout(() => { log.error('shutdown took too long; exiting'); process.exit(1); }, 20_000);
  force.unref();
  await h.stop();
  return 0;
}

// Exit explicitly: idle keep-alive connections to the API server must not hold the process open.
process.exit(await main(process.argv.slice(2), process.env));
