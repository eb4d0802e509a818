// The ClusterExternalSecret controller's pure parts: namespace selection (names, deprecated selector
// and selectors OR'ed, the kubernetes.io/metadata.name label, invalid selectors), the child's desired
// state (no-op when equal, metadata replaced wholesale, force-sync copied, other owners kept), the
// status (sorted, empty lists dropped, other conditions kept), and the read-your-writes overlay.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  childName, controllingCes, fingerprint, isOwnedBy, storedState, newChild, nextCesStatus, selectorError, selects, targetNamespaces, updatedChild, WriteOverlay,
  type ClusterExternalSecretObject, type NamespaceObject,
} from '../../controller/external/ces/index.js';
import type { Json } from '../../controller/kube/index.js';
import * as cesIndex from '../../controller/external/ces/index.js';

const ns = (name: string, labels: Record<string, string> = {}, extra: Partial<NamespaceObject['metadata']> = {}): NamespaceObject => ({ metadata: { name, labels, ...extra } });
function ces(spec: Partial<ClusterExternalSecretObject['spec']> = {}, metadata: Partial<ClusterExternalSecretObject['metadata']> = {}): ClusterExternalSecretObject {
  return {
    apiVersion: 'external-secrets.io/v1', kind: 'ClusterExternalSecret',
    metadata: { name: 'fan', uid: 'uid-1', ...metadata },
    spec: { externalSecretSpec: { secretStoreRef: { name: 's', kind: 'ClusterSecretStore' }, data: [{ secretKey: 'k', remoteRef: { key: 'r' } }] }, ...spec },
  };
}
const all = [ns('b', { team: 'x' }), ns('a', { team: 'x', tier: 'web' }), ns('c', { team: 'y' }), ns('d')];
const names = (l: NamespaceObject[]) => l.map((n) => n.metadata.name);

test('namespaces, the deprecated namespaceSelector and namespaceSelectors are OR\'ed; results sorted', () => {
  assert.deepEqual(names(targetNamespaces(ces({ namespaceSelectors: [{ matchLabels: { team: 'x' } }] }), all)), ['a', 'b']);
  assert.deepEqual(names(targetNamespaces(ces({ namespaceSelector: { matchLabels: { team: 'y' } }, namespaceSelectors: [{ matchLabels: { tier: 'web' } }], namespaces: ['d', 'missing'] }), all)), ['a', 'c', 'd']);
  assert.deepEqual(names(targetNamespaces(ces({ namespaceSelectors: [{ matchExpressions: [{ key: 'team', operator: 'NotIn', values: ['x'] }] }] }), all)), ['c', 'd']);
  assert.deepEqual(names(targetNamespaces(ces({ namespaceSelectors: [{}] }), all)), ['a', 'b', 'c', 'd'], 'an empty selector matches every namespace');
  assert.deepEqual(names(targetNamespaces(ces({}), all)), [], 'nothing set selects nothing');
  assert.ok(selects(ces({ namespaceSelectors: [{ matchLabels: { 'kubernetes.io/metadata.name': 'd' } }] }), ns('d')), 'the API server\'s name label is always there');
});

test('an unusable selector fails the whole selection with the field and the reason', () => {
  assert.equal(selectorError({ matchExpressions: [{ key: 'k', operator: 'In', values: [] }] }), 'key "k": for \'In\', \'NotIn\' operators, values set can\'t be empty');
  assert.equal(selectorError({ matchExpressions: [{ key: 'k', operator: 'Exists', values: ['v'] }] }), 'key "k": values set must be empty for \'Exists\', \'DoesNotExist\'');
  assert.throws(() => targetNamespaces(ces({ namespaceSelector: { matchLabels: { team: 'x' } }, namespaceSelectors: [{ matchLabels: {} }, { matchExpressions: [{ key: 'k', operator: 'exists' }] }] }), all),
    { message: 'failed to convert label selector spec.namespaceSelectors[1]: "exists" is not a valid label selector operator' });
  assert.equal(selects(ces({ namespaceSelectors: [{ matchExpressions: [{ key: 'team', operator: 'Bogus' }] }] }), all[0]!), false);
});

