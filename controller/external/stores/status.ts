// A store's status as ESO writes it (pkg/controllers/secretstore/common.go, util.go): one Ready
// condition with ESO's reasons and messages (ours appends the real error after ': '), and
// `capabilities` on success. lastTransitionTime moves only when the condition's status flips.
import { stableJson } from '../../../src/external/index.js';
import type { SecretStoreObject } from '../../../src/manifests/external-types.js';

export const StoreReason = {
  Valid: 'Valid',
  InvalidProviderConfig: 'InvalidProviderConfig',
  ValidationUnknown: 'ValidationUnknown',
  ValidationFailed: 'ValidationFailed',
  InvalidStoreConfiguration: 'InvalidStoreConfiguration',
} as const;

export const StoreMessage = {
  validated: 'store validated',
  createClient: 'unable to create client',
  validate: 'unable to validate store',
  unknown: 'could not determine validation status',
} as const;

export type Capabilities = 'ReadOnly' | 'WriteOnly' | 'ReadWrite';

export interface StoreCondition { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }
export interface StoreStatus { conditions?: StoreCondition[]; capabilities?: Capabilities; [k: string]: unknown }

export interface StoreOutcome {
  ready: boolean;
  reason: string;
  message: string;
  /** Set when validation succeeded (ESO writes capabilities only then). */
  capabilities?: Capabilities;
}

export function storeStatusOf(store: SecretStoreObject): StoreStatus {
  return (store.status ?? {}) as StoreStatus;
}

/** The Ready condition of a store (or of any object with ESO-style status conditions). */
export function readyCondition(obj: { status?: Record<string, unknown> }): StoreCondition | undefined {
  return ((obj.status ?? {}) as StoreStatus).conditions?.find((c) => c.type === 'Ready');
}

export function isStoreReady(store: SecretStoreObject | undefined): boolean {
  return store !== undefined && readyCondition(store)?.status === 'True';
}

export function timestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The status `store` should carry after `outcome`; other conditions and fields are kept. */
export function nextStoreStatus(store: SecretStoreObject, outcome: StoreOutcome, now: number): StoreStatus {
  const cur = storeStatusOf(store);
  const old = cur.conditions?.find((c) => c.type === 'Ready');
  const status = outcome.ready ? 'True' : 'False';
  const ready: StoreCondition = {
    type: 'Ready', status, reason: outcome.reason, message: outcome.message,
    lastTransitionTime: old && old.status === status && old.lastTransitionTime ? old.lastTransitionTime : timestamp(now),
  };
  const next: StoreStatus = { ...cur, conditions: [...(cur.conditions ?? []).filter((c) => c.type !== 'Ready'), ready] };
  if (outcome.capabilities) next.capabilities = outcome.capabilities;
  return next;
}

export function sameStatus(a: StoreStatus, b: StoreStatus): boolean {
  return stableJson(a) === stableJson(b);
}
