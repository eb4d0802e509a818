// Assembles and runs the controller from one Config: Kubernetes client, key manager, SealedSecret
// controller, leader election, HTTP API and metrics servers. `main.ts` only handles argv and signals.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KEY_LABEL } from '../src/sealed/index.js';
import { parseListenAddr, type Config } from './config/index.js';
import { createEventRecorder } from './events/index.js';
import { ExternalSecretController } from './external/index.js';
import { ClusterExternalSecretController } from './external/ces/index.js';
import { createApiServer, sealedSecretHandlers, type ApiHandlers } from './http/index.js';
import { KeyManager, KeyRegistry } from './keys/index.js';
import { createKubeClient, loadKubeConfig, type KubeClient } from './kube/index.js';
import type { Logger } from './log.js';
import { errorText } from './log.js';
import { createControllerMetrics, createMetricsServer } from './metrics/index.js';
import { Informer, LeaderElector } from './runtime/index.js';
import { DecryptPool, loadTemplateEngine, renderSecretTemplate, SealedSecretController } from './sealed/index.js';

export const VERSION = '0.1.0';

export interface ControllerHandle {
  apiAddress: string;
  metricsAddress: string;
  identity: string;
  isLeader(): boolean;
  rotateKey(): Promise<{ name: string; fingerprint: string }>;
  stop(): Promise<void>;
}

