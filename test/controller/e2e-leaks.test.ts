// Secret-leak scan over both halves end to end: unique marker values are planted in SealedSecrets and
// in the fake provider, good and failing objects (tampered ciphertext, broken templates, a missing
// property, a value used where it breaks a regexp) go through the real cloak-controller and the real
// bin/cloak, and then everything produced outside Secrets (controller logs, Events, status, metrics,
// CLI output, every status/event write the API server saw) is scanned for the markers.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { toYaml } from '../../src/manifests/index.js';
import { runCloak, ROOT } from '../support/cloak-cli.js';
import {
  ensureNamespace, fetchCert, getOrUndefined, seal, secretPath, ssPath, startCluster, startController, synced, waitFor,
  type Cluster, type ControllerProc,
} from '../support/controller/harness.js';
import { LeakScanner } from '../support/leak-scan.js';
import { tempDir } from '../support/temp-dir.js';

const NS = 'leaks';
const ESO = '/apis/external-secrets.io/v1';
const esPath = (name = '') => `${ESO}/namespaces/${NS}/externalsecrets${name ? `/${name}` : ''}`;
const dir = tempDir('cloak-leaks-');
const scan = new LeakScanner();
let cluster: Cluster;
let ctl: ControllerProc;

describe('the leak scanner itself', () => {
  it('finds a marker in each form it claims, and nothing in clean text', () => {
    const s = new LeakScanner();
    const m = s.plant('self');
    s.add('clean', 'nothing to see here');
    assert.deepEqual(s.findings(), []);
    s.add('plain', `x ${m} y`);
    s.add('b64', Buffer.from(m).toString('base64'));
    s.add('hex', Buffer.from(m).toString('hex'));
    s.add('url', encodeURIComponent(`"${m}"`));
    const forms = s.findings().map((f) => `${f.source}:${f.form}`).sort();
    assert.ok(forms.includes('b64:base64') && forms.includes('hex:hex') && forms.includes('plain:plain') && forms.includes('url:plain'), forms.join());
    assert.ok(!forms.some((f) => f.startsWith('clean:')), forms.join());
    assert.throws(() => s.assertClean(), /leaked/);
  });
});

const v = {
  sealed: scan.plant('sealed'),
  tampered: scan.plant('tampered'),
  badTemplate: scan.plant('badtpl'),
  pattern: scan.plant('pattern'),
  ext: scan.plant('ext'),
  json: scan.plant('json'),
  cli: scan.plant('cli'),
};

before(async () => {
  cluster = await startCluster();
  await ensureNamespace(cluster.client, NS);
  ctl = await startController(cluster, ['--key-renew-period=0']);
  await waitFor('the first key', () => fetchCert(ctl.api), 60_000, ctl.logs);
  await cluster.client.request('POST', '/api/v1/namespaces/kube-system/services', {
    body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'cloak-controller', namespace: 'kube-system' }, spec: { ports: [{ name: 'http', port: 8080 }], selector: { name: 'cloak-controller' } } },
  });
  await cluster.server.registerServiceProxy('kube-system', 'cloak-controller', ctl.api);
});
after(async () => { await ctl?.stop(); await cluster?.close(); });

