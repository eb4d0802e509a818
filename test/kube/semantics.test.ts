// Wire-level semantics from the reference (§A): resourceVersion, conflicts, 422/415/409/404/403 bodies,
// generation, finalizers, namespaces, Secrets, generateName, dry-run, watch details, discovery.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { client, eventually, startKubeApiServer } from '../support/kube/index.js';
import type { KubeTestServer } from '../support/kube/index.js';

const FIXTURES = fileURLToPath(new URL('../../../test/kube/fixtures/', import.meta.url));
let server: KubeTestServer;
let api: ReturnType<typeof client>;
const CM = '/api/v1/namespaces/default/configmaps';
const SEC = '/api/v1/namespaces/default/secrets';
const WD = '/apis/example.com/v1/namespaces/default/widgets';
const status = (code: number, reason: string, message: string, details?: object) => ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code });

before(async () => {
  server = await startKubeApiServer({ crdDirs: [FIXTURES], adminToken: 'admin' });
  api = client(server.url, 'admin');
});
after(async () => { await server.close(); });

describe('resourceVersion and updates', () => {
  test('every write bumps resourceVersion; a stale PUT is a 409 Conflict; a no-op write is not a write', async () => {
    const c = await api('POST', CM, { metadata: { name: 'rv' }, data: { a: '1' } });
    assert.equal(c.status, 201);
    const rv1 = Number(c.body.metadata.resourceVersion);
    const u = await api('PUT', `${CM}/rv`, { ...c.body, data: { a: '2' } });
    assert.equal(u.status, 200);
    assert.ok(Number(u.body.metadata.resourceVersion) > rv1);
    const stale = await api('PUT', `${CM}/rv`, { ...c.body, data: { a: '3' } });
    assert.deepEqual(stale.body, status(409, 'Conflict', 'Operation cannot be fulfilled on configmaps "rv": the object has been modified; please apply your changes to the latest version and try again', { name: 'rv', group: '', kind: 'configmaps' }));
    const same = await api('PATCH', `${CM}/rv`, { data: { a: '2' } }, 'application/merge-patch+json');
    assert.equal(same.body.metadata.resourceVersion, u.body.metadata.resourceVersion);
    const list = await api('GET', CM);
    assert.equal(list.body.kind, 'ConfigMapList');
    assert.equal(list.body.items[0].kind, undefined, 'typed lists omit kind on items');
    assert.ok(Number(list.body.metadata.resourceVersion) >= Number(u.body.metadata.resourceVersion));
  });

  test('Secrets allow an unconditional PUT; custom resources answer 422 without resourceVersion', async () => {
    await api('POST', SEC, { metadata: { name: 'u' }, data: { k: 'dg==' } });
    const put = await api('PUT', `${SEC}/u`, { metadata: { name: 'u' }, data: { k: 'dzI=' } });
    assert.equal(put.status, 200);
    await api('POST', WD, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 1 } });
    const cr = await api('PUT', `${WD}/w`, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 2 } });
    assert.deepEqual(cr.body, status(422, 'Invalid', 'Widget.example.com "w" is invalid: metadata.resourceVersion: Invalid value: "0x0": must be specified for an update', { name: 'w', group: 'example.com', kind: 'Widget', causes: [{ type: 'FieldValueInvalid', message: 'Invalid value: "0x0": must be specified for an update', field: 'metadata.resourceVersion' }] }));
    const smp = await api('PATCH', `${WD}/w`, { spec: { size: 2 } }, 'application/strategic-merge-patch+json');
    assert.equal(smp.status, 415);
    assert.equal(smp.body.reason, 'UnsupportedMediaType');
    const missing = await api('PUT', `${SEC}/nope`, { metadata: { name: 'nope' } });
    assert.deepEqual(missing.body, status(404, 'NotFound', 'secrets "nope" not found', { name: 'nope', group: '', kind: 'secrets' }));
    const crMissing = await api('GET', `${WD}/nope`);
    assert.equal(crMissing.body.message, 'widgets.example.com "nope" not found');
    const path = await api('GET', '/api/v1/nothing');
    assert.deepEqual(path.body, status(404, 'NotFound', 'the server could not find the requested resource', {}));
  });

  test('server-side apply needs a fieldManager; a conditional patch with an old resourceVersion conflicts', async () => {
    const noManager = await api('PATCH', `${CM}/ssa`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa' } }, 'application/apply-patch+yaml');
    assert.equal(noManager.status, 422);
    assert.match(noManager.body.message, /fieldManager: Required value: is required for apply patch/);
    const made = await api('PATCH', `${CM}/ssa?fieldManager=t`, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa}\ndata: {a: "1"}\n', 'application/apply-patch+yaml');
    assert.equal(made.status, 201);
    const cond = await api('PATCH', `${CM}/ssa`, { metadata: { resourceVersion: '1' }, data: { a: '2' } }, 'application/merge-patch+json');
    assert.equal(cond.status, 409);
  });

  test('generateName, dry-run and namespace mismatch', async () => {
    const g = await api('POST', CM, { metadata: { generateName: 'gen-' } });
    assert.match(g.body.metadata.name, /^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    const dry = await api('POST', `${CM}?dryRun=All`, { metadata: { name: 'dry' } });
    assert.equal(dry.status, 201);
    assert.equal((await api('GET', `${CM}/dry`)).status, 404);
    const mismatch = await api('POST', CM, { metadata: { name: 'x', namespace: 'kube-system' } });
    assert.deepEqual(mismatch.body, status(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request'));
    const withRv = await api('POST', CM, { metadata: { name: 'rv-set', resourceVersion: '5' } });
    assert.deepEqual(withRv.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Internal error occurred: resourceVersion should not be set on objects to be created', reason: 'InternalError', details: { causes: [{ message: 'resourceVersion should not be set on objects to be created' }] }, code: 500 });
    const noName = await api('POST', CM, { metadata: {} });
    assert.equal(noName.body.message, 'ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required');
  });
});

describe('lists', () => {
  test('limit/continue pages come from one snapshot; an expired token is 410; deletecollection', async () => {
    for (const n of ['p1', 'p2', 'p3']) await api('POST', '/api/v1/namespaces/kube-public/configmaps', { metadata: { name: n, labels: { page: 'y' } } });
    const base = '/api/v1/namespaces/kube-public/configmaps';
    const first = await api('GET', `${base}?limit=2`);
    assert.deepEqual(first.body.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['p1', 'p2']);
    assert.equal(first.body.metadata.remainingItemCount, 1);
    await api('POST', base, { metadata: { name: 'p4' } });
    const second = await api('GET', `${base}?limit=2&continue=${first.body.metadata.continue}`);
    assert.deepEqual(second.body.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['p3'], 'p4 is not in the snapshot');
    assert.equal(second.body.metadata.resourceVersion, first.body.metadata.resourceVersion);
    assert.equal(second.body.metadata.continue, undefined);
    const again = await api('GET', `${base}?limit=1`);
    server.hooks.compact();
    const old = await api('GET', `${base}?limit=1&continue=${again.body.metadata.continue}`);
    assert.deepEqual(old.body, status(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.'));
    const dc = await api('DELETE', `${base}?labelSelector=page%3Dy`);
    assert.equal(dc.status, 200);
    assert.deepEqual((await api('GET', base)).body.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['p4']);
  });
});

describe('Secrets', () => {
  test('immutable, type, typed keys, base64 and size rules', async () => {
    await api('POST', SEC, { metadata: { name: 'imm' }, immutable: true, stringData: { a: 'b' } });
    const change = await api('PATCH', `${SEC}/imm`, { data: { a: 'Yw==' } }, 'application/merge-patch+json');
    assert.equal(change.status, 422);
    assert.equal(change.body.message, 'Secret "imm" is invalid: data: Forbidden: field is immutable when `immutable` is set');
    const type = await api('PATCH', `${SEC}/u`, { type: 'kubernetes.io/tls' }, 'application/merge-patch+json');
    assert.match(type.body.message, /type: Invalid value: "kubernetes.io\/tls": field is immutable/);
    const tls = await api('POST', SEC, { metadata: { name: 'tls' }, type: 'kubernetes.io/tls', data: { 'tls.crt': 'YQ==' } });
    assert.equal(tls.body.message, 'Secret "tls" is invalid: data[tls.key]: Required value');
    const b64 = await api('POST', SEC, { metadata: { name: 'b64' }, data: { k: 'not base64!' } });
    assert.equal(b64.status, 400);
    assert.match(b64.body.message, /^Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 3$/);
    const big = await api('POST', SEC, { metadata: { name: 'big' }, data: { k: Buffer.alloc(1024 * 1024 + 1).toString('base64') } });
    assert.equal(big.status, 422);
    const key = await api('POST', SEC, { metadata: { name: 'key' }, stringData: { 'bad key': 'x' } });
    assert.match(key.body.message, /data\[bad key\]: Invalid value: "bad key": a valid config key must consist of alphanumeric characters/);
    const read = await api('GET', `${SEC}/imm`);
    assert.equal(read.body.stringData, undefined, 'stringData is write-only');
    assert.deepEqual(read.body.data, { a: 'Yg==' });
  });
});

describe('finalizers and deletion', () => {
  test('delete with finalizers sets deletionTimestamp; no new finalizers; removing the last deletes', async () => {
    await api('POST', CM, { metadata: { name: 'f', finalizers: ['a/b'] } });
    const del = await api('DELETE', `${CM}/f`, { propagationPolicy: 'Background' });
    assert.equal(del.status, 200);
    assert.equal(del.body.kind, 'ConfigMap');
    assert.ok(del.body.metadata.deletionTimestamp);
    const add = await api('PATCH', `${CM}/f`, { metadata: { finalizers: ['a/b', 'c/d'] } }, 'application/merge-patch+json');
    assert.equal(add.body.message, 'ConfigMap "f" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"c/d"}');
    const done = await api('PATCH', `${CM}/f`, { metadata: { finalizers: null } }, 'application/merge-patch+json');
    assert.equal(done.status, 200);
    assert.equal((await api('GET', `${CM}/f`)).status, 404);
    await api('POST', CM, { metadata: { name: 'plain' } });
    const gone = await api('DELETE', `${CM}/plain`);
    assert.deepEqual(gone.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: 'plain', group: '', kind: 'configmaps', uid: gone.body.details.uid } });
  });

  test('namespace lifecycle: 404 in a missing namespace, 403 while terminating, system namespaces protected', async () => {
    const missing = await api('POST', '/api/v1/namespaces/nope/configmaps', { metadata: { name: 'x' } });
    assert.deepEqual(missing.body, status(404, 'NotFound', 'namespaces "nope" not found', { name: 'nope', group: '', kind: 'namespaces' }));
    await api('POST', '/api/v1/namespaces', { metadata: { name: 'doomed' } });
    await api('POST', '/api/v1/namespaces/doomed/configmaps', { metadata: { name: 'inside' } });
    const del = await api('DELETE', '/api/v1/namespaces/doomed');
    assert.equal(del.body.status.phase, 'Terminating');
    const create = await api('POST', '/api/v1/namespaces/doomed/configmaps', { metadata: { name: 'late' } });
    assert.equal(create.status, 403);
    assert.equal(create.body.message, 'configmaps "late" is forbidden: unable to create new content in namespace doomed because it is being terminated');
    assert.equal((await api('DELETE', '/api/v1/namespaces/default')).body.message, 'namespaces "default" is forbidden: this namespace may not be deleted');
    server.hooks.runGc();
    assert.equal((await api('GET', '/api/v1/namespaces/doomed')).status, 404, 'the namespace controller emptied and removed it');
  });

  test('garbage collection: background, foreground and orphan propagation', async () => {
    const owner = (await api('POST', CM, { metadata: { name: 'owner' } })).body;
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid, controller: true };
    await api('POST', SEC, { metadata: { name: 'dep', ownerReferences: [ref] } });
    await api('DELETE', `${CM}/owner`);
    assert.equal((await api('GET', `${SEC}/dep`)).status, 200, 'a bare apiserver does not cascade');
    server.hooks.runGc();
    assert.equal((await api('GET', `${SEC}/dep`)).status, 404);

    const o2 = (await api('POST', CM, { metadata: { name: 'owner2' } })).body;
    await api('POST', SEC, { metadata: { name: 'kept', ownerReferences: [{ ...ref, name: 'owner2', uid: o2.metadata.uid }] } });
    const orphan = await api('DELETE', `${CM}/owner2`, { propagationPolicy: 'Orphan' });
    assert.deepEqual(orphan.body.metadata.finalizers, ['orphan']);
    server.hooks.runGc();
    const kept = await api('GET', `${SEC}/kept`);
    assert.equal(kept.status, 200);
    assert.equal(kept.body.metadata.ownerReferences, undefined);
    assert.equal((await api('GET', `${CM}/owner2`)).status, 404);

    const o3 = (await api('POST', CM, { metadata: { name: 'owner3' } })).body;
    await api('POST', SEC, { metadata: { name: 'fg', ownerReferences: [{ ...ref, name: 'owner3', uid: o3.metadata.uid }] } });
    await api('DELETE', `${CM}/owner3`, { propagationPolicy: 'Foreground' });
    assert.equal((await api('GET', `${CM}/owner3`)).body.metadata.finalizers[0], 'foregroundDeletion');
    server.hooks.runGc();
    assert.equal((await api('GET', `${SEC}/fg`)).status, 404);
    assert.equal((await api('GET', `${CM}/owner3`)).status, 404);
  });
});

test('with garbageCollector on, dependents and terminating namespaces are cleaned up without a hook', async () => {
  const gc = await startKubeApiServer({ garbageCollector: true });
  try {
    const call = client(gc.url);
    const owner = (await call('POST', CM, { metadata: { name: 'o' } })).body;
    await call('POST', SEC, { metadata: { name: 'd', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'o', uid: owner.metadata.uid }] } });
    await call('DELETE', `${CM}/o`);
    await eventually(async () => (await call('GET', `${SEC}/d`)).status === 404, 'dependent collected');
    await call('POST', '/api/v1/namespaces', { metadata: { name: 'tmp' } });
    await call('POST', '/api/v1/namespaces/tmp/configmaps', { metadata: { name: 'x' } });
    await call('DELETE', '/api/v1/namespaces/tmp');
    await eventually(async () => (await call('GET', '/api/v1/namespaces/tmp')).status === 404, 'namespace removed');
  } finally { await gc.close(); }
});

