// The work queue every external-secrets.io reconciler uses: ESO retries a failing ExternalSecret,
// store or ClusterExternalSecret with backoff until it succeeds, so retries never run out.
import type { Logger } from '../log.js';
import { WorkQueue } from '../runtime/index.js';

/** The queue settings the three reconcilers share (from the controller's flags). */
export interface RetryQueueSettings {
  workers: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  queueQps: number;
  queueBurst: number;
  log: Logger;
}

export function retryForeverQueue(name: string, o: RetryQueueSettings): WorkQueue {
  return new WorkQueue({
    name,
    concurrency: o.workers,
    baseDelayMs: o.backoffBaseMs,
    maxDelayMs: o.backoffMaxMs,
    maxRetries: Number.MAX_SAFE_INTEGER,
    qps: o.queueQps,
    burst: o.queueBurst,
    log: o.log,
  });
}
