// Config for running one half alone and for the provider timeout: defaults, parsing, one-line errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../controller/config/index.js';
import { isCloakError } from '../../src/errors.js';

const load = (argv: string[], env: Record<string, string> = {}) => loadConfig({ argv, env, readServiceAccountNamespace: () => undefined });

test('both halves and a 30 s provider timeout by default', () => {
  const c = load([]);
  assert.equal(c.enableSealedSecrets, true);
  assert.equal(c.enableExternalSecrets, true);
  assert.equal(c.providerTimeoutMs, 30_000);
});

test('--enable-sealed-secrets=false, --no-enable-sealed-secrets and CLOAK_ENABLE_SEALED_SECRETS', () => {
  assert.equal(load(['--enable-sealed-secrets=false']).enableSealedSecrets, false);
  assert.equal(load(['--no-enable-sealed-secrets']).enableSealedSecrets, false);
  assert.equal(load([], { CLOAK_ENABLE_SEALED_SECRETS: 'false' }).enableSealedSecrets, false);
});

test('both halves disabled is one clear usage error', () => {
  assert.throws(() => load(['--enable-sealed-secrets=false', '--enable-external-secrets=false']), (e: unknown) =>
    isCloakError(e) && !e.line.includes('\n') && /leave nothing to run/.test(e.line));
});

test('--provider-timeout takes the duration syntax and must be positive', () => {
  assert.equal(load(['--provider-timeout=1s']).providerTimeoutMs, 1000);
  assert.equal(load(['--provider-timeout', '1m30s']).providerTimeoutMs, 90_000);
  assert.equal(load(['--provider-timeout=250ms']).providerTimeoutMs, 250);
  assert.throws(() => load(['--provider-timeout=0']), (e: unknown) => isCloakError(e) && /--provider-timeout "0": must be greater than 0/.test(e.line));
  assert.throws(() => load(['--provider-timeout=soon']), (e: unknown) => isCloakError(e) && /invalid duration "soon" for --provider-timeout/.test(e.line));
});
