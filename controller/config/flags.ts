// The controller's flags: Bitnami's names where they exist, ours beside them. Every flag has env twins
// CLOAK_<NAME> and SEALED_SECRETS_<NAME> (Bitnami's pflagenv); the command line wins, then CLOAK_, then
// SEALED_SECRETS_. Parsed and validated once into one typed Config.
import { usageError } from '../../src/errors.js';
import { parseDuration } from './duration.js';

type Kind = 'string' | 'bool' | 'int' | 'number' | 'duration';
interface FlagSpec { name: string; kind: Kind; def: string; help: string; alias?: string[] }

export const FLAGS: readonly FlagSpec[] = [
  { name: 'kubeconfig', kind: 'string', def: '', help: 'kubeconfig file; empty means in-cluster config (or $KUBECONFIG)' },
  { name: 'namespace', kind: 'string', def: '', help: 'controller namespace holding the key Secrets and the Lease (default $POD_NAMESPACE, the service-account namespace, else kube-system)' },
  { name: 'key-prefix', kind: 'string', def: 'sealed-secrets-key', help: 'prefix of key Secret names, and the name of the legacy key Secret' },
  { name: 'key-size', kind: 'int', def: '4096', help: 'RSA key size in bits for new keys' },
  { name: 'key-ttl', kind: 'duration', def: '87600h', help: 'validity of new key certificates' },
  { name: 'my-cn', kind: 'string', def: '', help: 'common name of new key certificates' },
  { name: 'key-renew-period', kind: 'duration', def: '720h', help: 'generate a new sealing key this often; 0 disables', alias: ['rotate-period'] },
  { name: 'key-order-priority', kind: 'string', def: 'CertNotBefore', help: 'which time orders keys: CertNotBefore or SecretCreationTimestamp' },
  { name: 'key-cutoff-time', kind: 'string', def: '', help: 'RFC1123Z time (`date -R`); if the newest key is older, generate one at start' },
  { name: 'accept-deprecated-v1-data', kind: 'bool', def: 'true', help: 'accept the legacy spec.data format' },
  { name: 'all-namespaces', kind: 'bool', def: 'true', help: 'watch SealedSecrets in all namespaces (false: the controller namespace only)' },
  { name: 'additional-namespaces', kind: 'string', def: '', help: 'comma-separated extra namespaces to watch; also limits the main watch to the controller namespace' },
  { name: 'label-selector', kind: 'string', def: '', help: 'only SealedSecrets matching this label selector' },
  { name: 'rate-limit', kind: 'number', def: '2', help: 'requests per second per client for /v1/verify and /v1/rotate' },
  { name: 'rate-limit-burst', kind: 'int', def: '2', help: 'burst for /v1/verify and /v1/rotate' },
  { name: 'privatekey-annotations', kind: 'string', def: '', help: 'k=v,... annotations on new key Secrets' },
  { name: 'privatekey-labels', kind: 'string', def: '', help: 'k=v,... labels on new key Secrets' },
  { name: 'old-gc-behavior', kind: 'bool', def: 'false', help: 'delete owned Secrets when their SealedSecret is deleted instead of relying on the garbage collector' },
  { name: 'update-status', kind: 'bool', def: 'true', help: 'maintain status (Synced condition, observedGeneration)' },
  { name: 'watch-for-secrets', kind: 'bool', def: 'true', help: 'accepted for Bitnami compatibility; key Secrets are always watched' },
  { name: 'skip-recreate', kind: 'bool', def: 'false', help: 'do not watch Secrets: deleted or edited Secrets are not repaired until the SealedSecret changes' },
  { name: 'log-info-stdout', kind: 'bool', def: 'true', help: 'INFO to stdout, WARN/ERROR to stderr' },
  { name: 'log-level', kind: 'string', def: 'INFO', help: 'DEBUG, INFO, WARN or ERROR' },
  { name: 'log-format', kind: 'string', def: 'json', help: 'json or text' },
  { name: 'max-unseal-retries', kind: 'int', def: '5', help: 'retries with backoff for a failing SealedSecret before waiting for a change (spec, keys, resync)' },
  { name: 'kubeclient-qps', kind: 'number', def: '50', help: 'API requests per second; negative disables the limit' },
  { name: 'kubeclient-burst', kind: 'int', def: '100', help: 'API request burst' },
  { name: 'kubeclient-timeout', kind: 'duration', def: '30s', help: 'bound on one API request (watches excluded: see --watch-idle-timeout); 0 disables' },
  { name: 'listen-addr', kind: 'string', def: ':8080', help: 'HTTP API address' },
  { name: 'listen-metrics-addr', kind: 'string', def: ':8081', help: 'metrics address' },
  { name: 'read-timeout', kind: 'duration', def: '2m', help: 'HTTP read timeout' },
  { name: 'write-timeout', kind: 'duration', def: '2m', help: 'HTTP write timeout' },
  { name: 'leader-elect', kind: 'bool', def: 'true', help: 'elect a leader through a coordination.k8s.io/v1 Lease; only the leader reconciles and renews keys' },
  { name: 'leader-election-id', kind: 'string', def: 'cloak-controller', help: 'name of the Lease' },
  { name: 'leader-election-lease-duration', kind: 'duration', def: '15s', help: 'how long a Lease is valid without renewal' },
  { name: 'leader-election-renew-deadline', kind: 'duration', def: '10s', help: 'the leader gives up if it cannot renew within this time' },
  { name: 'leader-election-retry-period', kind: 'duration', def: '2s', help: 'how often to try to acquire or renew the Lease' },
  { name: 'workers', kind: 'int', def: '4', help: 'concurrent reconciles' },
  { name: 'enable-sealed-secrets', kind: 'bool', def: 'true', help: 'run the Sealed Secrets half: sealing keys, SealedSecrets and the /v1 API (false: the External Secrets half only)' },
  { name: 'enable-external-secrets', kind: 'bool', def: 'true', help: 'reconcile external-secrets.io/v1 ExternalSecrets (waits quietly until their CRDs are installed)' },
  { name: 'enable-cluster-stores', kind: 'bool', def: 'true', help: 'watch, validate and allow ClusterSecretStores (false: an ExternalSecret naming one fails with a clear message)' },
  { name: 'store-requeue-interval', kind: 'duration', def: '5m', help: 're-validate a SecretStore or ClusterSecretStore this often when its spec.refreshInterval is unset (ESO\'s default)' },
  { name: 'controller-class', kind: 'string', def: 'default', help: 'ESO\'s controller class: stores whose spec.controller is set to another value, and the ExternalSecrets using them, are left to another controller' },
  { name: 'enable-flood-gate', kind: 'bool', def: 'true', help: 'sync an ExternalSecret only from stores whose Ready condition is True (ESO\'s flood gate); the existing Secret is kept meanwhile' },
  { name: 'concurrent', kind: 'int', def: '1', help: 'concurrent ExternalSecret reconciles (ESO\'s --concurrent)' },
  { name: 'provider-qps', kind: 'number', def: '100', help: 'provider calls per second per store (reads the shared cache does not serve); 0 disables the limit' },
  { name: 'provider-burst', kind: 'int', def: '200', help: 'burst of provider calls per store' },
  { name: 'provider-concurrency', kind: 'int', def: '8', help: 'provider calls in flight per store' },
  { name: 'provider-timeout', kind: 'duration', def: '30s', help: 'bound on one provider request (Vault, AWS, kubernetes), store validation included' },
  { name: 'decrypt-threads', kind: 'int', def: '0', help: 'worker threads for RSA decryption; 0 means one per CPU' },
  { name: 'resync-period', kind: 'duration', def: '10m', help: 're-check every SealedSecret this often (repairs anything missed); 0 disables' },
  { name: 'watch-idle-timeout', kind: 'duration', def: '5m', help: 'relist a watched resource when no event arrived for this long' },
  { name: 'queue-qps', kind: 'number', def: '10', help: 'global rate of retried reconciles per second' },
  { name: 'queue-burst', kind: 'int', def: '100', help: 'burst of retried reconciles' },
  { name: 'backoff-base', kind: 'duration', def: '1s', help: 'first retry delay of a failing SealedSecret (doubles per failure)' },
  { name: 'backoff-max', kind: 'duration', def: '5m', help: 'longest retry delay' },
  { name: 'version', kind: 'bool', def: 'false', help: 'print the version and exit' },
  { name: 'help', kind: 'bool', def: 'false', help: 'print this help and exit' },
];