describe('generation, status and CRD schema', () => {
  test('Deployment generation moves with spec only; Lease updates need the current resourceVersion', async () => {
    const dep = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } };
    const d = await api('POST', '/apis/apps/v1/namespaces/default/deployments', dep);
    assert.equal(d.body.metadata.generation, 1);
    const l = await api('PATCH', '/apis/apps/v1/namespaces/default/deployments/d', { metadata: { labels: { x: 'y' } } }, 'application/merge-patch+json');
    assert.equal(l.body.metadata.generation, 1);
    const badSel = await api('POST', '/apis/apps/v1/namespaces/default/deployments', { ...dep, metadata: { name: 'bad' }, spec: { ...dep.spec, selector: { matchLabels: { a: 'z' } } } });
    assert.match(badSel.body.message, /`selector` does not match template `labels`/);
    const lease = (await api('POST', '/apis/coordination.k8s.io/v1/namespaces/default/leases', { metadata: { name: 'leader' }, spec: { holderIdentity: 'a', leaseDurationSeconds: 15 } })).body;
    const take = await api('PUT', '/apis/coordination.k8s.io/v1/namespaces/default/leases/leader', { ...lease, spec: { holderIdentity: 'b', leaseDurationSeconds: 15 } });
    assert.equal(take.status, 200);
    const lost = await api('PUT', '/apis/coordination.k8s.io/v1/namespaces/default/leases/leader', { ...lease, spec: { holderIdentity: 'c', leaseDurationSeconds: 15 } });
    assert.equal(lost.status, 409);
    const ev = await api('POST', '/apis/events.k8s.io/v1/namespaces/default/events', { metadata: { name: 'e' }, reason: 'R', type: 'Normal' });
    assert.match(ev.body.message, /eventTime: Required value/);
  });

  test('status subresource PUT takes only status; the main resource ignores it', async () => {
    const w = (await api('GET', `${WD}/w`)).body;
    const st = await api('PUT', `${WD}/w/status`, { ...w, spec: { size: 9 }, status: { observedGeneration: 1 } });
    assert.equal(st.status, 200);
    assert.equal(st.body.spec.size, 1);
    assert.deepEqual(st.body.status, { observedGeneration: 1 });
    assert.equal(st.body.metadata.generation, w.metadata.generation);
    const noRv = await api('PUT', `${WD}/w/status`, { ...w, metadata: { name: 'w' }, status: {} });
    assert.equal(noRv.status, 422);
  });

  test('structural schema: defaults and pruning on every served version, preserve-unknown kept', async () => {
    const c = await api('POST', WD, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'p' }, spec: { size: 2, junk: 1, extra: { free: { x: 1 } } } });
    assert.deepEqual(c.body.spec, { size: 2, extra: { free: { x: 1 } }, color: 'green' });
    assert.equal(c.headers.get('warning'), '299 - "unknown field \\"spec.junk\\""');
    const beta = await api('GET', '/apis/example.com/v1beta1/namespaces/default/widgets/p');
    assert.equal(beta.body.apiVersion, 'example.com/v1beta1');
    const fmt = await api('POST', WD, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'f' }, spec: { size: 2, since: 'yesterday' } });
    assert.equal(fmt.body.message, 'Widget.example.com "f" is invalid: spec.since: Invalid value: "yesterday": spec.since in body must be of type date-time: "yesterday"');
    const list = await api('GET', WD);
    assert.equal(list.body.items[0].kind, 'Widget', 'custom resource lists carry kind on items');
  });
});

