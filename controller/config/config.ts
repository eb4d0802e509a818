// One typed controller configuration, parsed and validated once at start-up.
import { readFileSync } from 'node:fs';
import { usageError } from '../../src/errors.js';
import type { LogLevel } from '../log.js';
import { boolFlag, durationFlag, flagValue, intFlag, numberFlag, readFlags } from './flags.js';

export interface Config {
  kubeconfig: string;
  namespace: string;
  keyPrefix: string;
  keySize: number;
  keyTtlMs: number;
  myCn: string;
  keyRenewPeriodMs: number;
  keyOrderPriority: 'CertNotBefore' | 'SecretCreationTimestamp';
  keyCutoffTime: Date | undefined;
  acceptV1Data: boolean;
  /** Namespaces to watch; [''] means all. */
  watchNamespaces: string[];
  labelSelector: string;
  rateLimit: number;
  rateLimitBurst: number;
  privateKeyAnnotations: Record<string, string>;
  privateKeyLabels: Record<string, string>;
  oldGcBehavior: boolean;
  updateStatus: boolean;
  skipRecreate: boolean;
  log: { level: LogLevel; format: 'json' | 'text'; infoToStdout: boolean };
  maxUnsealRetries: number;
  kubeClientQps: number;
  kubeClientBurst: number;
  kubeClientTimeoutMs: number;
  listenAddr: string;
  listenMetricsAddr: string;
  readTimeoutMs: number;
  writeTimeoutMs: number;
  leaderElect: boolean;
  leaderElectionId: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  workers: number;
  enableSealedSecrets: boolean;
  enableExternalSecrets: boolean;
  enableClusterStores: boolean;
  storeRequeueIntervalMs: number;
  controllerClass: string;
  enableFloodGate: boolean;
  concurrent: number;
  providerQps: number;
  providerBurst: number;
  providerConcurrency: number;
  providerTimeoutMs: number;
  decryptThreads: number;
  resyncPeriodMs: number;
  watchIdleTimeoutMs: number;
  queueQps: number;
  queueBurst: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  version: boolean;
  help: boolean;
}

export interface LoadConfigInput {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  /** Reads the service-account namespace file; injectable for tests. */
  readServiceAccountNamespace?: () => string | undefined;
}

const SA_NAMESPACE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