export type RawFlags = Map<string, string>;

/** argv → name→text; errors name the flag. */
export function readFlags(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): RawFlags {
  const byName = new Map<string, FlagSpec>();
  for (const f of FLAGS) { byName.set(f.name, f); for (const a of f.alias ?? []) byName.set(a, f); }
  const out: RawFlags = new Map();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const m = /^--?([a-z0-9-]+)(?:=(.*))?$/s.exec(arg);
    if (!m) throw usageError('UnexpectedArgument', `unexpected argument "${arg}"`, { hint: 'the controller takes only --flags; see --help' });
    let name = m[1] as string;
    let value = m[2];
    let spec = byName.get(name);
    if (!spec && name.startsWith('no-') && byName.get(name.slice(3))?.kind === 'bool' && value === undefined) {
      spec = byName.get(name.slice(3)); value = 'false';
    }
    if (!spec) throw usageError('UnknownFlag', `unknown flag --${name}`, { hint: 'see cloak-controller --help' });
    name = spec.name;
    if (value === undefined) {
      if (spec.kind === 'bool') value = 'true';
      else {
        const next = argv[i + 1];
        if (next === undefined) throw usageError('MissingFlagValue', `flag --${name} needs a value`);
        value = next; i++;
      }
    }
    out.set(name, value);
  }
  for (const spec of FLAGS) {
    if (out.has(spec.name)) continue;
    const envName = spec.name.toUpperCase().replace(/-/g, '_');
    const v = env[`CLOAK_${envName}`] ?? env[`SEALED_SECRETS_${envName}`];
    if (v !== undefined) out.set(spec.name, v);
  }
  return out;
}

