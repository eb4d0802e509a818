#!/usr/bin/env node
// cloak-controller entry: parse flags once, start, and stop gracefully on SIGTERM/SIGINT. SIGUSR1
// generates a new sealing key (as Bitnami's controller does).
import { isCloakError } from '../src/errors.js';
import { helpText, loadConfig } from './config/index.js';
import { createLogger, errorText } from './log.js';
import { startController, VERSION } from './app.js';

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
  let handle;
  try {
    handle = await startController(config, { log, ...(env.POD_NAME ? { identity: env.POD_NAME } : {}) });
  } catch (e) {
    log.error('start failed', { error: isCloakError(e) ? e.line : errorText(e) });
    return 4;
  }
  const h = handle;
  process.on('SIGUSR1', () => {
    h.rotateKey().then(
      (k) => log.info('key rotated on SIGUSR1', { secret: k.name, fingerprint: k.fingerprint }),
      (e: unknown) => log.error('key rotation on SIGUSR1 failed', { error: errorText(e) }),
    );
  });
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => { log.info('signal received', { signal }); resolve(); };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  const force = setTimeout(() => { log.error('shutdown took too long; exiting'); process.exit(1); }, 20_000);
  force.unref();
  await h.stop();
  return 0;
}

process.exitCode = await main(process.argv.slice(2), process.env);
