// The Synced condition and observedGeneration (Bitnami §4.6), written only when they change.
import type { Json } from '../kube/index.js';

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastUpdateTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface SealedStatus {
  observedGeneration?: number;
  conditions?: Condition[];
}

export const MAX_MESSAGE = 1024;

export function syncedCondition(ss: Readonly<Json>): Condition | undefined {
  const status = (ss.status ?? {}) as SealedStatus;
  return status.conditions?.find((c) => c.type === 'Synced');
}

/** The new status, or undefined when nothing we own would change. */
export function nextStatus(ss: Readonly<Json>, outcome: { ok: true } | { ok: false; message: string }, now: Date): SealedStatus | undefined {
  const status = (ss.status ?? {}) as SealedStatus;
  const generation = (ss.metadata as { generation?: number } | undefined)?.generation;
  const old = syncedCondition(ss);
  const wantStatus = outcome.ok ? 'True' : 'False';
  const wantMessage = outcome.ok ? '' : bounded(outcome.message);
  const same = old !== undefined && old.status === wantStatus && (old.message ?? '') === wantMessage && status.observedGeneration === generation;
  if (same) return undefined;
  const stamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const cond: Condition = {
    type: 'Synced',
    status: wantStatus,
    lastUpdateTime: stamp,
    lastTransitionTime: old && old.status === wantStatus && old.lastTransitionTime ? old.lastTransitionTime : stamp,
  };
  if (wantMessage) cond.message = wantMessage;
  const others = (status.conditions ?? []).filter((c) => c.type !== 'Synced');
  const out: SealedStatus = { conditions: [cond, ...others] };
  if (generation !== undefined) out.observedGeneration = generation;
  return out;
}

export function bounded(message: string): string {
  const one = message.replace(/\s+/g, ' ').trim();
  return one.length > MAX_MESSAGE ? one.slice(0, MAX_MESSAGE - 3) + '...' : one;
}
