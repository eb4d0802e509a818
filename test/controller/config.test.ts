import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig, parseDuration } from '../../controller/config/index.js';
import { isCloakError } from '../../src/errors.js';

const base = { readServiceAccountNamespace: () => undefined };

test('defaults follow Bitnami', () => {
  const c = loadConfig({ argv: [], env: {}, ...base });
  assert.equal(c.namespace, 'kube-system');
  assert.equal(c.keyPrefix, 'sealed-secrets-key');
  assert.equal(c.keyRenewPeriodMs, 720 * 3_600_000);
  assert.equal(c.keySize, 4096);
  assert.deepEqual(c.watchNamespaces, ['']);
  assert.equal(c.listenAddr, ':8080');
  assert.equal(c.listenMetricsAddr, ':8081');
  assert.equal(c.updateStatus, true);
  assert.equal(c.maxUnsealRetries, 5);
  assert.equal(c.leaderElect, true);
});

test('flags, Go booleans and durations; command line beats CLOAK_ beats SEALED_SECRETS_', () => {
  const c = loadConfig({
    argv: ['--all-namespaces=false', '--key-renew-period', '1h30m', '--label-selector=app=x', '--rotate-period=0', '--no-update-status'],
    env: { POD_NAMESPACE: 'sys', CLOAK_KEY_PREFIX: 'mine', SEALED_SECRETS_KEY_PREFIX: 'theirs', SEALED_SECRETS_MAX_UNSEAL_RETRIES: '9', CLOAK_LABEL_SELECTOR: 'ignored' },
    ...base,
  });
  assert.equal(c.namespace, 'sys');
  assert.deepEqual(c.watchNamespaces, ['sys']);
  assert.equal(c.keyPrefix, 'mine');
  assert.equal(c.maxUnsealRetries, 9);
  assert.equal(c.labelSelector, 'app=x');
  assert.equal(c.keyRenewPeriodMs, 0, 'the deprecated alias, given last, wins');
  assert.equal(c.updateStatus, false);
});

test('additional namespaces limit the main watch to the controller namespace', () => {
  const c = loadConfig({ argv: ['--namespace=ctl', '--additional-namespaces=a, b,a'], env: {}, ...base });
  assert.deepEqual(c.watchNamespaces, ['ctl', 'a', 'b']);
});

test('bad values name the flag', () => {
  for (const [argv, needle] of [
    [['--key-prefix=Bad_Prefix'], '--key-prefix'],
    [['--key-renew-period=soon'], '--key-renew-period'],
    [['--all-namespaces=maybe'], '--all-namespaces'],
    [['--bogus'], '--bogus'],
    [['--key-cutoff-time=yesterday'], '--key-cutoff-time'],
    [['--privatekey-labels=novalue'], '--privatekey-labels'],
  ] as const) {
    assert.throws(() => loadConfig({ argv, env: {}, ...base }), (e: unknown) => isCloakError(e) && e.family === 'usage' && e.message.includes(needle));
  }
});

test('Go durations', () => {
  assert.equal(parseDuration('720h0m0s'), 720 * 3_600_000);
  assert.equal(parseDuration('1m30s'), 90_000);
  assert.equal(parseDuration('250ms'), 250);
  assert.equal(parseDuration('0'), 0);
  assert.equal(parseDuration('10'), undefined);
});

test('key cutoff time takes RFC1123Z', () => {
  const c = loadConfig({ argv: ['--key-cutoff-time=Sun, 22 Nov 2026 08:00:00 +0000'], env: {}, ...base });
  assert.equal(c.keyCutoffTime?.toISOString(), '2026-11-22T08:00:00.000Z');
});
