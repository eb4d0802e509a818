// One level-triggered ExternalSecret reconcile, in ESO's order: read the ES and its target Secret;
// skip the provider when no refresh is due and the Secret is valid; otherwise fetch, build the
// desired Secret, write it per creationPolicy, then record status and events. A provider failure
// never deletes or blanks an existing Secret; a pass with nothing to do writes nothing.
import { desiredSecret, esLabel, resolveExternalSecret, type EngineSources } from '../../src/external/index.js';
import { isCloakError } from '../../src/errors.js';
import type { ExternalSecretObject } from '../../src/manifests/external-types.js';
import type { ClientCache } from '../../src/providers/shared/client-cache.js';
import type { ReadCache } from '../../src/providers/shared/read-cache.js';
import { EventReason, type EventRecorder } from '../events/index.js';
import type { Json, KubeClient } from '../kube/index.js';
import { isNotFound } from '../kube/index.js';
import type { Logger } from '../log.js';
import { errorText } from '../log.js';
import type { HandlerResult } from '../runtime/index.js';
import { syncedResourceVersion } from './meta-hash.js';
import { isSecretValid, refreshIntervalMs, refreshTimeMs, requeueAfterMs, shouldRefresh, statusOf } from './refresh.js';
import { Message, nextStatus, Reason, timestamp, writeStatus, type ReadyOutcome } from './status.js';
import { controllerOf, planWrite } from './write.js';

export interface ExternalReconcileContext {
  client: KubeClient;
  getExternalSecret(namespace: string, name: string): ExternalSecretObject | undefined;
  sources: EngineSources;
  clients: ClientCache;
  reads: ReadCache;
  recorder: EventRecorder;
  /** Called with the object our status patch returned, so the next pass does not act on a stale cache. */
  statusWritten(key: string, before: ExternalSecretObject, after: ExternalSecretObject): void;
  log: Logger;
  now(): number;
}

/** One line naming what failed (CloakError subjects name the ExternalSecret entry); never values. */
function describe(e: unknown): string {
  return errorText(isCloakError(e) && e.subject ? `${e.subject}: ${e.message}` : e);
}

const secretUrl = (ns: string, name = '') => `/api/v1/namespaces/${ns}/secrets${name ? `/${name}` : ''}`;

export class SyncError extends Error {}

export async function reconcileExternalSecret(key: string, ctx: ExternalReconcileContext, signal?: AbortSignal): Promise<HandlerResult | void> {
  const [namespace, name] = key.split('/') as [string, string];
  const es = ctx.getExternalSecret(namespace, name);
  if (!es || es.metadata.deletionTimestamp) return;
  const start = ctx.now();
  const target = es.spec.target?.name || name;
  const existing = await getSecret(ctx.client, namespace, target);

  const status = async (outcome: ReadyOutcome) => {
    const after = await writeStatus(ctx.client, es, nextStatus(es, outcome, start), signal);
    if (after) ctx.statusWritten(key, es, after);
  };
  const fail = async (message: string, err?: unknown): Promise<never> => {
    const detail = err === undefined ? message : `${message}: ${describe(err)}`;
    await status({ ready: false, reason: Reason.SecretSyncedError, message: detail });
    await ctx.recorder.event(es as unknown as Json, 'Warning', EventReason.UpdateFailed, err === undefined ? message : describe(err));
    throw new SyncError(`${esLabel(es)}: ${detail}`);
  };

  let due: boolean;
  try {
    due = shouldRefresh(es, start);
  } catch (e) {
    return fail(Message.providerError, e); // an unparseable spec.refreshInterval
  }
  if (!due && isSecretValid(existing, es)) {
    const after = requeueAfterMs(es, refreshTimeMs(statusOf(es)), start);
    return after === undefined ? undefined : { requeueAfterMs: after };
  }

  let data;
  try {
    const readMaxAgeMs = refreshIntervalMs(es);
    data = (await resolveExternalSecret(es, { sources: ctx.sources, clients: ctx.clients, reads: ctx.reads, readMaxAgeMs })).data;
  } catch (e) {
    return fail(Message.providerError, e);
  }
  const synced = { refreshTime: timestamp(start), syncedResourceVersion: syncedResourceVersion(es.metadata) };
  const policy = es.spec.target?.creationPolicy ?? 'Owner';
  const deletionPolicy = es.spec.target?.deletionPolicy ?? 'Retain';
  let outcome: ReadyOutcome | undefined;

  if (Object.keys(data).length === 0 && deletionPolicy !== 'Merge') {
    if (deletionPolicy === 'Delete') {
      const owned = existing !== undefined && controllerOf(existing)?.uid === es.metadata.uid;
      if (policy === 'Owner' && owned) {
        try {
          await ctx.client.request('DELETE', secretUrl(namespace, target));
        } catch (e) {
          if (!isNotFound(e)) return fail(Message.deleteError, e);
        }
        await ctx.recorder.event(es as unknown as Json, 'Normal', EventReason.Deleted, Message.deleted);
      }
      outcome = { ready: true, reason: Reason.SecretDeleted, message: Message.deleted, synced };
    } else {
      outcome = { ready: true, reason: Reason.SecretSynced, message: Message.retained, synced };
    }
  } else {
    let desired;
    try {
      desired = await desiredSecret(es, data, { reader: ctx.sources });
      desired.metadata.name = target;
    } catch (e) {
      return fail(Message.updateError, e);
    }
    const plan = planWrite(es, desired, existing);
    if (plan.kind === 'refused') return fail(plan.message);
    if (plan.kind === 'missing') {
      outcome = { ready: true, reason: Reason.SecretMissing, message: Message.mergeMissing, synced };
    } else {
      if (plan.kind === 'create' || plan.kind === 'update') {
        try {
          if (plan.kind === 'create') await ctx.client.request('POST', secretUrl(namespace), { body: plan.body });
          else await ctx.client.request('PUT', secretUrl(namespace, target), { body: plan.body });
        } catch (e) {
          return fail(Message.updateError, e);
        }
        await ctx.recorder.event(es as unknown as Json, 'Normal', plan.kind === 'create' ? EventReason.Created : EventReason.Updated,
          plan.kind === 'create' ? 'secret created' : 'secret updated');
        ctx.log.info(plan.kind === 'create' ? 'secret created' : 'secret updated', { externalSecret: key, secret: `${namespace}/${target}` });
      }
      outcome = { ready: true, reason: Reason.SecretSynced, message: Message.synced, synced: { ...synced, binding: target } };
    }
  }
  await status(outcome);
  const after = requeueAfterMs(es, start, ctx.now());
  return after === undefined ? undefined : { requeueAfterMs: after };
}

async function getSecret(client: KubeClient, namespace: string, name: string): Promise<Json | undefined> {
  try {
    return await client.request<Json>('GET', secretUrl(namespace, name));
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}