export async function startController(config: Config, o: { log: Logger; identity?: string; client?: KubeClient }): Promise<ControllerHandle> {
  const log = o.log;
  await loadTemplateEngine().catch((e: unknown) => log.error('template engine failed to load; spec.template.data cannot be rendered', { error: errorText(e) }));
  const identity = o.identity ?? `${hostname()}_${randomBytes(4).toString('hex')}`;
  const client = o.client ?? createKubeClient(loadKubeConfig(config.kubeconfig), {
    qps: config.kubeClientQps < 0 ? 0 : config.kubeClientQps,
    burst: config.kubeClientBurst,
    timeoutMs: config.kubeClientTimeoutMs,
    userAgent: `cloak-controller/${VERSION}`,
  });
  const metrics = createControllerMetrics(VERSION);
  const registry = new KeyRegistry();
  // --enable-sealed-secrets=false: no key Secrets informer, no key generation, no SealedSecret controller.
  const sealedOn = config.enableSealedSecrets;
  const keyInformer = !sealedOn ? undefined : new Informer({
    name: 'key-secrets',
    client,
    path: `/api/v1/namespaces/${config.namespace}/secrets`,
    labelSelector: `${KEY_LABEL}=active`,
    idleTimeoutMs: config.watchIdleTimeoutMs,
    log,
    onError: () => metrics.watchRestarts.inc({ resource: 'key-secrets' }),
  });
  const keys = !keyInformer ? undefined : new KeyManager({
    client,
    namespace: config.namespace,
    prefix: config.keyPrefix,
    registry,
    informer: keyInformer,
    renewPeriodMs: config.keyRenewPeriodMs,
    cutoffTime: config.keyCutoffTime,
    keySize: config.keySize,
    keyTtlMs: config.keyTtlMs,
    commonName: config.myCn,
    labels: config.privateKeyLabels,
    annotations: config.privateKeyAnnotations,
    orderPriority: config.keyOrderPriority,
    log,
  });
  const pool = sealedOn ? new DecryptPool(config.decryptThreads) : undefined;
  const recorder = createEventRecorder({ client, component: 'cloak-controller', instance: identity, log });
  const sealed = !pool ? undefined : new SealedSecretController({
    client,
    namespaces: config.watchNamespaces,
    labelSelector: config.labelSelector,
    skipRecreate: config.skipRecreate,
    updateStatus: config.updateStatus,
    oldGcBehavior: config.oldGcBehavior,
    workers: config.workers,
    maxRetries: config.maxUnsealRetries,
    backoffBaseMs: config.backoffBaseMs,
    backoffMaxMs: config.backoffMaxMs,
    queueQps: config.queueQps,
    queueBurst: config.queueBurst,
    resyncPeriodMs: config.resyncPeriodMs,
    watchIdleTimeoutMs: config.watchIdleTimeoutMs,
    keys: registry,
    decrypt: pool.decrypt,
    forgetKey: (fp) => pool.forget(fp),
    renderTemplate: renderSecretTemplate,
    recorder,
    metrics,
    log,
  });

  const external = config.enableExternalSecrets ? new ExternalSecretController({
    client,
    namespaces: config.watchNamespaces,
    workers: config.concurrent,
    providerQps: config.providerQps,
    providerBurst: config.providerBurst,
    providerConcurrency: config.providerConcurrency,
    providerTimeoutMs: config.providerTimeoutMs,
    clusterStores: config.enableClusterStores,
    storeRequeueIntervalMs: config.storeRequeueIntervalMs,
    controllerClass: config.controllerClass,
    floodGate: config.enableFloodGate,
    backoffBaseMs: config.backoffBaseMs,
    backoffMaxMs: config.backoffMaxMs,
    queueQps: config.queueQps,
    queueBurst: config.queueBurst,
    watchIdleTimeoutMs: config.watchIdleTimeoutMs,
    recorder,
    metrics,
    log,
  }) : undefined;
  const clusterExternal = external ? new ClusterExternalSecretController({
    client,
    namespaces: config.watchNamespaces,
    externalSecrets: external.externalSecretCaches, // one ExternalSecret cache for both controllers
    workers: config.concurrent,
    backoffBaseMs: config.backoffBaseMs,
    backoffMaxMs: config.backoffMaxMs,
    queueQps: config.queueQps,
    queueBurst: config.queueBurst,
    watchIdleTimeoutMs: config.watchIdleTimeoutMs,
    metrics,
    log,
  }) : undefined;

  let leading = false;
  if (sealed) registerKeyMetrics(metrics, registry, sealed);
  metrics.registry.gaugeFunc('cloak_leader', '1 when this replica leads (reconciles and renews keys)', () => [{ labels: {}, value: leading ? 1 : 0 }]);

  const decryptKeys = () => registry.all().map((k) => ({ privateKey: k.privateKey, fingerprint: k.fingerprint }));
  const handlers: ApiHandlers = !sealed || !pool ? externalOnlyHandlers(external, clusterExternal) : {
    getCert: () => registry.newest()?.certPem,
    // 409 when the SealedSecret cannot be decrypted, 500 for the controller's own failures (as Bitnami).
    ...sealedSecretHandlers({ keys: decryptKeys, newest: () => registry.newest(), decrypt: pool.decrypt, renderTemplate: renderSecretTemplate }),
    listKeys: async () => {
      const counts = await sealed.countByKey();
      const newest = registry.newest()?.fingerprint;
      return registry.all().map((k) => ({
        name: k.name,
        fingerprint: k.fingerprint,
        created: k.created.toISOString(),
        notAfter: k.notAfter.toISOString(),
        active: true,
        newest: k.fingerprint === newest,
        sealedSecrets: counts.get(k.fingerprint) ?? 0,
        // The legacy key (a Secret named exactly the prefix) is not label-selected: it cannot be retired by relabelling.
        ...(k.name === config.keyPrefix ? { legacy: true } : {}),
        ...(k.rotateRequest ? { rotateRequest: k.rotateRequest } : {}),
      }));
    },
    ready: () => keyInformer?.hasSynced === true && sealed.hasSynced && registry.size > 0,
  };

  const api = createApiServer({
    handlers, metrics, log,
    rateLimit: config.rateLimit, rateLimitBurst: config.rateLimitBurst, sealedSecrets: sealedOn,
    readTimeoutMs: config.readTimeoutMs, writeTimeoutMs: config.writeTimeoutMs,
  });
  const metricsServer = createMetricsServer(metrics.registry);
  const apiAddress = await listen(api, parseListenAddr(config.listenAddr, 'listen-addr'));
  const metricsAddress = await listen(metricsServer, parseListenAddr(config.listenMetricsAddr, 'listen-metrics-addr'));

  // Both ports are bound: say so now (healthz answers; readyz waits for caches and a key).
  log.info('listening', { addr: apiAddress, metricsAddr: metricsAddress, namespace: config.namespace, identity, version: VERSION, leaderElect: config.leaderElect });

  keyInformer?.start();
  sealed?.start();
  external?.start(); // never awaited: absent external-secrets CRDs must not hold up the sealed half or /readyz
  clusterExternal?.start();
  await keyInformer?.synced;
  await keys?.loadLegacy();

  let transition = Promise.resolve();
  const becomeLeader = () => {
    transition = transition.then(async () => {
      leading = true;
      await keys?.startLeading();
      await sealed?.synced();
      if (leading) sealed?.startWorkers();
      if (leading) external?.startWorkers();
      if (leading) clusterExternal?.startWorkers();
    }).catch((e: unknown) => log.error('could not start leading', { error: errorText(e) }));
  };
  const stopLeading = () => {
    transition = transition.then(async () => {
      leading = false;
      keys?.stopLeading();
      await sealed?.stopWorkers();
      await external?.stopWorkers();
      await clusterExternal?.stopWorkers();
    }).catch((e: unknown) => log.error('could not stop leading', { error: errorText(e) }));
  };
  let elector: LeaderElector | undefined;
  if (config.leaderElect) {
    elector = new LeaderElector({
      client, namespace: config.namespace, name: config.leaderElectionId, identity,
      leaseDurationMs: config.leaseDurationMs, renewDeadlineMs: config.renewDeadlineMs, retryPeriodMs: config.retryPeriodMs,
      log, onStartedLeading: becomeLeader, onStoppedLeading: stopLeading,
    });
    elector.start();
  } else {
    becomeLeader();
  }


  let stopping: Promise<void> | undefined;
  return {
    apiAddress,
    metricsAddress,
    identity,
    isLeader: () => leading,
    rotateKey: async () => {
      if (!keys) throw new Error('the Sealed Secrets half is disabled (--enable-sealed-secrets=false): there are no sealing keys');
      const k = await keys.rotate('SIGUSR1');
      return { name: k.name, fingerprint: k.fingerprint };
    },
    stop: () => {
      stopping ??= (async () => {
        log.info('shutting down', { identity });
        await sealed?.stopWorkers();
        await external?.stopWorkers();
        await clusterExternal?.stopWorkers();
        await keys?.stop();
        await elector?.stop();
        await transition;
        await sealed?.stop();
        await external?.stop();
        await clusterExternal?.stop();
        await keyInformer?.stop();
        await Promise.all([close(api), close(metricsServer)]);
        await pool?.close();
        log.info('stopped', { identity });
      })();
      return stopping;
    },
  };
}

