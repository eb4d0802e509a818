// /v1/verify and /v1/rotate over the real unseal path, a real decrypt pool and the real HTTP server:
// a SealedSecret no key opens answers 409, but the controller's own failures (here: the decrypt pool
// already shut down) answer 500 as Bitnami does, so `cloak validate` does not blame the SealedSecret.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createApiServer, sealedSecretHandlers } from '../../controller/http/index.js';
import { createLogger } from '../../controller/log.js';
import { createControllerMetrics } from '../../controller/metrics/index.js';
import { DecryptPool, loadTemplateEngine, renderSecretTemplate } from '../../controller/sealed/index.js';
import { parsePrivateKeyPem, readCertificate } from '../../src/crypto/index.js';
import { cryptoError, isCloakError } from '../../src/errors.js';
import { unsealItems } from '../../src/sealed/index.js';
import { ROOT } from '../support/cloak-cli.js';
import { seal } from '../support/controller/harness.js';

const certPem = readFileSync(join(ROOT, 'keys-example/tls.crt'), 'utf8');
const cert = readCertificate(certPem, 'tls.crt');
const privateKey = parsePrivateKeyPem(readFileSync(join(ROOT, 'keys-example/tls.key'), 'utf8'), 'tls.key')[0]!.privateKey;
const key = { privateKey, fingerprint: cert.fingerprint };
const logs: string[] = [];
let pool: DecryptPool;
let base = '';
let close: () => Promise<void> = async () => undefined;

before(async () => {
  await loadTemplateEngine();
  pool = new DecryptPool(1);
  const server = createApiServer({
    handlers: {
      getCert: () => certPem,
      ...sealedSecretHandlers({ keys: () => [key], newest: () => ({ publicKey: cert.publicKey, fingerprint: cert.fingerprint }), decrypt: (k, b, l) => pool.decrypt(k, b, l), renderTemplate: renderSecretTemplate }),
      listKeys: async () => [],
      ready: () => true,
    },
    metrics: createControllerMetrics('test'),
    log: createLogger({ format: 'json', out: (l) => logs.push(l), err: (l) => logs.push(l) }),
    rateLimit: 1000, rateLimitBurst: 1000, readTimeoutMs: 10_000, writeTimeoutMs: 10_000,
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise((r) => { server.close(() => r()); server.closeAllConnections(); });
});
after(async () => { await close(); await pool.close(); });

const good = () => ({ ...seal(cert, { name: 'app', namespace: 'ns1', data: { password: 'hunter2-marker' } }) });
const post = (path: string, body: unknown) => fetch(`${base}${path}`, { method: 'POST', body: JSON.stringify(body) });

describe('/v1/verify and /v1/rotate status codes', () => {
  it('200 for a SealedSecret the key opens', async () => {
    assert.equal((await post('/v1/verify', good())).status, 200);
    const r = await post('/v1/rotate', good());
    assert.equal(r.status, 200);
    assert.equal(((await r.json()) as { kind: string }).kind, 'SealedSecret');
  });

  it('409 when no key opens it (sealed for another name) or its template fails', async () => {
    const other = { ...good(), metadata: { name: 'other', namespace: 'ns1' } };
    assert.equal((await post('/v1/verify', other)).status, 409);
    assert.equal((await post('/v1/rotate', other)).status, 409);
    const tpl = good();
    tpl.spec.template = { data: { x: '{{ fail "refused by the template" }}' } };
    assert.equal((await post('/v1/verify', tpl)).status, 409);
  });

  it('400 for a body of the wrong shape (as Bitnami\'s decoder refuses it), not 200 or 409', async () => {
    const g = good();
    const enc = g.spec.encryptedData;
    const bodies: Array<[string, unknown]> = [
      ['encryptedData is a list', { ...g, spec: { encryptedData: Object.values(enc) } }],
      ['encryptedData value is a number', { ...g, spec: { encryptedData: { password: 5 } } }],
      ['spec is a string', { ...g, spec: 'x' }],
      ['apiVersion v2', { ...g, apiVersion: 'bitnami.com/v2' }],
      ['namespace is a mapping', { ...g, metadata: { name: 'app', namespace: { a: 1 } } }],
      ['template is a list', { ...g, spec: { ...g.spec, template: [1] } }],
    ];
    for (const [what, body] of bodies) {
      for (const path of ['/v1/verify', '/v1/rotate']) assert.equal((await post(path, body)).status, 400, `${path}: ${what}`);
    }
    // No spec at all decodes (to an empty Secret), as in Bitnami.
    const { spec: _spec, ...noSpec } = g;
    assert.equal((await post('/v1/verify', noSpec)).status, 200);
    assert.equal((await post('/v1/rotate', noSpec)).status, 200);
  });

  it('500, not 409, when the decrypt pool itself fails; the log names the cause, never a value', async () => {
    await pool.close();
    const v = await post('/v1/verify', good());
    assert.equal(v.status, 500);
    assert.equal(await v.text(), 'internal error\n');
    const r = await post('/v1/rotate', good());
    assert.equal(r.status, 500);
    const failures = logs.filter((l) => l.includes('HTTP handler failed'));
    assert.equal(failures.length, 2, logs.join(''));
    assert.match(failures[0]!, /decrypt pool is shut down/);
    assert.ok(!logs.join('').includes('hunter2-marker'));
  });
});

describe('unsealItems', () => {
  it('rethrows a non-decrypt failure of the decrypt function instead of reporting "no key could decrypt"', async () => {
    const ss = good();
    const failing = () => { throw cryptoError('WorkerFailed', 'decrypt worker failed: exited with code 1'); };
    await assert.rejects(unsealItems(ss, [key], failing), (e: unknown) => isCloakError(e) && e.code === 'WorkerFailed');
    const wrong = () => { throw cryptoError('DecryptFailed', 'no key could decrypt secret'); };
    await assert.rejects(unsealItems(ss, [key], wrong), (e: unknown) => isCloakError(e) && e.code === 'UnsealFailed');
  });
});