export function loadConfig(input: LoadConfigInput): Config {
  const raw = readFlags(input.argv, input.env);
  const readSa = input.readServiceAccountNamespace ?? (() => { try { return readFileSync(SA_NAMESPACE, 'utf8').trim(); } catch { return undefined; } });
  const namespace = flagValue(raw, 'namespace') || input.env.POD_NAMESPACE || readSa() || 'kube-system';
  const keyPrefix = flagValue(raw, 'key-prefix');
  if (!/^[a-z0-9-]+$/.test(keyPrefix) || keyPrefix.length > 245) {
    throw usageError('BadFlagValue', `invalid --key-prefix "${keyPrefix}": only lowercase letters, digits and '-', at most 245 characters`);
  }
  const order = flagValue(raw, 'key-order-priority');
  if (order !== 'CertNotBefore' && order !== 'SecretCreationTimestamp') {
    throw usageError('BadFlagValue', `invalid --key-order-priority "${order}": must be CertNotBefore or SecretCreationTimestamp`);
  }
  const cutoffText = flagValue(raw, 'key-cutoff-time');
  let keyCutoffTime: Date | undefined;
  if (cutoffText) {
    keyCutoffTime = new Date(cutoffText);
    if (Number.isNaN(keyCutoffTime.getTime())) {
      throw usageError('BadFlagValue', `invalid --key-cutoff-time "${cutoffText}"`, { hint: 'use RFC1123Z as printed by `date -R`, e.g. "Sun, 22 Nov 2026 08:00:00 +0000"' });
    }
  }
  const additional = splitList(flagValue(raw, 'additional-namespaces'));
  const allNamespaces = boolFlag(raw, 'all-namespaces');
  const watchNamespaces = allNamespaces && additional.length === 0 ? [''] : [...new Set([namespace, ...additional])];
  const level = flagValue(raw, 'log-level').toLowerCase();
  const levels: Record<string, LogLevel> = { debug: 'debug', info: 'info', warn: 'warn', warning: 'warn', error: 'error' };
  const logLevel = levels[level];
  if (!logLevel) throw usageError('BadFlagValue', `invalid --log-level "${level}": must be DEBUG, INFO, WARN or ERROR`);
  const format = flagValue(raw, 'log-format').toLowerCase();
  if (format !== 'json' && format !== 'text') throw usageError('BadFlagValue', `invalid --log-format "${format}": must be json or text`);
  const keySize = intFlag(raw, 'key-size', 2048);
  const leaseDurationMs = durationFlag(raw, 'leader-election-lease-duration');
  const renewDeadlineMs = durationFlag(raw, 'leader-election-renew-deadline');
  const retryPeriodMs = durationFlag(raw, 'leader-election-retry-period');
  if (!(leaseDurationMs > renewDeadlineMs && renewDeadlineMs > retryPeriodMs && retryPeriodMs > 0)) {
    throw usageError('BadFlagValue', 'leader election needs lease-duration > renew-deadline > retry-period > 0', {
      hint: 'e.g. --leader-election-lease-duration=15s --leader-election-renew-deadline=10s --leader-election-retry-period=2s',
    });
  }
  const enableSealedSecrets = boolFlag(raw, 'enable-sealed-secrets');
  const enableExternalSecrets = boolFlag(raw, 'enable-external-secrets');
  if (!enableSealedSecrets && !enableExternalSecrets) {
    throw usageError('BadFlagValue', '--enable-sealed-secrets=false and --enable-external-secrets=false leave nothing to run', { hint: 'enable at least one half' });
  }
  const providerTimeoutMs = durationFlag(raw, 'provider-timeout');
  if (providerTimeoutMs <= 0) throw usageError('BadFlagValue', `invalid --provider-timeout "${flagValue(raw, 'provider-timeout')}": must be greater than 0`);
  return {
    kubeconfig: flagValue(raw, 'kubeconfig') || input.env.KUBECONFIG || '',
    namespace,
    keyPrefix,
    keySize,
    keyTtlMs: durationFlag(raw, 'key-ttl'),
    myCn: flagValue(raw, 'my-cn'),
    keyRenewPeriodMs: durationFlag(raw, 'key-renew-period'),
    keyOrderPriority: order,
    keyCutoffTime,
    acceptV1Data: boolFlag(raw, 'accept-deprecated-v1-data'),
    watchNamespaces,
    labelSelector: flagValue(raw, 'label-selector'),
    rateLimit: numberFlag(raw, 'rate-limit'),
    rateLimitBurst: intFlag(raw, 'rate-limit-burst', 1),
    privateKeyAnnotations: parseKeyValues(flagValue(raw, 'privatekey-annotations'), 'privatekey-annotations'),
    privateKeyLabels: parseKeyValues(flagValue(raw, 'privatekey-labels'), 'privatekey-labels'),
    oldGcBehavior: boolFlag(raw, 'old-gc-behavior'),
    updateStatus: boolFlag(raw, 'update-status'),
    skipRecreate: boolFlag(raw, 'skip-recreate'),
    log: { level: logLevel, format, infoToStdout: boolFlag(raw, 'log-info-stdout') },
    maxUnsealRetries: intFlag(raw, 'max-unseal-retries', 0),
    kubeClientQps: numberFlag(raw, 'kubeclient-qps'),
    kubeClientBurst: intFlag(raw, 'kubeclient-burst', 1),
    kubeClientTimeoutMs: durationFlag(raw, 'kubeclient-timeout'),
    listenAddr: flagValue(raw, 'listen-addr'),
    listenMetricsAddr: flagValue(raw, 'listen-metrics-addr'),
    readTimeoutMs: durationFlag(raw, 'read-timeout'),
    writeTimeoutMs: durationFlag(raw, 'write-timeout'),
    leaderElect: boolFlag(raw, 'leader-elect'),
    leaderElectionId: flagValue(raw, 'leader-election-id'),
    leaseDurationMs,
    renewDeadlineMs,
    retryPeriodMs,
    workers: intFlag(raw, 'workers', 1),
    enableSealedSecrets,
    enableExternalSecrets,
    enableClusterStores: boolFlag(raw, 'enable-cluster-stores'),
    storeRequeueIntervalMs: durationFlag(raw, 'store-requeue-interval'),
    controllerClass: flagValue(raw, 'controller-class'),
    enableFloodGate: boolFlag(raw, 'enable-flood-gate'),
    concurrent: intFlag(raw, 'concurrent', 1),
    providerQps: numberFlag(raw, 'provider-qps'),
    providerBurst: intFlag(raw, 'provider-burst', 1),
    providerConcurrency: intFlag(raw, 'provider-concurrency', 1),
    providerTimeoutMs,
    decryptThreads: intFlag(raw, 'decrypt-threads', 0),
    resyncPeriodMs: durationFlag(raw, 'resync-period'),
    watchIdleTimeoutMs: durationFlag(raw, 'watch-idle-timeout'),
    queueQps: numberFlag(raw, 'queue-qps'),
    queueBurst: intFlag(raw, 'queue-burst', 1),
    backoffBaseMs: durationFlag(raw, 'backoff-base'),
    backoffMaxMs: durationFlag(raw, 'backoff-max'),
    version: boolFlag(raw, 'version'),
    help: boolFlag(raw, 'help'),
  };
}

function splitList(s: string): string[] {
  return s.split(',').map((x) => x.trim()).filter(Boolean);
}

/** `k=v,k2=v2`; unlike Bitnami a value may contain '=' and an item without '=' is an error, not a panic. */
export function parseKeyValues(s: string, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of splitList(s)) {
    const i = item.indexOf('=');
    if (i <= 0) throw usageError('BadFlagValue', `invalid --${flag} item "${item}": expected key=value`);
    out[item.slice(0, i)] = item.slice(i + 1);
  }
  return out;
}

/** ":8080" → { host: undefined, port: 8080 }; "127.0.0.1:0" → { host: "127.0.0.1", port: 0 }. */
export function parseListenAddr(addr: string, flag: string): { host: string | undefined; port: number } {
  const m = /^(.*):(\d+)$/.exec(addr);
  if (!m) throw usageError('BadFlagValue', `invalid --${flag} "${addr}": expected [host]:port`);
  const host = (m[1] as string).replace(/^\[(.*)\]$/, '$1');
  return { host: host || undefined, port: Number(m[2]) };
}