/** --enable-sealed-secrets=false: the /v1 endpoints answer 404 before reaching these; /readyz follows the external half. */
function externalOnlyHandlers(external: ExternalSecretController | undefined, clusterExternal: ClusterExternalSecretController | undefined): ApiHandlers {
  const off = () => Promise.reject(new Error('the Sealed Secrets half is disabled (--enable-sealed-secrets=false)'));
  return { getCert: () => undefined, verify: off, rotate: off, listKeys: off, ready: () => (external?.ready ?? false) && (clusterExternal?.ready ?? true) };
}

function registerKeyMetrics(metrics: ReturnType<typeof createControllerMetrics>, registry: KeyRegistry, sealed: SealedSecretController): void {
  const r = metrics.registry;
  r.gaugeFunc('cloak_sealing_keys', 'Number of active sealing keys', () => [{ labels: {}, value: registry.all().length }]);
  r.gaugeFunc('cloak_sealing_key_newest_age_seconds', 'Age of the newest sealing key', () => {
    const n = registry.newest();
    return n ? [{ labels: {}, value: Math.round((Date.now() - n.orderingTime.getTime()) / 1000) }] : [];
  });
  r.gaugeFunc('cloak_sealing_key_cert_expiry_timestamp_seconds', 'Certificate NotAfter of each active key (Unix seconds)', () =>
    registry.all().map((k) => ({ labels: { name: k.name, fingerprint: k.fingerprint }, value: Math.floor(k.notAfter.getTime() / 1000) })));
  r.gaugeFunc('cloak_workqueue_depth', 'Keys waiting in the work queue', () => [{ labels: { name: 'sealedsecrets' }, value: sealed.queue.depth }]);
}

function listen(server: http.Server, addr: { host: string | undefined; port: number }): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(addr.port, addr.host, () => {
      server.off('error', reject);
      const a = server.address() as AddressInfo;
      resolve(`${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`);
    });
  });
}

function close(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
