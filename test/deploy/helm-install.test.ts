// The Helm chart, rendered as `helm template` would and applied with kubectl 1.32 (CRDs from the
// chart's crds/ first, as helm does), runs the controller under its ServiceAccount with RBAC enforced.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fetchCertPem, findController, loadKubeConfig } from '../../src/kube/index.js';
import { startKubeApiServer, type KubeTestServer } from '../support/kube/index.js';
import { sealFor, yamlOf } from '../support/cli-online/seal.js';
import { installCloak, type Installed } from '../support/deploy/install.js';
import { kubectl } from '../support/deploy/kubectl.js';
import { HELM_CHART, parseManifests, renderHelm } from '../support/deploy/render.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir('cloak-helm-install-');
let server: KubeTestServer;
let installed: Installed;

before(async () => {
  server = await startKubeApiServer();
  const crds = readdirSync(join(HELM_CHART, 'crds')).sort().flatMap((f) => parseManifests(readFileSync(join(HELM_CHART, 'crds', f), 'utf8')));
  installed = await installCloak({ server, dir, manifests: [...crds, ...renderHelm({ release: 'cloak', namespace: 'kube-system' })], controllerArgs: ['--key-size=2048'] });
});
after(async () => {
  await installed?.controller.stop();
  await server?.close();
});

test('helm chart: the controller unseals a SealedSecret under the chart\'s RBAC', async () => {
  const target = await loadKubeConfig({ kubeconfig: installed.adminKubeconfig, env: {}, cwd: dir });
  const ss = sealFor(await fetchCertPem(await findController(target)), { name: 'api', namespace: 'default', data: { token: 's3cret' } });
  const file = join(dir, 'api.yaml');
  writeFileSync(file, yamlOf(ss));
  assert.equal((await kubectl(['apply', '-f', file], { kubeconfig: installed.adminKubeconfig })).code, 0);
  const wait = await kubectl(['wait', '--for=condition=Synced', 'sealedsecret/api', '-n', 'default', '--timeout=30s'], { kubeconfig: installed.adminKubeconfig });
  assert.equal(wait.code, 0, `${wait.stderr}\n${installed.controller.logs()}`);
  const got = await kubectl(['get', 'secret', 'api', '-n', 'default', '-o', 'jsonpath={.data.token}'], { kubeconfig: installed.adminKubeconfig });
  assert.equal(Buffer.from(got.stdout, 'base64').toString(), 's3cret');
  assert.ok(!/forbidden/i.test(installed.controller.logs()), installed.controller.logs());
});