test('the child: ESO\'s name default, metadata, force-sync and controller reference; no write when it matches', () => {
  const c = ces({ externalSecretMetadata: { labels: { app: 'w' }, annotations: { n: '1' } } }, { annotations: { 'external-secrets.io/force-sync': '7', other: 'x' } });
  assert.equal(childName(c), 'fan');
  assert.equal(childName(ces({ externalSecretName: 'given' })), 'given');
  const body = newChild(c, 'apps');
  assert.deepEqual(body.metadata, {
    name: 'fan', namespace: 'apps', labels: { app: 'w' }, annotations: { n: '1', 'external-secrets.io/force-sync': '7' },
    ownerReferences: [{ apiVersion: 'external-secrets.io/v1', kind: 'ClusterExternalSecret', name: 'fan', uid: 'uid-1', controller: true, blockOwnerDeletion: true }],
  });
  assert.deepEqual(body.spec, c.spec.externalSecretSpec);
  assert.equal(controllingCes(body), 'fan');
  assert.ok(isOwnedBy(body, 'fan'));
  assert.ok(!isOwnedBy(body, 'other'));

  const stored = { ...body, metadata: { ...(body.metadata as object), resourceVersion: '5', finalizers: ['f'] }, status: { conditions: [] } } as Json;
  assert.equal(updatedChild(c, stored), undefined, 'equal: nothing to write');
  // The write-loop guard's view: a status write (new resourceVersion) changes neither; a label edit changes storedState.
  const statusWritten = { ...stored, metadata: { ...(stored.metadata as object), resourceVersion: '6' }, status: { conditions: [{ type: 'Ready' }] } } as Json;
  assert.equal(storedState(statusWritten), storedState(stored));
  assert.equal(fingerprint(statusWritten), fingerprint(body));
  assert.notEqual(storedState({ ...stored, metadata: { ...(stored.metadata as object), labels: { app: 'other' } } } as Json), storedState(stored));

  // Someone added a label, another owner and changed the spec: labels are replaced, the owner kept, spec restored.
  const drifted = structuredClone(stored) as { metadata: { labels: Record<string, string>; ownerReferences: unknown[] }; spec: { refreshInterval?: string } };
  drifted.metadata.labels.extra = 'y';
  drifted.metadata.ownerReferences.unshift({ apiVersion: 'v1', kind: 'ConfigMap', name: 'cm', uid: 'u2' });
  drifted.spec.refreshInterval = '5m';
  const next = updatedChild(c, drifted as unknown as Json)!;
  const m = next.metadata as { labels: unknown; resourceVersion: string; finalizers: string[]; ownerReferences: Array<{ kind: string }> };
  assert.deepEqual(m.labels, { app: 'w' });
  assert.equal(m.resourceVersion, '5');
  assert.deepEqual(m.finalizers, ['f'], 'finalizers are not ours to touch');
  assert.deepEqual(m.ownerReferences.map((r) => r.kind), ['ConfigMap', 'ClusterExternalSecret']);
  assert.deepEqual(next.spec, c.spec.externalSecretSpec);
  assert.equal(next.status, undefined);

  // The CES's force-sync annotation removed: removed from the child too.
  const unforced = ces({ externalSecretMetadata: { labels: { app: 'w' }, annotations: { n: '1' } } });
  assert.deepEqual((updatedChild(unforced, stored)!.metadata as { annotations: unknown }).annotations, { n: '1' });
  // A CES recreated under the same name (new uid) takes its child back with the new uid.
  const reborn = updatedChild({ ...c, metadata: { ...c.metadata, uid: 'uid-2' } }, stored)!;
  assert.deepEqual((reborn.metadata as { ownerReferences: Array<{ uid: string }> }).ownerReferences.map((r) => r.uid), ['uid-2']);
});

test('status: sorted lists, empty ones dropped, Ready True without a message or False with ESO\'s', () => {
  const c = ces({}, {});
  c.status = { provisionedNamespaces: ['old'], failedNamespaces: [{ namespace: 'x', reason: 'r' }], conditions: [{ type: 'Other', status: 'True' }, { type: 'Ready', status: 'False', message: 'one or more namespaces failed' }] };
  assert.deepEqual(nextCesStatus(c, { externalSecretName: 'fan', provisioned: ['b', 'a'], failed: new Map() }), {
    externalSecretName: 'fan', provisionedNamespaces: ['a', 'b'], conditions: [{ type: 'Other', status: 'True' }, { type: 'Ready', status: 'True' }],
  });
  assert.deepEqual(nextCesStatus(c, { externalSecretName: 'fan', provisioned: [], failed: new Map([['z', 'r1'], ['m', 'r2']]) }), {
    externalSecretName: 'fan', failedNamespaces: [{ namespace: 'm', reason: 'r2' }, { namespace: 'z', reason: 'r1' }],
    conditions: [{ type: 'Other', status: 'True' }, { type: 'Ready', status: 'False', message: 'one or more namespaces failed' }],
  });
});

test('the write overlay serves our write until the cache moves past the version it was based on', () => {
  const o = new WriteOverlay<Json>();
  const v1 = { metadata: { resourceVersion: '1' } };
  const v2 = { metadata: { resourceVersion: '2' } };
  o.record('k', undefined, v1);
  assert.equal(o.read('k', undefined), v1, 'created, not yet seen');
  assert.equal(o.read('k', v1), v1, 'seen: the cache again');
  o.record('k', v1, undefined);
  assert.equal(o.read('k', v1), undefined, 'deleted, cache still has it');
  assert.equal(o.read('k', v2), v2, 'the cache moved on');
  o.record('k', v2, v1);
  o.forget('k');
  assert.equal(o.read('k', v2), v2);
});

test('controller/external/ces exports', () => {
  assert.deepEqual(Object.keys(cesIndex).sort(), [
    'CesMetrics', 'ClusterExternalSecretController', 'DEFAULT_CES_REFRESH', 'LABEL_NAMESPACE_NAME', 'MESSAGE_NAMESPACES_FAILED', 'REASON_ALREADY_EXISTS',
    'REASON_NOT_WATCHED', 'WriteOverlay', 'cesOwnerReference', 'cesRefreshMs', 'childName', 'controllingCes', 'fingerprint', 'isOwnedBy', 'isTerminating',
    'newChild', 'nextCesStatus', 'readyCondition', 'reconcileClusterExternalSecret', 'selectorError', 'selects', 'storedState', 'targetNamespaces',
    'updatedChild', 'writeCesStatus',
  ]);
});