describe('no planted value leaks from either half', () => {
  it('SealedSecrets: good, tampered, broken template, value breaking a regexp', async () => {
    const c = cluster.client;
    const cert = await fetchCert(ctl.api);
    const good = seal(cert, { name: 'good', namespace: NS, data: { password: v.sealed } });
    const tampered = { ...seal(cert, { name: 'tampered', namespace: NS, data: { password: v.tampered } }) };
    tampered.metadata = { ...tampered.metadata, name: 'tampered-renamed' };
    const badTpl = seal(cert, { name: 'badtpl', namespace: NS, data: { password: v.badTemplate } });
    badTpl.spec.template = { data: { conn: '{{ .password | nosuchfunc }}' } };
    const pattern = seal(cert, { name: 'pattern', namespace: NS, data: { password: v.pattern } });
    pattern.spec.template = { data: { m: '{{ mustRegexMatch (printf "%s(" .password) "x" }}' } };
    for (const ss of [good, tampered, badTpl, pattern]) await c.request('POST', ssPath(NS), { body: ss });

    await waitFor('the good Secret', () => getOrUndefined(c, secretPath(NS, 'good')), 30_000, ctl.logs);
    for (const name of ['tampered-renamed', 'badtpl', 'pattern']) {
      await waitFor(`${name} Synced=False with a message`, async () => {
        const s = synced(await getOrUndefined(c, ssPath(NS, name)));
        return s?.status === 'False' && s.message ? s : undefined;
      }, 30_000, ctl.logs);
    }
    // The CLI over the same objects: validate (online), unseal with a wrong key, seal of a bad input.
    const file = join(dir, 'sealed.yaml');
    writeFileSync(file, [tampered, badTpl, pattern, good].map((o) => toYaml(o)).join('---\n'));
    const validate = await runCloak(['validate', '-f', file], { env: { KUBECONFIG: cluster.kubeconfig } });
    assert.equal(validate.code, 3, validate.stderr);
    scan.add('cloak validate stderr', validate.stderr);
    scan.add('cloak validate stdout', validate.stdout);
    const unseal = await runCloak(['unseal', '--key', join(ROOT, 'keys-example/tls.key'), '-f', file]);
    assert.equal(unseal.code, 3, unseal.stderr);
    scan.add('cloak unseal (wrong key) stderr', unseal.stderr);
    const bad = await runCloak(['seal', '--cert', join(ROOT, 'keys-example/tls.crt')], { input: `apiVersion: v1\nkind: Secret\nmetadata: {name: x, namespace: ${NS}}\ndata:\n  k: "${v.cli}!"\n  n: ${v.cli}5\n` });
    assert.equal(bad.code, 2, bad.stderr);
    scan.add('cloak seal (bad data) stderr', bad.stderr);
  });

  it('ExternalSecrets: good, missing property, broken template, value breaking a regexp', async () => {
    const c = cluster.client;
    const store = {
      apiVersion: 'external-secrets.io/v1', kind: 'SecretStore', metadata: { name: 'fake', namespace: NS },
      spec: { provider: { fake: { data: [{ key: '/a', value: v.ext }, { key: '/j', value: JSON.stringify({ user: 'u', pw: v.json }) }] } } },
    };
    const es = (name: string, spec: Record<string, unknown>) => ({
      apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name, namespace: NS },
      spec: { refreshInterval: '1h', secretStoreRef: { name: 'fake', kind: 'SecretStore' }, target: { name: `${name}-secret` }, ...spec },
    });
    const objects = [
      es('good', { data: [{ secretKey: 'a', remoteRef: { key: '/a' } }], dataFrom: [{ extract: { key: '/j' } }] }),
      es('noprop', { data: [{ secretKey: 'a', remoteRef: { key: '/a', property: 'nope' } }, { secretKey: 'p', remoteRef: { key: '/j', property: 'missing' } }] }),
      es('badtpl', { data: [{ secretKey: 'a', remoteRef: { key: '/a' } }], target: { name: 'badtpl-secret', template: { engineVersion: 'v2', data: { x: '{{ .a | nosuchfunc }}' } } } }),
      es('pattern', { data: [{ secretKey: 'a', remoteRef: { key: '/a' } }], target: { name: 'pattern-secret', template: { engineVersion: 'v2', data: { x: '{{ regexFind (printf "%s(" .a) "x" }}' } } } }),
    ];
    await c.request('POST', `${ESO}/namespaces/${NS}/secretstores`, { body: store });
    for (const o of objects) await c.request('POST', esPath(), { body: o });
    await waitFor('the good ExternalSecret Secret', () => getOrUndefined(c, secretPath(NS, 'good-secret')), 30_000, ctl.logs);
    for (const name of ['noprop', 'badtpl', 'pattern']) {
      await waitFor(`${name} Ready=False`, async () => {
        const es = await getOrUndefined(c, esPath(name));
        const ready = ((es?.status as { conditions?: Array<{ type: string; status: string; message?: string }> } | undefined)?.conditions ?? []).find((x) => x.type === 'Ready');
        return ready?.status === 'False' ? ready : undefined;
      }, 30_000, ctl.logs);
    }
    // `cloak external get` over the same manifests, masked (the default) and failing.
    const storeFile = join(dir, 'store.yaml');
    writeFileSync(storeFile, toYaml(store));
    for (const o of objects) {
      const f = join(dir, `es-${o.metadata.name}.yaml`);
      writeFileSync(f, toYaml(o));
      const r = await runCloak(['external', 'get', '-f', f, '--store', storeFile]);
      assert.equal(r.code === 0, o.metadata.name === 'good', `${o.metadata.name}: exit ${r.code} ${r.stderr}`);
      scan.add(`cloak external get ${o.metadata.name} stderr`, r.stderr);
      scan.add(`cloak external get ${o.metadata.name} stdout (masked)`, r.stdout);
    }
  });

  it('logs, Events, status, metrics and the API server record hold none of the markers', async () => {
    await new Promise((r) => setTimeout(r, 500)); // let the last status/event writes land
    const metrics = await (await fetch(`${ctl.metrics}/metrics`)).text();
    assert.match(metrics, /cloak_/);
    scan.add('controller metrics', metrics);
    scan.add('controller log', ctl.logs.join('\n'));
    await scan.addCluster(cluster.client, [NS, 'kube-system'], [
      '/apis/bitnami.com/v1alpha1/namespaces/{ns}/sealedsecrets',
      `${ESO}/namespaces/{ns}/externalsecrets`,
      `${ESO}/namespaces/{ns}/secretstores`,
    ]);
    assert.ok(cluster.server.hooks.requests.length > 0, 'the API server recorded no requests');
    scan.addRecordedWrites(cluster.server.hooks.requests);
    assert.ok(scan.collected > 20, `only ${scan.collected} sources collected`);
    scan.assertClean();
    console.log(`# leak scan: ${scan.planted.length} markers, ${scan.collected} sources, 0 findings`);
    assert.equal((await fetch(`${ctl.api}/healthz`)).status, 200);
  });
});
