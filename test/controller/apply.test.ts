import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planApply, nextStatus } from '../../controller/sealed/index.js';
import type { SecretObject } from '../../src/sealed/index.js';

const UID = 'uid-1';
const owner = { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', name: 's', uid: UID, controller: true };
const desired = (): SecretObject => ({
  apiVersion: 'v1', kind: 'Secret',
  metadata: { name: 's', namespace: 'n', labels: { app: 'a' }, annotations: { note: 'x' }, ownerReferences: [owner] },
  type: 'Opaque',
  data: { k: 'dg==' },
});
const live = (o: Record<string, unknown> = {}, meta: Record<string, unknown> = {}) => ({
  apiVersion: 'v1', kind: 'Secret',
  metadata: { name: 's', namespace: 'n', resourceVersion: '7', ...meta },
  type: 'Opaque', data: { k: 'dg==' }, ...o,
});

test('creates a missing Secret', () => {
  assert.equal(planApply(undefined, desired(), UID).action, 'create');
});

test('nothing to do when the owned Secret already matches (running twice writes nothing)', () => {
  const existing = live({}, { labels: { app: 'a' }, annotations: { note: 'x' }, ownerReferences: [owner] });
  assert.equal(planApply(existing, desired(), UID).action, 'none');
});

test('restores a hand-edited owned Secret (drift repair), keeping resourceVersion for a conditional update', () => {
  const existing = live({ data: { k: 'aGFja2Vk', extra: 'eA==' } }, { labels: { app: 'a', added: 'y' }, annotations: { note: 'x' }, ownerReferences: [owner] });
  const plan = planApply(existing, desired(), UID);
  assert.equal(plan.action, 'update');
  if (plan.action !== 'update') return;
  assert.deepEqual(plan.secret.data, { k: 'dg==' });
  assert.deepEqual((plan.secret.metadata as { labels: unknown }).labels, { app: 'a' });
  assert.equal((plan.secret.metadata as { resourceVersion: string }).resourceVersion, '7');
});

test('refuses a Secret that is neither owned nor managed', () => {
  assert.equal(planApply(live(), desired(), UID).action, 'unmanaged');
  const ownedByOther = live({}, { ownerReferences: [{ ...owner, uid: 'other' }] });
  assert.equal(planApply(ownedByOther, desired(), UID).action, 'unmanaged');
});

test('managed: overwrite everything and take ownership', () => {
  const existing = live({ data: { old: 'bw==' } }, { annotations: { 'sealedsecrets.bitnami.com/managed': 'true' }, labels: { keep: 'no' } });
  const plan = planApply(existing, desired(), UID);
  assert.equal(plan.action, 'update');
  if (plan.action !== 'update') return;
  assert.deepEqual(plan.secret.data, { k: 'dg==' });
  assert.deepEqual((plan.secret.metadata as { ownerReferences: unknown }).ownerReferences, [owner]);
  assert.deepEqual((plan.secret.metadata as { labels: unknown }).labels, { app: 'a' });
});

test('patch: merge data, labels and annotations; no ownership without managed', () => {
  const existing = live({ data: { old: 'bw==', k: 'b2xk' } }, { annotations: { 'sealedsecrets.bitnami.com/patch': 'true' }, labels: { keep: 'yes' } });
  const plan = planApply(existing, desired(), UID);
  assert.equal(plan.action, 'update');
  if (plan.action !== 'update') return;
  assert.deepEqual(plan.secret.data, { old: 'bw==', k: 'dg==' });
  assert.deepEqual((plan.secret.metadata as { labels: unknown }).labels, { keep: 'yes', app: 'a' });
  assert.equal((plan.secret.metadata as { annotations: Record<string, string> }).annotations['sealedsecrets.bitnami.com/patch'], 'true');
  assert.equal((plan.secret.metadata as { ownerReferences?: unknown }).ownerReferences, undefined);
  const both = live({}, { annotations: { 'sealedsecrets.bitnami.com/patch': 'true', 'sealedsecrets.bitnami.com/managed': 'true' } });
  const p2 = planApply(both, desired(), UID);
  assert.ok(p2.action === 'update' && (p2.secret.metadata as { ownerReferences: unknown }).ownerReferences);
});

test('status: Synced True with observedGeneration, then nothing to write; False keeps its message, transitions move lastTransitionTime', () => {
  const t1 = new Date('2026-01-01T00:00:00Z');
  const t2 = new Date('2026-01-01T00:01:00Z');
  const ss = { metadata: { generation: 2 } };
  const s1 = nextStatus(ss, { ok: true }, t1);
  assert.deepEqual(s1, { observedGeneration: 2, conditions: [{ type: 'Synced', status: 'True', lastUpdateTime: '2026-01-01T00:00:00Z', lastTransitionTime: '2026-01-01T00:00:00Z' }] });
  assert.equal(nextStatus({ ...ss, status: s1 }, { ok: true }, t2), undefined);
  const s2 = nextStatus({ ...ss, status: s1 }, { ok: false, message: 'no key could decrypt secret (a)' }, t2);
  assert.equal(s2?.conditions?.[0]?.status, 'False');
  assert.equal(s2?.conditions?.[0]?.message, 'no key could decrypt secret (a)');
  assert.equal(s2?.conditions?.[0]?.lastTransitionTime, '2026-01-01T00:01:00Z');
  const s3 = nextStatus({ metadata: { generation: 3 }, status: s2 }, { ok: false, message: 'no key could decrypt secret (a)' }, new Date('2026-01-01T00:02:00Z'));
  assert.equal(s3?.observedGeneration, 3);
  assert.equal(s3?.conditions?.[0]?.lastTransitionTime, '2026-01-01T00:01:00Z', 'no flip, no new transition time');
});
