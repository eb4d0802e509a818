// planWrite: what each creationPolicy does with the target Secret (Owner adopts unowned Secrets and
// refuses ones another controller owns; Merge never creates; None never writes; immutable refused),
// and that a Secret already matching means no write.
import { test } from 'node:test';
import { createHash } from 'node:crypto';
import assert from 'node:assert/strict';
import { desiredSecret } from '../../src/external/index.js';
import type { ExternalSecretObject } from '../../src/manifests/external-types.js';
import type { Json } from '../../controller/kube/index.js';
import { fieldManager, ownerReference, planWrite } from '../../controller/external/index.js';

const enc = (s: string) => new TextEncoder().encode(s);
function es(creationPolicy?: 'Owner' | 'Orphan' | 'Merge' | 'None', immutable?: boolean): ExternalSecretObject {
  return {
    apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret',
    metadata: { name: 'app', namespace: 'n', uid: 'uid-1' },
    spec: { target: { ...(creationPolicy ? { creationPolicy } : {}), ...(immutable ? { immutable } : {}) } },
  };
}
const existing = (extra: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): Json => ({
  apiVersion: 'v1', kind: 'Secret', metadata: { name: 'app', namespace: 'n', uid: 's', resourceVersion: '5', labels: { keep: 'me' }, ...meta },
  type: 'Opaque', data: { old: Buffer.from('x').toString('base64') }, ...extra,
});

test('Owner: create with a controller ownerReference, adopt an unowned Secret, refuse a foreign owner', async () => {
  const e = es();
  const desired = await desiredSecret(e, { a: enc('1') });
  const created = planWrite(e, desired, undefined);
  assert.equal(created.kind, 'create');
  const createdBy = createHash('sha3-224').update('n/app').digest('hex');
  assert.deepEqual((created as { body: Json }).body.metadata, {
    ...desired.metadata, labels: { ...desired.metadata.labels, 'reconcile.external-secrets.io/created-by': createdBy }, ownerReferences: [ownerReference(e)],
  }, 'ESO\'s created-by label: sha3-224 of "<namespace>/<name>"');

  const adopted = planWrite(e, desired, existing());
  assert.equal(adopted.kind, 'update');
  const body = (adopted as { body: Json }).body as { metadata: { labels: Record<string, string>; ownerReferences: unknown[]; resourceVersion: string }; data: Record<string, string> };
  assert.deepEqual(body.data, desired.data, 'the Secret holds exactly the fetched data');
  assert.equal(body.metadata.labels.keep, 'me', 'foreign labels kept');
  assert.equal(body.metadata.labels['reconcile.external-secrets.io/created-by'], createdBy, 'an adopted Secret gets created-by too');
  assert.equal(body.metadata.resourceVersion, '5', 'optimistic concurrency');
  assert.deepEqual(body.metadata.ownerReferences, [ownerReference(e)]);

  assert.equal(planWrite(e, desired, body as unknown as Json).kind, 'noop', 'already matching: no write');
  const other = { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', name: 'b', uid: 'uid-2', controller: true };
  assert.deepEqual(planWrite(e, desired, existing({}, { ownerReferences: [other] })), { kind: 'refused', message: 'target is owned by another ExternalSecret' });
  assert.deepEqual(planWrite(e, desired, existing({}, { ownerReferences: [{ ...other, kind: 'Deployment' }] })), { kind: 'refused', message: 'failed to take ownership of target secret' });
});

test('Orphan, Merge, None and immutable', async () => {
  const orphan = es('Orphan');
  const d = await desiredSecret(orphan, { a: enc('1') });
  const p = planWrite(orphan, d, undefined);
  assert.equal(p.kind, 'create');
  assert.equal(((p as { body: Json }).body.metadata as { ownerReferences?: unknown }).ownerReferences, undefined);
  assert.equal(((p as { body: Json }).body.metadata as { labels: Record<string, string> }).labels['reconcile.external-secrets.io/created-by'], undefined, 'created-by only with Owner');

  const merge = es('Merge');
  const dm = await desiredSecret(merge, { a: enc('1') });
  assert.deepEqual(planWrite(merge, dm, undefined), { kind: 'missing' });
  const merged = planWrite(merge, dm, existing()) as { kind: string; body: { data: Record<string, string>; metadata: { annotations: Record<string, string> } } };
  assert.equal(merged.kind, 'update');
  assert.deepEqual(Object.keys(merged.body.data).sort(), ['a', 'old'], 'Merge keeps existing keys');
  assert.notEqual(merged.body.metadata.annotations['reconcile.external-secrets.io/data-hash'], dm.metadata.annotations!['reconcile.external-secrets.io/data-hash'], 'hash of the merged data');

  assert.deepEqual(planWrite(es('None'), d, undefined), { kind: 'noop' });
  assert.deepEqual(planWrite(es(), d, existing({ immutable: true })), { kind: 'refused', message: 'could not update secret, target is immutable' });
});

test('field manager: ESO\'s fqdnFor (the ExternalSecret name, SHA3-224 past 63 characters)', () => {
  assert.equal(fieldManager(es()), 'externalsecrets.external-secrets.io/app');
  const long = { ...es(), metadata: { ...es().metadata, name: 'a'.repeat(40) } };
  assert.equal(fieldManager(long), `externalsecrets.external-secrets.io/sha3/${createHash('sha3-224').update('a'.repeat(40)).digest('hex')}`);
  const edge = { ...es(), metadata: { ...es().metadata, name: 'b'.repeat(63 - 'externalsecrets.external-secrets.io/'.length) } };
  assert.equal(fieldManager(edge).length, 63, 'exactly 63 stays readable');
});
