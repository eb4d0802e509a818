// Kubernetes Events (core/v1) on the objects we reconcile. Event reasons are constants; messages are
// bounded and never carry values. A failed event write is logged, never fatal.
import type { Json, KubeClient } from '../kube/index.js';
import type { Logger } from '../log.js';
import { errorText } from '../log.js';

export const EventReason = {
  Unsealed: 'Unsealed',
  ErrUnsealFailed: 'ErrUnsealFailed',
  ErrUpdateFailed: 'ErrUpdateFailed',
  // ESO's ExternalSecret event reasons.
  Created: 'Created',
  Updated: 'Updated',
  Deleted: 'Deleted',
  UpdateFailed: 'UpdateFailed',
  // ESO's SecretStore / ClusterSecretStore event reasons.
  Valid: 'Valid',
  InvalidProviderConfig: 'InvalidProviderConfig',
  ValidationUnknown: 'ValidationUnknown',
} as const;
export type EventReason = (typeof EventReason)[keyof typeof EventReason];

export interface EventRecorder {
  event(obj: Readonly<Json>, type: 'Normal' | 'Warning', reason: EventReason, message: string): Promise<void>;
}

export function createEventRecorder(o: { client: KubeClient; component: string; instance: string; log: Logger; now?: () => Date }): EventRecorder {
  const now = o.now ?? (() => new Date());
  return {
    async event(obj, type, reason, message) {
      const m = (obj.metadata ?? {}) as { name?: string; namespace?: string; uid?: string; resourceVersion?: string };
      const t = now().toISOString().replace(/\.\d{3}Z$/, 'Z');
      // Events about cluster-scoped objects (ClusterSecretStore) live in "default", as client-go records them.
      const eventNamespace = m.namespace ?? 'default';
      const body = {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { generateName: `${m.name ?? 'object'}.`, namespace: eventNamespace },
        involvedObject: { apiVersion: obj.apiVersion, kind: obj.kind, name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion },
        reason,
        message: message.length > 1024 ? message.slice(0, 1021) + '...' : message,
        type,
        source: { component: o.component },
        reportingComponent: o.component,
        reportingInstance: o.instance,
        firstTimestamp: t,
        lastTimestamp: t,
        count: 1,
      };
      try {
        await o.client.request('POST', `/api/v1/namespaces/${eventNamespace}/events`, { body });
      } catch (e) {
        o.log.warn('could not record event', { reason, object: `${m.namespace}/${m.name}`, error: errorText(e) });
      }
    },
  };
}
