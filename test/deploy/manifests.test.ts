// What the install manifests promise, checked on the rendered output of both the kustomize base and
// the Helm chart: 2 replicas, hardened pod, Service port `http`, PDB and NetworkPolicy that select the
// pods, least-privilege RBAC, the same RBAC in both, and CRD copies equal to crds/.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { find, renderHelm, renderKustomize, ROOT, type Manifest } from '../support/deploy/render.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// Exactly what the External Secrets half may do, cluster-wide.
const EXTERNAL_RULES = [
  { apiGroups: ['external-secrets.io'], resources: ['secretstores', 'clustersecretstores', 'externalsecrets', 'clusterexternalsecrets'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['external-secrets.io'], resources: ['secretstores/status', 'clustersecretstores/status', 'externalsecrets/status', 'clusterexternalsecrets/status'], verbs: ['update', 'patch'] },
  // ClusterExternalSecret children: created, updated and deleted in the selected namespaces.
  { apiGroups: ['external-secrets.io'], resources: ['externalsecrets'], verbs: ['create', 'update', 'patch', 'delete'] },
  // blockOwnerDeletion on ownerReferences to ExternalSecrets and ClusterExternalSecrets (OwnerReferencesPermissionEnforcement).
  { apiGroups: ['external-secrets.io'], resources: ['externalsecrets/finalizers', 'clusterexternalsecrets/finalizers'], verbs: ['update'] },
  { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
  { apiGroups: [''], resources: ['namespaces', 'configmaps'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['get'] },
  { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] },
  { apiGroups: [''], resources: ['events'], verbs: ['create'] },
];

const variants: Array<[string, () => Manifest[]]> = [
  ['kustomize base', () => renderKustomize()],
  ['helm chart', () => renderHelm()],
];

for (const [label, render] of variants) {
  test(`${label}: Deployment runs 2 hardened replicas under the ServiceAccount`, () => {
    const ms = render();
    const d = find(ms, 'Deployment', 'cloak-controller') as Obj;
    assert.equal(d.metadata.namespace, 'kube-system');
    assert.equal(d.spec.replicas, 2);
    const pod = d.spec.template.spec;
    assert.equal(pod.serviceAccountName, 'cloak-controller');
    find(ms, 'ServiceAccount', 'cloak-controller');
    assert.equal(pod.securityContext.runAsNonRoot, true);
    assert.ok(pod.securityContext.runAsUser > 0);
    assert.equal(pod.securityContext.seccompProfile.type, 'RuntimeDefault');
    const [c] = pod.containers;
    assert.equal(c.securityContext.readOnlyRootFilesystem, true);
    assert.equal(c.securityContext.allowPrivilegeEscalation, false);
    assert.deepEqual(c.securityContext.capabilities.drop, ['ALL']);
    assert.deepEqual(c.ports.map((p: Obj) => [p.name, p.containerPort]), [['http', 8080], ['metrics', 8081]]);
    assert.equal(c.livenessProbe.httpGet.path, '/healthz');
    assert.equal(c.readinessProbe.httpGet.path, '/readyz');
    assert.ok(c.args.includes('--leader-elect=true'));
    assert.deepEqual(c.env.find((e: Obj) => e.name === 'POD_NAMESPACE').valueFrom, { fieldRef: { fieldPath: 'metadata.namespace' } });
    assert.match(c.image, /cloak-controller:0\.1\.0$/);
  });

  test(`${label}: Services, PDB and NetworkPolicy select the controller pods`, () => {
    const ms = render();
    const podLabels = (find(ms, 'Deployment', 'cloak-controller') as Obj).spec.template.metadata.labels as Record<string, string>;
    const selects = (sel: Record<string, string>) => Object.entries(sel).every(([k, v]) => podLabels[k] === v);
    const svc = find(ms, 'Service', 'cloak-controller') as Obj;
    assert.deepEqual(svc.spec.ports.map((p: Obj) => [p.name, p.port, p.targetPort]), [['http', 8080, 'http']]);
    assert.ok(selects(svc.spec.selector));
    const metrics = find(ms, 'Service', 'cloak-controller-metrics') as Obj;
    assert.deepEqual(metrics.spec.ports.map((p: Obj) => [p.name, p.port]), [['metrics', 8081]]);
    assert.ok(selects(metrics.spec.selector));
    const pdb = find(ms, 'PodDisruptionBudget', 'cloak-controller') as Obj;
    assert.equal(pdb.apiVersion, 'policy/v1');
    assert.equal(pdb.spec.minAvailable, 1);
    assert.ok(selects(pdb.spec.selector.matchLabels));
    const np = find(ms, 'NetworkPolicy', 'cloak-controller') as Obj;
    assert.ok(selects(np.spec.podSelector.matchLabels));
    assert.deepEqual(np.spec.policyTypes, ['Ingress']);
    const ports = np.spec.ingress.flatMap((r: Obj) => r.ports.map((p: Obj) => p.port)).sort();
    assert.deepEqual(ports, [8080, 8081]);
  });

  test(`${label}: RBAC is least privilege`, () => {
    const ms = render();
    const rules = ms.filter((m) => m.kind === 'ClusterRole' || m.kind === 'Role').flatMap((r) => (r as Obj).rules as Obj[]);
    for (const r of rules) {
      assert.ok(!r.verbs.includes('*') && !r.resources.includes('*') && !(r.apiGroups ?? []).includes('*'), `wildcard in ${JSON.stringify(r)}`);
    }
    const cr = find(ms, 'ClusterRole', 'cloak-controller-unsealer') as Obj;
    const secretVerbs = cr.rules.find((r: Obj) => r.resources.includes('secrets')).verbs;
    assert.ok(!secretVerbs.includes('delete') && !secretVerbs.includes('deletecollection'));
    assert.deepEqual((find(ms, 'ClusterRole', 'cloak-controller-external') as Obj).rules, EXTERNAL_RULES);
    assert.deepEqual(ms.filter((m) => m.kind === 'ClusterRole').map((m) => m.metadata.name).sort(), ['cloak-controller-external', 'cloak-controller-unsealer']);
    const leases = (find(ms, 'Role', 'cloak-controller-leader-election') as Obj).rules;
    assert.deepEqual(leases.find((r: Obj) => r.resourceNames)?.resourceNames, ['cloak-controller']);
    const proxier = (find(ms, 'Role', 'cloak-controller-service-proxier') as Obj).rules;
    assert.ok(proxier.every((r: Obj) => Array.isArray(r.resourceNames) && r.resourceNames.length > 0));
    assert.ok(proxier.some((r: Obj) => r.resources.includes('services/proxy') && r.resourceNames.includes('http:cloak-controller:http')));
    for (const b of ms.filter((m) => m.kind === 'RoleBinding' || m.kind === 'ClusterRoleBinding') as Obj[]) {
      find(ms, b.roleRef.kind, b.roleRef.name);
    }
  });
}

test('the Helm chart grants exactly the RBAC the kustomize base grants', () => {
  const norm = (ms: Manifest[]) =>
    ms
      .filter((m) => ['ClusterRole', 'Role', 'ClusterRoleBinding', 'RoleBinding'].includes(m.kind))
      .map((m) => ({ kind: m.kind, name: m.metadata.name, namespace: m.metadata.namespace ?? '', rules: (m as Obj).rules ?? null, roleRef: (m as Obj).roleRef ?? null, subjects: (m as Obj).subjects ?? null }))
      .sort((a, b) => `${a.kind}/${a.name}`.localeCompare(`${b.kind}/${b.name}`));
  assert.deepEqual(norm(renderHelm()), norm(renderKustomize()));
});

test('Helm values: oldGcBehavior adds the flag and, only then, delete on Secrets', () => {
  const ms = renderHelm({ values: { controller: { oldGcBehavior: true } } });
  const verbs = (find(ms, 'ClusterRole', 'cloak-controller-unsealer') as Obj).rules.find((r: Obj) => r.resources.includes('secrets')).verbs;
  assert.ok(verbs.includes('delete'));
  assert.ok((find(ms, 'Deployment') as Obj).spec.template.spec.containers[0].args.includes('--old-gc-behavior'));
});

test('Helm values: other namespace, restricted proxy subjects, no PDB/NetworkPolicy', () => {
  const ms = renderHelm({
    namespace: 'security',
    values: { pdb: { enabled: false }, networkPolicy: { enabled: false }, rbac: { serviceProxier: { subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'sealers' }] } } },
  });
  assert.ok(!ms.some((m) => m.kind === 'PodDisruptionBudget' || m.kind === 'NetworkPolicy'));
  assert.deepEqual((find(ms, 'RoleBinding', 'cloak-controller-service-proxier') as Obj).subjects, [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'sealers' }]);
  assert.equal((find(ms, 'ClusterRoleBinding') as Obj).subjects[0].namespace, 'security');
  assert.ok(ms.filter((m) => m.kind !== 'ClusterRole' && m.kind !== 'ClusterRoleBinding').every((m) => m.metadata.namespace === 'security'));
});

const CRD_FILES = ['bitnami.com_sealedsecrets.yaml', 'external-secrets.io_secretstores.yaml', 'external-secrets.io_clustersecretstores.yaml', 'external-secrets.io_externalsecrets.yaml', 'external-secrets.io_clusterexternalsecrets.yaml'];

test('the CRD copies in deploy/ equal crds/ and both install every CRD', () => {
  for (const file of CRD_FILES) {
    const source = readFileSync(join(ROOT, 'crds', file), 'utf8');
    for (const copy of [`deploy/kustomize/base/crds/${file}`, `deploy/helm/cloak/crds/${file}`]) {
      assert.equal(readFileSync(join(ROOT, copy), 'utf8'), source, `${copy} is stale: npx node scripts/gen-eso-crds.mjs (or cp crds/${file} ${copy})`);
    }
  }
  const crdNames = renderKustomize().filter((m) => m.kind === 'CustomResourceDefinition').map((m) => m.metadata.name).sort();
  assert.deepEqual(crdNames, ['clusterexternalsecrets.external-secrets.io', 'clustersecretstores.external-secrets.io', 'externalsecrets.external-secrets.io', 'sealedsecrets.bitnami.com', 'secretstores.external-secrets.io']);
});