describe('watch and discovery', () => {
  test('watch: initial ADDED without a version, bookmarks on request, DELETED with a new version, timeoutSeconds', async () => {
    const ctrl = new AbortController();
    const res = await fetch(`${server.url}${CM}?watch=true&allowWatchBookmarks=true&timeoutSeconds=30&fieldSelector=metadata.name%3Dwatched`, { headers: { authorization: 'Bearer admin' }, signal: ctrl.signal });
    assert.equal(res.headers.get('content-type'), 'application/json');
    const reader = res.body!.getReader();
    let buf = '';
    const next = async (): Promise<{ type: string; object: any }> => {
      for (;;) {
        const i = buf.indexOf('\n');
        if (i >= 0) { const line = buf.slice(0, i); buf = buf.slice(i + 1); return JSON.parse(line); }
        const { value } = await reader.read();
        buf += Buffer.from(value!).toString('utf8');
      }
    };
    const created = (await api('POST', CM, { metadata: { name: 'watched' } })).body;
    await api('POST', CM, { metadata: { name: 'ignored' } });
    const e1 = await next();
    assert.equal(e1.type, 'ADDED');
    assert.equal(e1.object.kind, 'ConfigMap');
    await api('DELETE', `${CM}/watched`);
    let e2 = await next();
    while (e2.type === 'BOOKMARK') e2 = await next();
    assert.equal(e2.type, 'DELETED');
    assert.ok(Number(e2.object.metadata.resourceVersion) > Number(created.metadata.resourceVersion));
    const bm = await next();
    assert.equal(bm.type, 'BOOKMARK');
    assert.deepEqual(Object.keys(bm.object.metadata), ['resourceVersion']);
    ctrl.abort();
    const short = await fetch(`${server.url}${CM}?watch=true&timeoutSeconds=0`, { headers: { authorization: 'Bearer admin' } });
    const body = await short.text();
    assert.ok(body.split('\n').filter(Boolean).every((l) => JSON.parse(l).type === 'ADDED'), 'timeoutSeconds ends the stream');
  });

  test('watch-list (sendInitialEvents) ends the initial state with an annotated bookmark; HTTP 410 is injectable', async () => {
    const res = await fetch(`${server.url}${CM}?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan&timeoutSeconds=0`, { headers: { authorization: 'Bearer admin' } });
    const lines = (await res.text()).split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; object: { metadata: { annotations?: Record<string, string> } } });
    const bm = lines.findIndex((l) => l.type === 'BOOKMARK');
    assert.ok(bm > 0 && lines.slice(0, bm).every((l) => l.type === 'ADDED'));
    assert.deepEqual(lines[bm]!.object.metadata.annotations, { 'k8s.io/initial-events-end': 'true' });
    server.hooks.inject({ watch: true, status: 410, message: 'too old resource version: 1 (2)' });
    const gone = await api('GET', `${CM}?watch=true&resourceVersion=1`);
    assert.equal(gone.status, 410);
    assert.equal(gone.body.reason, 'Expired');
  });

  test('discovery: /version, legacy and aggregated, OpenAPI v3 index', async () => {
    assert.equal((await api('GET', '/version')).body.minor, '32');
    const v1 = (await api('GET', '/api/v1')).body;
    assert.ok(v1.resources.some((r: { name: string }) => r.name === 'serviceaccounts/token'));
    assert.ok(v1.resources.some((r: { name: string }) => r.name === 'services/proxy'));
    const agg = await fetch(`${server.url}/apis`, { headers: { authorization: 'Bearer admin', accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json' } });
    assert.equal(agg.headers.get('content-type'), 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    const groups = ((await agg.json()) as { items: Array<{ metadata: { name: string } }> }).items.map((g) => g.metadata.name);
    assert.ok(groups.includes('example.com') && groups.includes('rbac.authorization.k8s.io'));
    const idx = (await api('GET', '/openapi/v3')).body;
    assert.ok(idx.paths['apis/example.com/v1'].serverRelativeURL.startsWith('/openapi/v3/apis/example.com/v1?hash='));
    // kubectl fetches /openapi/v2 to validate a `kind: List`: a Swagger 2.0 document is served.
    const v2 = await api('GET', '/openapi/v2');
    assert.equal(v2.status, 200);
    assert.equal(v2.body.swagger, '2.0');
    assert.deepEqual((await api('GET', '/apis/example.com')).body.preferredVersion, { groupVersion: 'example.com/v1', version: 'v1' });
    assert.equal((await api('POST', '/api/v1/secrets', { metadata: { name: 'x', namespace: 'default' } })).status, 405);
    assert.equal((await api('GET', '/api/v1/secrets/x')).status, 404);
    assert.equal((await api('GET', '/api/v1/secrets')).body.kind, 'SecretList');
  });
});