export function flagValue(raw: RawFlags, name: string): string {
  const spec = FLAGS.find((f) => f.name === name);
  if (!spec) throw new Error(`no such flag ${name}`);
  return raw.get(name) ?? spec.def;
}

export function boolFlag(raw: RawFlags, name: string): boolean {
  const v = flagValue(raw, name).toLowerCase();
  if (['true', '1', 't', 'yes'].includes(v)) return true;
  if (['false', '0', 'f', 'no'].includes(v)) return false;
  throw usageError('BadFlagValue', `invalid value "${v}" for --${name}: must be true or false`);
}

export function intFlag(raw: RawFlags, name: string, min = -Infinity): number {
  const v = flagValue(raw, name);
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw usageError('BadFlagValue', `invalid value "${v}" for --${name}: must be an integer${min > -Infinity ? ` >= ${min}` : ''}`);
  return n;
}

export function numberFlag(raw: RawFlags, name: string): number {
  const v = flagValue(raw, name);
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw usageError('BadFlagValue', `invalid value "${v}" for --${name}: must be a number`);
  return n;
}

export function durationFlag(raw: RawFlags, name: string): number {
  const v = flagValue(raw, name);
  const ms = parseDuration(v);
  if (ms === undefined) throw usageError('BadFlagValue', `invalid duration "${v}" for --${name}`, { hint: 'use Go duration syntax such as 720h, 15s or 1m30s' });
  return ms;
}

export function helpText(): string {
  const lines = ['Usage: cloak-controller [flags]', '', 'Flags (env: CLOAK_<FLAG> or SEALED_SECRETS_<FLAG>, e.g. CLOAK_KEY_RENEW_PERIOD):'];
  for (const f of FLAGS) {
    const alias = f.alias?.length ? ` (alias --${f.alias.join(', --')})` : '';
    lines.push(`  --${f.name}${f.kind === 'bool' ? '' : ' ' + f.kind}${alias}`);
    lines.push(`      ${f.help}${f.def !== '' && f.name !== 'help' && f.name !== 'version' ? ` (default ${f.def})` : ''}`);
  }
  return lines.join('\n') + '\n';
}
